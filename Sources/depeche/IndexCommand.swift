import ArgumentParser
import DepecheCore
import Foundation

/// `depeche index`: read dispatches from files, folders or stdin into the index.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add dispatches from files, folders or stdin (-) to the index.",
        discussion: """
            Reads scraped agency pages (.txt), JSON Lines (.jsonl) and JSON arrays (.json), each
            optionally gzip-compressed (.gz); folders are read recursively. Re-indexing updates
            changed dispatches and skips unchanged ones; the same text seen twice is stored once.

              depeche index ~/archives/aci ~/archives/afp-2020.jsonl.gz
              depeche index ~/archives --rebuild
              zcat export.jsonl.gz | depeche index - --field body=texte
            """)

    @Argument(help: ArgumentHelp("Files, folders, or - for standard input.", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var database: DatabaseOption

    @Flag(help: "Build a new index from these paths only and swap it in atomically; the old index answers until then.")
    var rebuild = false

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "Map a dispatch field to a column: NAME=COLUMN (fields: id, title, standfirst, body, date, source, category, city, author, url).",
        valueName: "name=column"))
    var fields: [String] = []

    @Option(help: ArgumentHelp("The year of dates written without one (e.g. '9 Décembre'); inferred when not given.", valueName: "yyyy"))
    var year: Int?

    /// How many problems are printed one by one before they are only counted.
    static let listedProblems = 20

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or folder to index (or - for standard input)") }
        if let year, !(1...9999).contains(year) { throw ValidationError("--year \(year) is not a year") }
    }

    func run() throws {
        let started = Date()
        let options = IndexRunOptions(mapping: try FieldMapping(options: fields), year: year, rebuild: rebuild)
        var printed = 0
        let report = try IndexUpdater.run(paths: paths, databasePath: database.path, options: options) { problem in
            printed += 1
            if printed <= Self.listedProblems { Terminal.writeError("depeche: \(problem)\n") }
        }
        if report.problems.count > Self.listedProblems {
            Terminal.writeError("depeche: … and \(report.problems.count - Self.listedProblems) more problems\n")
        }
        Terminal.write(Self.summary(report, seconds: Date().timeIntervalSince(started), database: database.path))
        // Success when something was stored and no file was lost; a run that read nothing fails.
        if report.failedFiles > 0 || (report.stored + report.duplicates == 0 && !report.problems.isEmpty) {
            throw ExitCode.failure
        }
    }

    static func summary(_ report: IndexReport, seconds: Double, database: String) -> String {
        let files = report.filesRead == 1 ? "1 file" : "\(report.filesRead) files"
        var line = "\(database): read \(files) in \(String(format: "%.1f", seconds)) s: \(report.added) added, "
            + "\(report.updated) updated, \(report.unchanged) unchanged, \(report.duplicates) duplicates"
        if report.inferredYears > 0 { line += ", \(report.inferredYears) with an inferred year" }
        if !report.problems.isEmpty { line += "; \(report.problems.count) problems" }
        if report.failedFiles > 0 { line += " (\(report.failedFiles) files could not be read)" }
        return line + "\n"
    }
}
