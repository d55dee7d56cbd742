import Foundation
import GRDB

/// The dispatches a query and its filters select, as the FROM and WHERE clauses of
/// SQL over `dispatch_facets d` (joined to `dispatch_fts` when there are words to match):
/// the narrow facets, not the wide `dispatches` rows, since every match is read.
/// With words to match, ranking and filters read the matches' lengths, days, sources
/// and categories from ``DispatchColumns`` instead (``rankingFrom``: no join).
struct Selection {
    /// The FTS5 expression used, the relaxed one when `relaxed`.
    let match: String?
    let relaxed: Bool
    /// The match has a `prefix*` (``CompiledQuery/hasPrefix``).
    var hasPrefix = false
    /// The match is one phrase (``CompiledQuery/isSinglePhrase``).
    var singlePhrase = false
    /// The texts of the match's phrases, when all plainly required (``CompiledQuery/conjunctionTexts``).
    var conjunctionTexts: [String]?
    /// When relaxed, the query's words, one FTS5 expression each.
    var relaxedTerms: [String] = []
    let from: String
    /// ``from`` without the facets when there are words to match: what ranking and the
    /// conditions read of a match (``rowid``, ``day``, ``relevance``, ``column(_:)``) needs no join.
    let rankingFrom: String
    let arguments: StatementArguments
    /// The conditions besides the full-text match.
    let conditions: String?
    /// The arguments of ``conditions``: ``arguments`` without the match.
    private let conditionArguments: StatementArguments
    /// The rowids that can hold selected dispatches, when a `since` date rules out blocks
    /// of older ones (``rowids(_:datedFrom:)``).
    let rowids: Range<Int64>?
    /// bm25's statistics of `match` (``RelevanceFunction``): read once by ``resolve(_:query:options:)``
    /// and passed to every statement that scores (nil: no words, or nothing matches them).
    private(set) var statistics: (encoded: Data, decoded: RelevanceFunction.QueryStatistics)?
    /// The newest date, when ``count(_:pageInCount:)`` read it in the same pass
    /// (`.some(nil)`: no dated match): counting a selection with conditions reads every
    /// match's columns anyway, and a second pass for the date would read them all again.
    private(set) var newestFromCount: Day?? = nil
    /// The ranked page, when ``count(_:pageInCount:)`` read it in the same pass.
    private(set) var pageFromCount: [RecencyBlend.Scored]?

    /// Counts the matches of a selection and ranks its page in the same statement.
    typealias PageInCount = (Database, Selection) throws -> (rows: Int, ranked: [RecencyBlend.Scored])

