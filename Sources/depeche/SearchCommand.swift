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

/// `--collapse` / `--no-collapse`, shared by `search` and `export`.
struct CollapseOption: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "One hit per story (the versions and re-publications of one dispatch), the best-ranked, with the others that match named; --limit and --offset then count stories.",
        discussion: "Default: on for the table, which people read; off for the other formats and export, which scripts read one dispatch a row."))
    var collapse: Bool?
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
    @OptionGroup var listing: HitListing

    @OptionGroup var time: TimeoutOption

    @Flag(help: "When the query finds little, also search the nearest spellings the index knows of its words (Tshisekdi: Tshisekedi).")
    var fuzzy = false

    @Flag(name: .customLong("as-typed"), help: "Search the words as typed: no list of the corrected query when no dispatch has them all (table and json).")
    var asTyped = false

    @Flag(name: .customLong("exact-count"), help: ArgumentHelp(
        "Count every hit, however many.",
        discussion: "By default a page counts up to 50,000 hits and then says \"more than 50000 hits\" (json: \"total_exact\": false): the newest matches of a broad word are what the page needs, not the rest. -c always counts every hit."))
    var exactCount = false

    @Flag(name: [.customShort("c"), .long], help: "Print only the number of hits.")
    var count = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing: the exit status says whether something matched (0) or not (1).")
    var quiet = false

    func validate() throws {
        if count, quiet { throw ValidationError("--count prints the number of hits and --quiet prints nothing: choose one") }
    }

    func run() throws {
        let started = Date()
        var options = listing.paged(try ranking.searchOptions(matching.searchOptions()))
        options.timeBudget = time.budget
        // "Did you mean" for people and JSON, never in ids or the tables scripts read.
        options.suggestions = listing.format == .table || listing.format == .json
        options.fuzzy = fuzzy
        // A typo no dispatch has is corrected for people (table, JSON), never for -c, -q
        // or --as-typed, which ask about the words as written.
        options.correctsTypos = options.suggestions && !asTyped && !count && !quiet
        options.exactCountLimit = exactCount || count ? nil : SearchOptions.pageCountLimit
        // A page of hits reads little: mapped, not copied (an export reads it all: not mapped).
        let searcher = Searcher(index: try DispatchIndex(path: database.path, readOnly: true, memoryMapped: true))
        let query = try CompiledQuery(self.query)
        if count || quiet {
            options.limit = 0
            let result = try searcher.search(query, options: options)
            // Matches of the query as written only: an any-word fallback is none. With
            // --collapse asked, stories are counted (the table's own collapsing, on by
            // default, leaves -c a count of dispatches, as scripts expect).
            let stories = listing.stories.collapse == true ? result.summary.stories : nil
            let matches = result.summary.relaxed ? 0 : stories ?? result.total
            if count { try Terminal.write("\(matches)\n") }
            if result.partial { Terminal.writeError("depeche: " + TableWriter.partialNotice(seconds: time.timeout) + "\n") }
            if matches == 0 { try NothingMatched.report(searcher, query: query, options: options, quiet: quiet) }
            return
        }
        try listing.write(searcher, query: query, options: options, timeout: time.timeout, started: started)
    }
}

/// The end of a search, export or stats query that matched nothing: `lead` (what the
/// command did about it) and the filters that name no known source or category, in one
/// stderr line (unless `quiet`), and exit status 1.
enum NothingMatched {
    static func report(_ searcher: Searcher, query: CompiledQuery?, options: SearchOptions, lead: String? = nil, quiet: Bool = false) throws -> Never {
        if !quiet {
            let parts = [lead].compactMap { $0 } + ((try? searcher.unknownFilterValues(query, options: options)) ?? [])
            if !parts.isEmpty { Terminal.writeError("depeche: " + parts.joined(separator: "; ") + "\n") }
        }
        throw Depeche.Status.nothingMatched
    }
}
