import ArgumentParser
import Foundation
import DepecheIndex
import DepecheIndexing
import DepecheIngest
import DepecheOutput

extension InputFormat: ExpressibleByArgument {}

/// `depeche index`: read dispatches from files, folders or stdin into the index.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add dispatches from files, folders or stdin (-) to the index.",
        discussion: """
            Reads scraped agency pages (.txt), JSON Lines (.jsonl), JSON arrays (.json) and CSV or \
            TSV exports with a header (.csv, .tsv), each optionally gzip-compressed (.gz); folders \
            are read recursively. Files indexed before and unchanged since are skipped, changed \
            dispatches are updated, and the same text seen twice is stored once.

              depeche index ~/archives/aci ~/archives/afp-2020.jsonl.gz
              depeche index ~/archives --include '*.csv' --exclude 'brouillon*'
              depeche index ~/archives --rebuild
              zcat export.jsonl.gz | depeche index - --field body=texte
              depeche index senegal.csv --dry-run
            """)

    @Argument(help: ArgumentHelp("Files, folders, or - for standard input.", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var database: DatabaseOption

    @Flag(help: "Build a new index from these paths only and swap it in atomically; the old index answers until then.")
    var rebuild = false

    @Flag(help: "Remove the dispatches of indexed files that no longer exist.")
    var prune = false

    @Flag(help: "Read every file already indexed again, each with the --format, --field and --year it was indexed with.")
    var refresh = false

    @Flag(name: .customLong("dry-run"), help: "Show the format, the column mapping and the first records of each file; write nothing.")
    var dryRun = false

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "Map a dispatch field to a column: NAME=COLUMN (fields: id, title, standfirst, body, date, source, category, city, author, url).",
        valueName: "name=column"))
    var fields: [String] = []

    @Option(help: ArgumentHelp("The year of dates written without one (e.g. '9 Décembre'); inferred when not given.", valueName: "yyyy"))
    var year: Int?

    @Option(help: ArgumentHelp("Read every file in this format instead of detecting it.", valueName: "format"))
    var format: InputFormat?

    @Option(help: ArgumentHelp("In folders, only files matching this glob (repeatable; the name, or the path when the glob has a /).", valueName: "glob"))
    var include: [String] = []

    @Option(help: ArgumentHelp("In folders, skip files matching this glob (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    /// How many problems are printed one by one before they are only counted.
    static let listedProblems = 20

    func validate() throws {
        // --refresh and --prune work on the files the index holds: no path needed.
        if paths.isEmpty, !refresh, !prune { throw ValidationError("give at least one file or folder to index (or - for standard input)") }
        if let year, !(1000...9999).contains(year) { throw ValidationError("--year \(year): give the year with four digits (e.g. 2020)") }
        if refresh, rebuild { throw ValidationError("--refresh reads the indexed files again in place; it does not go with --rebuild") }
    }

    func run() throws {
        let options = IndexRunOptions(mapping: try FieldMapping(options: fields), year: year, rebuild: rebuild, format: format,
                                      include: include, exclude: exclude, prune: prune, refresh: refresh)
        if dryRun {
            try DryRun(options: options).show(paths)
            return
        }
        let started = Date()
        var printed = 0
        let display = ProgressDisplay(onTerminal: Terminal.isTerminal(STDERR_FILENO), started: started)
        let report = try IndexUpdater.run(paths: paths, databasePath: database.path, options: options, problem: { problem in
            printed += 1
            if printed <= Self.listedProblems {
                display.clear()
                Terminal.writeError("depeche: \(problem)\n")
            }
        }, progress: display.show)
        display.clear()
        DatabaseOption.sayUpgraded(database.path, from: report.upgradedFrom)
        if printed > Self.listedProblems {
            Terminal.writeError("depeche: … and \(printed - Self.listedProblems) more, not listed\n")
        }
        // Success when something was stored and no file was lost; a run that read nothing fails.
        let failed = report.failedFiles > 0 || (report.stored + report.duplicates == 0 && report.problemCount > 0)
            || report.outcome == .notCreated || report.outcome == .rebuildAbandoned
        do {
            try Terminal.write(Self.summary(report, seconds: Date().timeIntervalSince(started), database: database.path))
        } catch OutputError.brokenPipe {
            // Nobody reads the summary any more; the run's own status still holds.
        }
        if failed { throw ExitCode(Depeche.Status.error) }
    }

    static func summary(_ report: IndexReport, seconds: Double, database: String) -> String {
        var line = "\(database): read \(TextStyle.counted(report.filesRead, "file"))"
        if report.filesUnchanged > 0 { line += " (\(TextStyle.counted(report.filesUnchanged, "unchanged file")) skipped)" }
        line += " in \(String(format: "%.1f", seconds)) s: \(report.added) added, "
            + "\(report.updated) updated, \(report.unchanged) unchanged, \(TextStyle.counted(report.duplicates, "duplicate"))"
        if report.inferredYears > 0 { line += ", \(report.inferredYears) with an inferred year" }
        if report.pruned > 0 { line += ", \(report.pruned) pruned" }
        if report.problemCount > 0 { line += "; \(TextStyle.counted(report.problemCount, "problem"))" }
        if report.repairCount > 0 { line += "; \(report.repairCount) repaired" }
        if report.failedFiles > 0 { line += " (\(TextStyle.counted(report.failedFiles, "file")) could not be read)" }
        switch report.outcome {
        case .notCreated: line += "; nothing was read, so no index was created"
        case .rebuildAbandoned: line += "; the rebuild was abandoned (it would lose what could not be read): the index is unchanged"
        case .builtWhileRead: line += "; the new index is in place (a search or export still reading the old one keeps its space until a later run)"
        case .built, .updatedInPlace: break
        }
        return line + "\n"
    }
}

/// The progress of an `index` run on stderr: one line redrawn in place on a terminal,
/// a plain line every few seconds otherwise (for logs).
final class ProgressDisplay {
    let onTerminal: Bool
    let started: Date
    private var lastShown = Date.distantPast
    private var drawn = false

    init(onTerminal: Bool, started: Date) {
        self.onTerminal = onTerminal
        self.started = started
    }

    func show(_ progress: IndexProgress) {
        let now = Date()
        guard now.timeIntervalSince(lastShown) >= (onTerminal ? 0.2 : 5), now.timeIntervalSince(started) >= 1 else { return }
        lastShown = now
        let elapsed = now.timeIntervalSince(started)
        let megabytes = Double(progress.bytesRead) / 1_000_000
        var line = "files \(progress.filesDone)/\(progress.filesTotal) · \(TextStyle.counted(progress.records, "record")) · "
            + String(format: "%.1f MB/s", megabytes / max(elapsed, 0.001))
        if progress.bytesRead > 0, progress.bytesTotal > progress.bytesRead {
            let remaining = elapsed * Double(progress.bytesTotal - progress.bytesRead) / Double(progress.bytesRead)
            line += String(format: " · ETA %d:%02d", Int(remaining) / 60, Int(remaining) % 60)
        }
        if onTerminal {
            let fraction = progress.bytesTotal > 0 ? min(1, Double(progress.bytesRead) / Double(progress.bytesTotal)) : 0
            let filled = Int(fraction * 20)
            Terminal.writeProgress("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "] " + line)
            drawn = true
        } else {
            Terminal.writeError("depeche: " + line + "\n")
        }
    }

    /// Erases the progress line before other output.
    func clear() {
        if drawn { Terminal.writeProgress() }
        drawn = false
    }
}

/// `index --dry-run`: what each file would give, nothing written.
struct DryRun {
    let options: IndexRunOptions
    /// Records shown per file.
    static let sampleSize = 3

    func show(_ paths: [String]) throws {
        let ingestor = try Ingestor(mapping: options.mapping, format: options.format)
        var problems: [IngestProblem] = []
        for file in ingestor.files(for: paths, include: options.include, exclude: options.exclude, problem: { problems.append($0) }) {
            var samples: [IngestRecord] = []
            var count = 0
            var fileProblems: [IngestProblem] = []
            do {
                try ingestor.read(file: file, record: { record in
                    count += 1
                    if samples.count < Self.sampleSize { samples.append(record) }
                }, problem: { fileProblems.append($0) })
            } catch let failure as IngestProblem {
                fileProblems.append(failure)
            }
            var output = "\(file): \(count) records\n"
            if let columns = samples.first?.columns {
                let mapping = DispatchField.allCases.map { field in "\(field.rawValue) ← \(columns[field].map { "\"\($0)\"" } ?? "(none)")" }
                output += "  mapping: " + mapping.joined(separator: ", ") + "\n"
            }
            for sample in samples {
                let dispatch = sample.dispatch
                var date = dispatch.date?.description ?? "undated"
                if let (day, month) = sample.yearlessDate { date = "day \(day) month \(month), year to infer" }
                let meta = [dispatch.source, dispatch.category, dispatch.city].compactMap { $0 }.joined(separator: " · ")
                let id = dispatch.id.isEmpty ? dispatch.derivedID(contentHash: dispatch.contentHash) + " (derived from the record)" : dispatch.id
                output += "  \(id) · \(date)\(meta.isEmpty ? "" : " · " + meta)\n    \(dispatch.title)\n"
            }
            for problem in fileProblems.prefix(IndexCommand.listedProblems) { output += "  problem: \(problem)\n" }
            try Terminal.write(output)
        }
        for problem in problems { Terminal.writeError("depeche: \(problem)\n") }
    }
}
