import ArgumentParser
import Foundation
import DepecheIndex
import DepecheModel
import DepecheRanking
import DepecheOutput
import DepecheSearch

extension SortMode: ExpressibleByArgument {}
extension SnippetMarks: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// Options that narrow and order hits, shared by `search` and `export`.
struct FilterOptions: ParsableArguments {
    @Option(help: "hybrid (relevance blended with recency), relevance, or date (newest first).")
    var sort: SortMode = .hybrid

    @Option(name: .customLong("half-life"), help: ArgumentHelp("Recency half-life of the hybrid sort, in days.", valueName: "days"))
    var halfLife: Double = RecencyBlend.defaultHalfLifeDays

    @Option(name: .customLong("recency-floor"), help: ArgumentHelp(
        "The share of its relevance a very old dispatch keeps in the hybrid sort for broad queries (1,000 hits or more), 0 to 1; lower favours recent dispatches more. Precise queries (30 hits or fewer) keep pure relevance.",
        valueName: "share"))
    var recencyFloor: Double = RecencyBlend.defaultFloor

    @Option(help: ArgumentHelp("Only dispatches dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only dispatches dated on or before this day.", valueName: "date"))
    var until: String?

    @Option(help: ArgumentHelp("Only this source or agency (repeatable; case and accents ignored).", valueName: "source"))
    var source: [String] = []

    @Option(help: ArgumentHelp("Only this category (repeatable).", valueName: "category"))
    var category: [String] = []

    @Option(help: ArgumentHelp("Count ages from this day instead of the newest matching dispatch.", valueName: "date"))
    var now: String?

    @Flag(name: .customLong("no-synonyms"), help: "Search only the words typed, without the synonyms of the shipped list (ONU → Nations unies).")
    var noSynonyms = false

    @Option(name: .customLong("synonyms"), help: ArgumentHelp(
        "Also expand queries with the synonym sets of this file: one set per line, expressions separated by commas (# comments).",
        valueName: "file"))
    var synonymFile: String?

    func validate() throws {
        if !(halfLife > 0) || !halfLife.isFinite { throw ValidationError("--half-life must be a positive number of days") }
        if !(0...1).contains(recencyFloor) { throw ValidationError("--recency-floor must be between 0 and 1") }
    }

    func searchOptions() throws -> SearchOptions {
        var options = SearchOptions()
        options.sort = sort
        options.halfLifeDays = halfLife
        options.recencyFloor = recencyFloor
        options.since = try since.map { try DateArgument.parse($0, option: "--since", asEnd: false) }
        options.until = try until.map { try DateArgument.parse($0, option: "--until", asEnd: true) }
        options.now = try now.map { try DateArgument.parse($0, option: "--now", asEnd: false) }
        options.sources = source
        options.categories = category
        options.synonyms = try synonyms()
        return options
    }

    /// The shipped sets (unless `--no-synonyms`) and those of `--synonyms FILE`.
    private func synonyms() throws -> Synonyms {
        let shipped = noSynonyms ? Synonyms.none : Synonyms.shipped
        guard let synonymFile else { return shipped }
        let text: String
        do {
            text = try String(contentsOfFile: synonymFile, encoding: .utf8)
        } catch {
            throw UsageError("--synonyms \(synonymFile): cannot read it as UTF-8 text (\((error as NSError).localizedDescription))")
        }
        do {
            return try shipped.adding(Synonyms(text: text, origin: synonymFile))
        } catch let error as SynonymFileError {
            throw UsageError(error.description)
        }
    }
}

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
            Words must all match, in any form: accents, case, ligatures (cœur/coeur), elision
            (l'État/etat) and plurals or verb endings do not matter. Also: "a phrase", prefix*,
            OR, -excluded, title:word, source:ACI, category:Politique, and (parentheses).
            When no dispatch has every word, dispatches with some of them are shown, and it is said.

              depeche search "Rosatom data center"
              depeche search "Sassou-N'Guesso" --since 2020 --source ACI
              depeche search '"économie numérique" -Russie' --format json
              depeche search 'title:Covid-19 OR coronavirus' --sort date --limit 50
            """)

    @Argument(help: "The query.")
    var query: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var filters: FilterOptions
    @OptionGroup var marks: HighlightOption

    /// Bounds of --limit and --offset: a page, not an export (which has no limit); and
    /// far below where their sum would overflow.
    static let largestLimit = 1_000_000
    static let largestOffset = 1_000_000_000

    @Option(help: "How many hits to show.")
    var limit = 10

    @Option(help: "How many of the best hits to skip (for paging).")
    var offset = 0

    @Option(help: "table, json, jsonl, csv, tsv, md or ids.")
    var format: OutputFormat = .table

    @Option(help: "Colour matches in the table: auto (on a terminal, unless NO_COLOR is set), always, never.")
    var color: ColorChoice = .auto

    @Option(help: ArgumentHelp("Stop after this many seconds and show the hits found by then (0: no limit).", valueName: "seconds"))
    var timeout = Self.defaultTimeout

    /// A safety net, not a target: with the query language's bounds the worst search of
    /// the hostile-query check takes well under a second on OrangeSum.
    static let defaultTimeout = 5.0

    func validate() throws {
        if !(0...86_400).contains(timeout) { throw ValidationError("--timeout must be a number of seconds from 0 (no limit) to 86400") }
        if !(0...Self.largestLimit).contains(limit) {
            throw ValidationError("--limit must be between 0 and \(Self.largestLimit) (export writes every hit)")
        }
        if !(0...Self.largestOffset).contains(offset) { throw ValidationError("--offset must be between 0 and \(Self.largestOffset)") }
    }

    func run() throws {
        let started = Date()
        var options = try filters.searchOptions()
        options.limit = limit
        options.offset = offset
        options.includeSnippet = format != .ids
        options.timeBudget = timeout > 0 ? timeout : nil
        // A page of hits reads little: mapped, not copied (an export reads it all: not mapped).
        let searcher = Searcher(index: try DispatchIndex(path: database.path, readOnly: true, memoryMapped: true))
        guard let listFormat = format.listFormat else {
            let result = try searcher.search(query, options: options)
            let onTerminal = Terminal.isTerminal(STDOUT_FILENO)
            let table = TableWriter(style: color.style(onTerminal: onTerminal), width: onTerminal ? Terminal.width() : nil)
            try Terminal.write(table.render(result, elapsed: Date().timeIntervalSince(started), timeBudget: options.timeBudget))
            return
        }
        let list = HitListStream(writer: HitListWriter(format: listFormat, marks: marks.highlight), query: query, sink: TextSink(),
                                 started: { summary in
            if summary.relaxed { Terminal.writeError("depeche: no dispatch has every word of the query; showing dispatches with some of them\n") }
            // JSON says it in the document.
            if listFormat != .json, let also = TableWriter.alsoSearchedNotice(summary) { Terminal.writeError("depeche: \(also)\n") }
        })
        let partial = try searcher.search(query, options: options, limit: limit, into: list)
        try list.sink.commit()
        if partial { Terminal.writeError("depeche: " + TableWriter.partialNotice(seconds: timeout) + "\n") }
    }
}
