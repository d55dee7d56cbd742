import Foundation
import GRDB

/// How hits are ordered.
public enum SortMode: String, CaseIterable, Sendable {
    /// Relevance blended with recency (``RecencyBlend``).
    case hybrid
    /// bm25 with field weights only.
    case relevance
    /// Newest first; undated last.
    case date
}

/// Everything about a search but the query text.
public struct SearchOptions: Sendable {
    public var limit = 10
    public var offset = 0
    public var sort = SortMode.hybrid
    public var halfLifeDays = RecencyBlend.defaultHalfLifeDays
    public var since: Day?
    public var until: Day?
    public var sources: [String] = []
    public var categories: [String] = []
    /// The day ages are counted from; by default the newest date among the candidates.
    public var now: Day?

    public init() {}
}

/// A passage of a dispatch with the matched words marked.
public struct Snippet: Equatable, Sendable {
    public struct Part: Equatable, Sendable {
        public let text: String
        public let isMatch: Bool
    }

    public let parts: [Part]

    /// Marker bytes handed to FTS5's snippet(): control characters never found in dispatches.
    static let open = "\u{2}", close = "\u{3}"

    init(marked: String) {
        var parts: [Part] = []
        for (index, piece) in marked.components(separatedBy: Self.open).enumerated() {
            if index == 0 {
                if !piece.isEmpty { parts.append(Part(text: piece, isMatch: false)) }
                continue
            }
            let halves = piece.components(separatedBy: Self.close)
            parts.append(Part(text: halves[0], isMatch: true))
            let rest = halves.dropFirst().joined()
            if !rest.isEmpty { parts.append(Part(text: rest, isMatch: false)) }
        }
        self.parts = parts
    }

    /// The passage without marks.
    public var plainText: String { parts.map(\.text).joined() }

    /// The passage with each match wrapped in `open` and `close`.
    public func marked(open: String, close: String) -> String {
        parts.map { $0.isMatch ? open + $0.text + close : $0.text }.joined()
    }
}

/// One search hit.
public struct Hit: Sendable {
    public let id: String
    public let title: String
    public let date: Day?
    public let dateQuality: DateQuality
    public let source: String?
    public let category: String?
    public let city: String?
    public let url: String?
    public let origin: String
    /// The value the order rests on: blended score (hybrid, 0–1) or bm25 relevance (higher is better).
    public let score: Double
    public let snippet: Snippet
}

/// The answer to a search.
public struct SearchResult: Sendable {
    public let query: String
    /// All matching dispatches, not only the page returned.
    public let total: Int
    public let hits: [Hit]
    /// True when no dispatch had all the words and any-word matching was used instead.
    public let relaxed: Bool
}

/// Runs searches on an index: FTS5 finds and scores (bm25 with field weights),
/// the ``RecencyBlend`` reorders a bounded set of the best candidates.
public struct Searcher {
    /// How many of the best bm25 candidates the hybrid sort reorders. Blending over
    /// every match would sort tens of thousands of rows for a common word; a dispatch
    /// outside the best few hundred by relevance cannot climb to the first pages with
    /// a floor of 0.5 unless relevance is flat, and then the order barely matters.
    public static let hybridCandidates = 500
    /// Words of context in a snippet.
    static let snippetWords = 24

    public let index: DispatchIndex

    public init(index: DispatchIndex) {
        self.index = index
    }

    public func search(_ queryText: String, options: SearchOptions = SearchOptions()) throws -> SearchResult {
        let query = try CompiledQuery(queryText)
        return try index.read { db in
            let (selection, total) = try Selection.resolve(db, query: query, options: options)
            let page = try rankedPage(db, selection, options: options)
            let hits = try page.map { try hit(db, rowid: $0.rowid, score: $0.score, match: selection.match) }
            return SearchResult(query: queryText, total: total, hits: hits, relaxed: selection.relaxed)
        }
    }

    /// The rowids and scores of the requested page.
    private func rankedPage(_ db: Database, _ selection: Selection, options: SearchOptions) throws -> [(rowid: Int64, score: Double)] {
        let limit = max(0, options.limit), offset = max(0, options.offset)
        let from = selection.from, arguments = selection.arguments
        guard selection.match != nil else {
            // Filters only: newest first.
            return try rows(db, "SELECT d.rowid, 0.0 \(from) ORDER BY d.date IS NULL, d.date DESC, d.rowid LIMIT ? OFFSET ?", arguments + [limit, offset])
        }
        switch options.sort {
        case .relevance:
            return try rows(db, "SELECT d.rowid, -rank \(from) ORDER BY rank LIMIT ? OFFSET ?", arguments + [limit, offset])
        case .date:
            return try rows(db, "SELECT d.rowid, -rank \(from) ORDER BY d.date IS NULL, d.date DESC, rank LIMIT ? OFFSET ?", arguments + [limit, offset])
        case .hybrid:
            let candidateCount = max(Self.hybridCandidates, offset + limit)
            let candidates = try Row.fetchAll(db, sql: "SELECT d.rowid, -rank AS relevance, d.date \(from) ORDER BY rank LIMIT ?",
                                              arguments: arguments + [candidateCount])
                .map { row in
                    RecencyBlend.Candidate(rowid: row[0], relevance: row[1], date: (row[2] as String?).flatMap { Day(iso: $0) })
                }
            let blend = RecencyBlend(halfLifeDays: options.halfLifeDays)
            return blend.rank(candidates, reference: options.now).dropFirst(offset).prefix(limit).map { ($0.candidate.rowid, $0.score) }
        }
    }

