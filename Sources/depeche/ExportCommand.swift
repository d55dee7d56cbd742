import ArgumentParser
import Foundation
import DepecheIndex
import DepecheOutput
import DepecheSearch

/// `export --format`: every list format but `ids` (one id per line is `search --format ids`).
extension ListFormat: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.filter { $0 != .ids }.map(\.rawValue) }
}

/// `depeche export`: the complete hit list of a query, streamed to a file or stdout.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every hit of a query to a file or stdout.",
        discussion: """
            The whole ranked list, without a limit, in the order and with the filters of search. \
            A file is written under a temporary name and renamed when complete; when nothing \
            matches, no file is written and the exit status is 1.

              depeche export "Sassou Nguesso" --since 2020-01-01 --format csv -o hits.csv
              depeche export "Covid-19" --source APS --format jsonl > covid.jsonl
              depeche export cacao --fields date,title,url --excel -o cacao.csv
              depeche export "élections" --format md --fields date,title,source -o revue.md
            """)

    @Argument(help: "The query.")
    var query: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var matching: MatchOptions
    @OptionGroup var ranking: RankingOptions
    @OptionGroup var marks: HighlightOption
    @OptionGroup var stories: CollapseOption

    @Option(help: "The output format (md: a Markdown table).")
    var format: ListFormat = .csv

    @OptionGroup var columns: ColumnsOption
    @OptionGroup var destination: FileOutputOptions

    func validate() throws {
        if format == .ids { throw ValidationError("--format ids is for search; export writes csv, tsv, json, jsonl or md") }
        if destination.excel, format != .csv { throw ValidationError("--excel applies to --format csv") }
    }

    func run() throws {
        let columns = try self.columns.columns()
        var options = try ranking.searchOptions(matching.searchOptions())
        options.includeBody = columns.contains(.body)
        options.includeSnippet = columns.contains(.snippet)
        options.collapse = stories.collapse ?? false
        let searcher = Searcher(index: try DispatchIndex(path: database.path, readOnly: true))
        let query = try CompiledQuery(self.query)
        let sink = try destination.output.map { try TextSink(file: $0) } ?? TextSink()
        let progress = ExportProgress(onTerminal: destination.output != nil && Terminal.isTerminal(STDERR_FILENO))
        var relaxed = false
        do {
            let writer = HitListWriter(format: format, fields: columns, excel: destination.excel, marks: marks.highlight,
                                       collapsed: options.collapse)
            let list = HitListStream(writer: writer, query: query.text, sink: sink, writesEmptyList: false, started: { summary in
                progress.total = summary.total
                if summary.relaxed { Terminal.writeError("depeche: no dispatch has every word of the query; exporting dispatches with some of them\n") }
                if format != .json, let also = TableWriter.alsoSearchedNotice(summary) { Terminal.writeError("depeche: \(also)\n") }
            }, progress: progress.show)
            let streamed = try searcher.search(query, options: options, limit: nil, into: list)
            if streamed.summary.total == 0 {
                sink.abandon()
                try NothingMatched.report(searcher, query: query, options: options,
                                          lead: "no dispatch matches \(TextStyle.quoted(query.text)); \(destination.output == nil ? "nothing" : "no file") written")
            }
            try sink.commit()
            progress.clear()
            if let output = destination.output { Terminal.writeError("depeche: \(TextStyle.counted(streamed.written, "hit")) written to \(output)\n") }
            relaxed = streamed.summary.relaxed
        } catch {
            sink.abandon()
            throw error
        }
        // Written and said, but no match of the query as written.
        if relaxed { throw Depeche.Status.nothingMatched }
    }
}

/// `exported N of M` on a terminal, redrawn in place, for long exports to a file.
final class ExportProgress {
    let onTerminal: Bool
    var total = 0
    private var lastShown = Date()

    init(onTerminal: Bool) {
        self.onTerminal = onTerminal
    }

    func show(_ written: Int) {
        guard onTerminal, Date().timeIntervalSince(lastShown) >= 0.2 else { return }
        lastShown = Date()
        Terminal.writeProgress("exported \(written) of \(total)")
    }

    func clear() {
        if onTerminal { Terminal.writeProgress() }
    }
}
