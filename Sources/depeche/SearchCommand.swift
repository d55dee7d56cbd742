import ArgumentParser
import Foundation
import DepecheIndex
import DepecheModel
import DepecheRanking
import DepecheOutput
import DepecheSearch

extension SnippetMarks: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// `--highlight`, shared by `search` and `export`.
struct HighlightOption: ParsableArguments {
    @Option(help: "How snippets mark the matched words in json, jsonl, csv, tsv and md: none, brackets ([word]) or mark (<mark>word</mark>, HTML-escaped).")
    var highlight: SnippetMarks = .none
}

/// `depeche search`: the best and freshest dispatches for a query.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index.",
        discussion: """
            Words must all match, in any form: accents, case, ligatures (cœur/coeur), elision \
            (l'État/etat) and plurals or verb endings do not matter; synonyms are searched too \
            (ONU: Nations unies). Also: "a phrase", =word, prefix*, OR, -excluded, title:word, \
            source:ACI, category:Politique, and (parentheses). A query may start with -. When \
            no dispatch has every word, dispatches with some of them are shown, and it is said. \
            Exit status: 0 something matched, 1 nothing matched, 2 an error.

              depeche search "Rosatom data center"
              depeche search "Sassou-N'Guesso" --since 2020 --source ACI
              depeche search '"économie numérique" -Russie' --format json
              depeche search 'title:Covid-19 OR coronavirus' --sort date --limit 50
            """)

    @Argument(help: "The query.")
    var query: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var matching: MatchOptions
    @OptionGroup var ranking: RankingOptions
    @OptionGroup var marks: HighlightOption

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

    @Option(help: ArgumentHelp("Stop after this many seconds and show the hits found by then (0: no limit).", valueName: "seconds"))
    var timeout = Self.defaultTimeout

    @OptionGroup var columns: ColumnsOption

    @Flag(help: "When the query finds little, also search the nearest spellings the index knows of its words (Tshisekdi: tshisekedi).")
    var fuzzy = false

    @Flag(name: [.customShort("c"), .long], help: "Print only the number of hits.")
    var count = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing: the exit status says whether something matched (0) or not (1).")
    var quiet = false

    /// A safety net, not a target: with the query language's bounds the worst search of
    /// the hostile-query check takes well under a second on OrangeSum.
    static let defaultTimeout = 5.0

    func validate() throws {
        if !(0...86_400).contains(timeout) { throw ValidationError("--timeout must be a number of seconds from 0 (no limit) to 86400") }
        if !(0...Self.largestLimit).contains(limit) {
            throw ValidationError("--limit must be between 0 and \(Self.largestLimit) (export writes every hit)")
        }
        if !(0...Self.largestOffset).contains(offset) { throw ValidationError("--offset must be between 0 and \(Self.largestOffset)") }
        if count, quiet { throw ValidationError("--count prints the number of hits and --quiet prints nothing: choose one") }
        if columns.fields != nil, format.listFormat == nil || format == .ids {
            throw ValidationError("--fields applies to --format json, jsonl, csv, tsv and md")
        }
    }

    func run() throws {
        let started = Date()
        var options = try ranking.searchOptions(matching.searchOptions())
        options.limit = limit
        options.offset = offset
        options.includeSnippet = format != .ids
        options.timeBudget = timeout > 0 ? timeout : nil
        // "Did you mean" for people and JSON, never in ids or the tables scripts read.
        options.suggestions = format == .table || format == .json
        options.fuzzy = fuzzy
        // A page of hits reads little: mapped, not copied (an export reads it all: not mapped).
        let searcher = Searcher(index: try DispatchIndex(path: database.path, readOnly: true, memoryMapped: true))
        if count || quiet {
            options.limit = 0
            let result = try searcher.search(query, options: options)
            if count { try Terminal.write("\(result.total)\n") }
            if result.total == 0 { try NothingMatched.report(searcher, query: query, options: options, quiet: quiet) }
            return
        }
        guard let listFormat = format.listFormat else {
            let result = try searcher.search(query, options: options)
            let onTerminal = Terminal.isTerminal(STDOUT_FILENO)
            let table = TableWriter(style: color.style(onTerminal: onTerminal), width: onTerminal ? Terminal.width() : nil)
            try Terminal.write(table.render(result, elapsed: Date().timeIntervalSince(started), timeBudget: options.timeBudget))
            if result.total == 0, result.hits.isEmpty { try NothingMatched.report(searcher, query: query, options: options) }
            return
        }
        let columns = try self.columns.columns()
        options.includeBody = columns.contains(.body)
        let list = HitListStream(writer: HitListWriter(format: listFormat, fields: columns, marks: marks.highlight), query: query, sink: TextSink(),
                                 started: { summary in
            if summary.relaxed { Terminal.writeError("depeche: no dispatch has every word of the query; showing dispatches with some of them\n") }
            // JSON says it in the document.
            if listFormat != .json, let also = TableWriter.alsoSearchedNotice(summary) { Terminal.writeError("depeche: \(also)\n") }
        })
        let partial = try searcher.search(query, options: options, limit: limit, into: list)
        try list.sink.commit()
        if partial { Terminal.writeError("depeche: " + TableWriter.partialNotice(seconds: timeout) + "\n") }
        if list.total == 0, list.written == 0 { try NothingMatched.report(searcher, query: query, options: options) }
    }
}

/// The end of a search, export or stats query that matched nothing: `lead` (what the
/// command did about it) and the filters that name no known source or category, in one
/// stderr line (unless `quiet`), and exit status 1.
enum NothingMatched {
    static func report(_ searcher: Searcher, query: String?, options: SearchOptions, lead: String? = nil, quiet: Bool = false) throws -> Never {
        if !quiet {
            let parts = [lead].compactMap { $0 } + ((try? searcher.unknownFilterValues(query, options: options)) ?? [])
            if !parts.isEmpty { Terminal.writeError("depeche: " + parts.joined(separator: "; ") + "\n") }
        }
        throw Depeche.Status.nothingMatched
    }
}