    private func rows(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> [(rowid: Int64, score: Double)] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0[0], $0[1]) }
    }

    private func hit(_ db: Database, rowid: Int64, score: Double, match: String?) throws -> Hit {
        let snippetSQL = match == nil
            ? "substr(d.body, 1, 200)"
            : "snippet(dispatch_fts, -1, '\(Snippet.open)', '\(Snippet.close)', '…', \(Self.snippetWords))"
        let from = match == nil
            ? "FROM dispatches d WHERE d.rowid = ?"
            : "FROM dispatch_fts JOIN dispatches d ON d.rowid = dispatch_fts.rowid WHERE dispatch_fts MATCH ? AND dispatch_fts.rowid = ?"
        let arguments: StatementArguments = match.map { [$0, rowid] } ?? [rowid]
        guard let row = try Row.fetchOne(db, sql: """
            SELECT d.id, d.title, d.date, d.date_quality, d.source, d.category, d.city, d.url, d.origin, \(snippetSQL) AS snippet \(from)
            """, arguments: arguments) else {
            throw DepecheError("dispatch \(rowid) vanished during the search")
        }
        return Hit(
            id: row["id"], title: row["title"],
            date: (row["date"] as String?).flatMap { Day(iso: $0) },
            dateQuality: DateQuality(rawValue: row["date_quality"]) ?? .missing,
            source: row["source"], category: row["category"], city: row["city"], url: row["url"], origin: row["origin"],
            score: score, snippet: Snippet(marked: row["snippet"] ?? ""))
    }
}

/// The dispatches a query and its filters select, as the FROM and WHERE clauses of
/// SQL over `dispatches d` (joined to `dispatch_fts` when there are words to match).
struct Selection {
    /// The FTS5 expression used, the relaxed one when `relaxed`.
    let match: String?
    let relaxed: Bool
    let from: String
    let arguments: StatementArguments

    init(match: String?, relaxed: Bool, filters queryFilters: [MetadataFilter], options: SearchOptions) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let match {
            clauses.append("dispatch_fts MATCH ?")
            arguments += [match]
        }
        if let since = options.since { clauses.append("d.date >= ?"); arguments += [since.description] }
        if let until = options.until { clauses.append("d.date <= ?"); arguments += [until.description] }
        var filters = queryFilters
        if !options.sources.isEmpty { filters.append(MetadataFilter(field: .source, values: options.sources, excluded: false)) }
        if !options.categories.isEmpty { filters.append(MetadataFilter(field: .category, values: options.categories, excluded: false)) }
        for filter in filters {
            let column = "d.\(filter.field.rawValue)"
            let placeholders = Array(repeating: "depeche_fold(?)", count: filter.values.count).joined(separator: ", ")
            clauses.append(filter.excluded
                ? "(\(column) IS NULL OR depeche_fold(\(column)) NOT IN (\(placeholders)))"
                : "depeche_fold(\(column)) IN (\(placeholders))")
            arguments += StatementArguments(filter.values)
        }
        let table = match == nil ? "dispatches d" : "dispatch_fts JOIN dispatches d ON d.rowid = dispatch_fts.rowid"
        self.match = match
        self.relaxed = relaxed
        self.from = "FROM \(table) WHERE " + (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "))
        self.arguments = arguments
    }

    /// The selection of a query with its count, relaxed to any-word matching when an
    /// all-words query finds nothing.
    static func resolve(_ db: Database, query: CompiledQuery, options: SearchOptions) throws -> (Selection, total: Int) {
        let strict = Selection(match: query.match, relaxed: false, filters: query.filters, options: options)
        let total = try strict.count(db)
        guard total == 0, let relaxedMatch = query.relaxedMatch else { return (strict, total) }
        let relaxed = Selection(match: relaxedMatch, relaxed: true, filters: query.filters, options: options)
        return (relaxed, try relaxed.count(db))
    }

    func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) \(from)", arguments: arguments) ?? 0
    }
}