    init(match: String?, relaxed: Bool, filters queryFilters: [MetadataFilter], options: SearchOptions, rowids: Range<Int64>? = nil) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let rowids {
            // On the FTS5 side, so that it seeks to the range instead of filtering every match.
            clauses.append(match == nil ? "d.rowid >= ? AND d.rowid < ?" : "dispatch_fts.rowid >= ? AND dispatch_fts.rowid < ?")
            arguments += [rowids.lowerBound, rowids.upperBound]
        }
        self.rowids = rowids
        // Matches are filtered on their columns; without words, the facets' date index and
        // values serve.
        let byColumns = match != nil
        for (day, comparison) in [(options.since, ">="), (options.until, "<=")] {
            guard let day else { continue }
            clauses.append(byColumns ? "\(Self.day) \(comparison) ?" : "d.date \(comparison) ?")
            arguments += byColumns ? [day.dayNumber] : [day.description]
        }
        var filters = queryFilters
        if !options.sources.isEmpty { filters.append(MetadataFilter(field: .source, values: options.sources, excluded: false)) }
        if !options.categories.isEmpty { filters.append(MetadataFilter(field: .category, values: options.categories, excluded: false)) }
        for filter in filters {
            // The values seen that fold as asked, folded once each rather than per match.
            let column = byColumns ? Self.column(filter.field == .source ? .source : .category) : "d.\(filter.field.rawValue)"
            let placeholders = Array(repeating: "depeche_fold(?)", count: filter.values.count).joined(separator: ", ")
            let values = "SELECT \(byColumns ? "id" : "value") FROM facet_values WHERE field = '\(filter.field.rawValue)' AND depeche_fold(value) IN (\(placeholders))"
            clauses.append(filter.excluded ? "(\(column) IS NULL OR \(column) NOT IN (\(values)))" : "\(column) IN (\(values))")
            arguments += StatementArguments(filter.values)
        }
        self.match = match
        self.relaxed = relaxed
        conditions = clauses.isEmpty ? nil : clauses.joined(separator: " AND ")
        conditionArguments = arguments
        if let match {
            from = "FROM dispatch_fts JOIN dispatch_facets d ON d.rowid = dispatch_fts.rowid WHERE dispatch_fts MATCH ?" + (conditions.map { " AND " + $0 } ?? "")
            rankingFrom = "FROM dispatch_fts WHERE dispatch_fts MATCH ?" + (conditions.map { " AND " + $0 } ?? "")
            self.arguments = [match] + arguments
        } else {
            from = "FROM dispatch_facets d WHERE " + (conditions ?? "1")
            rankingFrom = from
            self.arguments = arguments
        }
    }

    /// Each phrase of the match as its terms joined by OR, when every phrase is a word
    /// (one position); nil otherwise.
    private func wordAlternatives() throws -> [String]? {
        guard let conjunctionTexts else { return nil }
        let analyzer = try FrenchAnalyzer()
        var alternatives: [String] = []
        for text in conjunctionTexts {
            guard let terms = analyzer.queryTerms(atOnePosition: text) else { return nil }
            alternatives.append(FrenchTokenizer.verbatimAlternatives(terms))
        }
        return alternatives
    }

    /// FTS5 alone answers when nothing but the match is asked.
    var matchOnly: Bool { match != nil && conditions == nil }

    /// The SQL of a match's relevance, whose one argument is ``relevanceArguments``: in
    /// the columns of a statement over ``rankingFrom``, that argument comes before its arguments.
    static let relevance = "\(RelevanceFunction.name)(dispatch_fts, ?)"
    /// The SQL of a match's rowid and day number (NULL: undated), over ``rankingFrom``.
    static let rowid = "dispatch_fts.rowid"
    static let day = column(.day)

    /// The SQL of a match's value from ``DispatchColumns``, over ``rankingFrom``.
    static func column(_ column: DispatchColumns.Column) -> String {
        "\(DispatchColumns.functionName(column))(dispatch_fts.rowid)"
    }
    var relevanceArguments: StatementArguments { [statistics?.encoded] }

    /// The selection of a query with its count, relaxed to any-word matching when an
    /// all-words query finds nothing. `pageInCount`, when given, counts a single phrase
    /// asked alone (see ``count(_:pageInCount:)``).
    static func resolve(_ db: Database, query: CompiledQuery, options: SearchOptions, pageInCount: PageInCount? = nil) throws -> (Selection, total: Int) {
        let rowids = try options.since.map { try Self.rowids(db, datedFrom: $0) }
        var strict = Selection(match: query.match, relaxed: false, filters: query.filters, options: options, rowids: rowids)
        strict.hasPrefix = query.hasPrefix
        strict.singlePhrase = query.isSinglePhrase
        strict.conjunctionTexts = query.conjunctionTexts
        let total = try strict.count(db, pageInCount: pageInCount)
        guard total == 0, let relaxedMatch = query.relaxedMatch else { return (strict, total) }
        var relaxed = Selection(match: relaxedMatch, relaxed: true, filters: query.filters, options: options, rowids: rowids)
        relaxed.relaxedTerms = query.relaxedTerms
        relaxed.hasPrefix = query.hasPrefix
        return (relaxed, try relaxed.count(db))
    }

    /// The rowids from the first to the last block whose newest date is `since` or later
    /// (`dispatch_blocks`): in an archive indexed in date order, a recent `--since` reads
    /// the matches of the last blocks only.
    static func rowids(_ db: Database, datedFrom since: Day) throws -> Range<Int64> {
        let row = try Row.fetchOne(db, sql: "SELECT min(block), max(block) FROM dispatch_blocks WHERE newest >= ?", arguments: [since.description])
        guard let first = row?[0] as Int64?, let last = row?[1] as Int64? else { return 0..<0 }
        let size = Int64(DispatchIndex.blockSize)
        return first * size..<(last + 1) * size
    }

    /// Counts the selected dispatches, reading the statistics first.
    ///
    /// The statistics count the rows of each phrase of the match: when the match is a
    /// single phrase and nothing else is asked, that count is the answer, and a common
    /// word's doclist is not walked a second time. Such a match needs no statistics to be
    /// ranked (one idf scales every score alike): when its page reads every match anyway,
    /// `pageInCount` counts and ranks in one walk (``pageFromCount``).
    ///
    /// When every phrase is a word (a single position), each word's rows are counted by
    /// its forms joined by OR (``FrenchTokenizer/verbatimAlternatives(_:)``), the
    /// statistics follow from those counts and FTS5's totals without walking the phrases,
    /// and the total is counted over the AND of those ORs: the same rows.
    mutating func count(_ db: Database, pageInCount: PageInCount? = nil) throws -> Int {
        if matchOnly, singlePhrase, let pageInCount {
            let (rows, page) = try pageInCount(db, self)
            pageFromCount = page
            return rows
        }
        // What FTS5 counts: the match, or the same rows as words' forms joined by OR.
        var counted = match
        if let alternatives = try wordAlternatives() {
            let sql = "SELECT count(*) FROM dispatch_fts WHERE dispatch_fts MATCH ?"
            let holders = try alternatives.map { try Int.fetchOne(db, sql: sql, arguments: [$0]) ?? 0 }
            guard !holders.contains(0) else { return 0 }
            let totals = try RelevanceFunction.indexTotals(db)
            let decoded = RelevanceFunction.QueryStatistics(averageLength: totals.averageLength, rows: totals.rows, documentCounts: holders)
            statistics = (decoded.encoded, decoded)
            if matchOnly, holders.count == 1 { return holders[0] }
            counted = alternatives.count == 1 ? alternatives[0] : alternatives.map { "(\($0))" }.joined(separator: " AND ")
        } else if let match {
            let sql = "SELECT \(RelevanceFunction.statisticsName)(dispatch_fts) FROM dispatch_fts WHERE dispatch_fts MATCH ? LIMIT 1"
            guard let encoded = try Data.fetchOne(db, sql: sql, arguments: [match]),
                  let decoded = RelevanceFunction.QueryStatistics(encoded: encoded) else { return 0 }
            statistics = (encoded, decoded)
            if matchOnly, decoded.documentCounts.count == 1 { return decoded.documentCounts[0] }
        }
        if matchOnly, let counted {
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM dispatch_fts WHERE dispatch_fts MATCH ?", arguments: [counted]) ?? 0
        }
        // The newest day number: of the columns' days, or of the facets' dates (julianday()
        // of a date at midnight is a whole day plus a half).
        let newest = match != nil ? "max(\(Self.day))" : "CAST(julianday(max(d.date)) - 2440587.5 AS INTEGER)"
        let countArguments = counted.map { [$0] + conditionArguments } ?? conditionArguments
        guard let row = try Row.fetchOne(db, sql: "SELECT count(*), \(newest) \(rankingFrom)", arguments: countArguments) else { return 0 }
        newestFromCount = .some((row[1] as Int?).map(Day.init(dayNumber:)))
        return row[0]
    }
}
