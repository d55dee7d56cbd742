import ArgumentParser
import Foundation
import DepecheModel
import DepecheIngest
import DepecheOutput
import DepecheRanking
import DepecheSearch

extension SortMode: ExpressibleByArgument {}

/// `--since`, `--until`, `--source`, `--category`: the filters a saved search keeps too.
struct FilterValues: ParsableArguments {
    @Option(help: ArgumentHelp("Only dispatches dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only dispatches dated on or before this day.", valueName: "date"))
    var until: String?

    @Option(help: ArgumentHelp("Only this source or agency (repeatable; case and accents ignored).", valueName: "source"))
    var source: [String] = []

    @Option(help: ArgumentHelp("Only this category (repeatable).", valueName: "category"))
    var category: [String] = []

    /// `options` with these filters.
    func apply(to options: inout SearchOptions) throws {
        try Self.apply(since: since, until: until, sources: source, categories: category, to: &options)
    }

    /// Filters as written (on the command line, a batch line, a saved search) added to
    /// `options`: a date given replaces the one there, sources and categories add up; a
    /// start after the end is refused. `prefix` names the dates in errors (`--since`).
    static func apply(since: String?, until: String?, sources: [String], categories: [String],
                      to options: inout SearchOptions, prefix: String = "--") throws {
        if let since { options.filters.since = try DateArgument.parse(since, option: prefix + "since", asEnd: false) }
        if let until { options.filters.until = try DateArgument.parse(until, option: prefix + "until", asEnd: true) }
        if let start = options.filters.since, let end = options.filters.until, start > end {
            // As written when given here (`--since 2021`), else as the day it was.
            throw UsageError("\(prefix)since \(since ?? start.description) is after \(prefix)until \(until ?? end.description): no dispatch can match")
        }
        options.filters.allow(sources, of: .source)
        options.filters.allow(categories, of: .category)
    }
}

/// Options that change which dispatches a query finds: the filters and the synonyms.
/// Shared by `search`, `export`, `batch` and `stats` (whose counts they change).
struct MatchOptions: ParsableArguments {
    @OptionGroup var filters: FilterValues

    @Flag(name: .customLong("no-synonyms"), help: "Search only the words typed, without the synonyms of the shipped list (ONU → Nations unies).")
    var noSynonyms = false

    @Option(name: .customLong("synonyms"), help: ArgumentHelp(
        "Also expand queries with the synonym sets of this file: one set per line, expressions separated by commas (# comments).",
        valueName: "file"))
    var synonymFile: String?

    /// Search options with these filters and synonyms.
    func searchOptions() throws -> SearchOptions {
        var options = SearchOptions()
        try filters.apply(to: &options)
        options.synonyms = try synonyms()
        return options
    }

    /// The shipped sets (unless `--no-synonyms`) and those of `--synonyms FILE`.
    private func synonyms() throws -> Synonyms {
        let shipped = noSynonyms ? Synonyms.none : Synonyms.shipped
        guard let synonymFile else { return shipped }
        do {
            // Through InputFile: a FIFO or `<(…)` is read as a stream, gzip too.
            let bytes = try InputFile(path: synonymFile).readAll(limit: Synonyms.largestFile, purpose: "for a synonym file")
            guard let text = String(validating: TextLines.withoutByteOrderMark(bytes), as: UTF8.self) else {
                throw UsageError("--synonyms \(synonymFile): not UTF-8 text")
            }
            return shipped.adding(try Synonyms(text: text, origin: synonymFile))
        } catch let error as SynonymFileError {
            throw UsageError(error.description)
        } catch let problem as IngestProblem {
            throw UsageError("--synonyms \(problem)")
        }
    }
}

/// Options that order the hits: shared by `search` and `export`.
struct RankingOptions: ParsableArguments {
    @Option(help: "hybrid (relevance blended with recency), relevance, or date (newest first).")
    var sort: SortMode = .hybrid

    @Option(name: .customLong("half-life"), help: ArgumentHelp("Recency half-life of the hybrid sort, in days.", valueName: "days"))
    var halfLife: Double = RecencyBlend.defaultHalfLifeDays

    @Option(name: .customLong("recency-floor"), help: ArgumentHelp(
        "The share of its relevance a very old dispatch keeps in the hybrid sort for broad queries (1,000 hits or more), 0 to 1; lower favours recent dispatches more. Precise queries (30 hits or fewer) keep pure relevance.",
        valueName: "share"))
    var recencyFloor: Double = RecencyBlend.defaultFloor

    @Option(help: ArgumentHelp("Count ages from this day instead of the matches' own reference day (the oldest of their newest 5%).", valueName: "date"))
    var now: String?

    func validate() throws {
        if !(halfLife > 0) || !halfLife.isFinite { throw ValidationError("--half-life must be a positive number of days") }
        if !(0...1).contains(recencyFloor) { throw ValidationError("--recency-floor must be between 0 and 1") }
    }

    /// `options` with this order.
    func searchOptions(_ options: SearchOptions) throws -> SearchOptions {
        var options = options
        options.sort = sort
        options.halfLifeDays = halfLife
        options.recencyFloor = recencyFloor
        options.now = try now.map { try DateArgument.parse($0, option: "--now", asEnd: false) }
        return options
    }
}

/// `--fields`: the columns of a hit list (search's list formats, export, batch).
struct ColumnsOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Columns, in order, among id, rank, score, date, date_quality, source, category, city, title, snippet, url, origin, body.",
        valueName: "list"))
    var fields: String?

    /// The columns asked, else `defaults`.
    func columns(defaults: [HitField] = HitField.defaults) throws -> [HitField] {
        try fields.map(HitField.list) ?? defaults
    }
}

/// `--output` and `--excel`: where a hit list is written, and CSV for spreadsheets
/// (export, batch).
struct FileOutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(help: "CSV for French spreadsheet locales: a UTF-8 byte order mark, ';' between fields, decimal commas, formulas shown as text.")
    var excel = false
}

/// `--timeout SECONDS`: the time budget of a search (shared by `search` and each query of
/// `batch`).
struct TimeoutOption: ParsableArguments {
    @Option(help: ArgumentHelp("Stop a search after this many seconds and show the hits found by then (0: no limit).", valueName: "seconds"))
    var timeout = Self.defaultTimeout

    /// A safety net, not a target: with the query language's bounds the worst search of
    /// the hostile-query check takes well under a second on OrangeSum.
    static let defaultTimeout = 5.0

    func validate() throws {
        if !(0...86_400).contains(timeout) { throw ValidationError("--timeout must be a number of seconds from 0 (no limit) to 86400") }
    }

    /// The budget to give ``SearchOptions/timeBudget``: nil for no limit.
    var budget: Double? { timeout > 0 ? timeout : nil }
}
