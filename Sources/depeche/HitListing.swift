import ArgumentParser
import Foundation
import DepecheIndex
import DepecheModel
import DepecheOutput
import DepecheSearch

/// A page of hits and how it is written — the table, or a list format — as `search` and
/// `similar` take them: `--limit`, `--offset`, `--format`, `--color`, `--fields`,
/// `--highlight`, `--collapse`.
struct HitListing: ParsableArguments {
    /// Bounds of --limit and --offset: a page, not an export (which has no limit); and
    /// far below where their sum would overflow.
    static let largestLimit = 1_000_000
    static let largestOffset = 1_000_000_000

    @Option(help: "How many hits to show.")
    var limit = 10

    @Option(help: "How many of the best hits to skip (for paging).")
    var offset = 0

    @Option(help: "The output format (table: for people; ids: one id per line).")
    var format: OutputFormat = .table

    @Option(help: "Colour matches in the table: auto (on a terminal, unless NO_COLOR is set or TERM is dumb), always, never.")
    var color: ColorChoice = .auto

    @OptionGroup var columns: ColumnsOption
    @OptionGroup var marks: HighlightOption
    @OptionGroup var stories: CollapseOption

    func validate() throws {
        if !(0...Self.largestLimit).contains(limit) {
            throw ValidationError("--limit must be between 0 and \(Self.largestLimit) (export writes every hit)")
        }
        if !(0...Self.largestOffset).contains(offset) { throw ValidationError("--offset must be between 0 and \(Self.largestOffset)") }
        if columns.fields != nil, format.listFormat == nil || format == .ids {
            throw ValidationError("--fields applies to --format json, jsonl, csv, tsv and md")
        }
    }

    /// `options` with this page, the snippets it shows and whether it collapses stories
    /// (by default, the table only).
    func paged(_ options: SearchOptions) -> SearchOptions {
        var options = options
        options.limit = limit
        options.offset = offset
        options.includeSnippet = format != .ids
        options.collapse = stories.collapse ?? (format == .table)
        return options
    }

    /// Searches `query` and writes its hits; `subject` heads the table and stands for the
    /// query in JSON (`similar` names its dispatch rather than its terms). Exits 1 when
    /// nothing matched.
    /// `timeout` is the time budget the search was given, for the notice of a cut search.
    func write(_ searcher: Searcher, query: CompiledQuery, subject: String? = nil, options: SearchOptions, timeout: Double, started: Date) throws {
        var options = options
        guard let listFormat = format.listFormat else {
            let result = try searcher.search(query, options: options)
            let onTerminal = Terminal.isTerminal(STDOUT_FILENO)
            let table = TableWriter(style: color.style(onTerminal: onTerminal), width: onTerminal ? Terminal.width() : nil)
            try Terminal.write(table.render(result, elapsed: Date().timeIntervalSince(started), timeBudget: options.timeBudget, subject: subject))
            if result.total == 0, result.hits.isEmpty { try NothingMatched.report(searcher, query: query, options: options) }
            // A fallback list (some of the words) or a corrected one, shown and marked, is no
            // match as written.
            if result.summary.relaxed || result.summary.correctedFrom != nil { throw Depeche.Status.nothingMatched }
            return
        }
        let columns = try self.columns.columns()
        options.includeBody = columns.contains(.body)
        let writer = HitListWriter(format: listFormat, fields: columns, marks: marks.highlight, collapsed: options.collapse)
        let list = HitListStream(writer: writer, query: subject ?? query.text, sink: TextSink(),
                                 started: { summary in
            if summary.relaxed { Terminal.writeError("depeche: no dispatch has every word of the query; showing dispatches with some of them\n") }
            // JSON says it in the document.
            if listFormat != .json, let also = TableWriter.alsoSearchedNotice(summary) { Terminal.writeError("depeche: \(also)\n") }
        })
        let streamed = try searcher.search(query, options: options, limit: limit, into: list)
        try list.sink.commit()
        if streamed.partial { Terminal.writeError("depeche: " + TableWriter.partialNotice(seconds: timeout) + "\n") }
        if streamed.summary.total == 0, streamed.written == 0 { try NothingMatched.report(searcher, query: query, options: options) }
        if streamed.summary.relaxed || streamed.summary.correctedFrom != nil { throw Depeche.Status.nothingMatched }
    }
}
