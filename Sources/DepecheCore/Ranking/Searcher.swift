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
    /// The share of its relevance a very old dispatch keeps in the hybrid sort (0–1).
    public var recencyFloor = RecencyBlend.defaultFloor
    public var since: Day?
    public var until: Day?
    public var sources: [String] = []
    public var categories: [String] = []
    /// The day ages are counted from; by default the newest date among the candidates.
    public var now: Day?
    /// Fill ``Hit/body`` (exports that list it).
    public var includeBody = false
    /// Compute ``Hit/snippet`` (not needed for a list of ids).
    public var includeSnippet = true
    /// Seconds after which the search stops and answers with what it has found
    /// (``SearchResult/partial``); nil for no limit (an export lists every hit).
    public var timeBudget: Double?

    public init() {}
}

/// A passage of a dispatch with the matched words marked.
public struct Snippet: Equatable, Sendable {
    public struct Part: Equatable, Sendable {
        public let text: String
        public let isMatch: Bool

        public init(text: String, isMatch: Bool) {
            self.text = text
            self.isMatch = isMatch
        }
    }

    public let parts: [Part]

    init(parts: [Part]) {
        self.parts = parts
    }

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
    /// 1-based position in the whole ranked list (not the page).
    public let rank: Int
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
    /// The whole body, when ``SearchOptions/includeBody`` asked for it.
    public let body: String?
}

/// The answer to a search.
public struct SearchResult: Sendable {
    public let query: String
    /// All matching dispatches, not only the page returned.
    public let total: Int
    public let hits: [Hit]
    /// True when no dispatch had all the words and any-word matching was used instead.
    public let relaxed: Bool
    /// True when the time budget ran out: the hits (and the total, when the count was
    /// not finished: 0) are those found by then.
    public var partial = false
}

/// Runs searches on an index: FTS5 finds, ``RelevanceFunction`` scores (bm25 with field
/// weights), and SQLite keeps the best: its sorter for the relevance and date sorts,
/// ``BlendAggregate`` for the hybrid one. Never FTS5's own `ORDER BY rank`, which sorts
/// every match before returning the first (twice the time of a bounded sort).
///
/// FTS5 has no top-k pruning: the best by relevance alone can only be found by scoring
/// every match. The hybrid and date sorts can stop early, since recency bounds them: a
/// page of a query with many matches reads blocks of rowids newest first
/// (`dispatch_blocks`) and stops when no older block can reach the page.
public struct Searcher {
    /// Words of context in a snippet.
    static let snippetWords = 24
    /// FTS5's snippet() and highlight() weigh every match instance of a dispatch: on a body
    /// of megabytes matched millions of times they take minutes. Longer bodies get their
    /// opening as the snippet, and no highlighting.
    static let longestSnippetedBody = 256 * 1024

    public let index: DispatchIndex

    /// From this many matches on, a page of the hybrid or date sort is read block by
    /// block; fewer cost less in one statement than with FTS5 restarted on every block.
    /// (Tests lower it.) See BlockReading.swift.
    var blockScanMatches = 5_000

    /// Blocks read before a search gives up proving its page early and reads every match
    /// in one statement: each block costs a statement (about 0.15 ms at 1,000,000
    /// dispatches), and in an archive not indexed in date order blocks span years, so
    /// that a topic whose best hits are not recent finds no bound low enough. (Tests
    /// lower it.)
    var blocksBeforeOneStatement = 32

    public init(index: DispatchIndex) {
        self.index = index
    }

    public func search(_ queryText: String, options: SearchOptions = SearchOptions()) throws -> SearchResult {
        var hits: [Hit] = []
        var summary = (total: 0, relaxed: false)
        let partial = try streamHits(queryText, options: options, limit: options.limit, start: { summary = ($0, $1) }, hit: { hits.append($0) })
        var result = SearchResult(query: queryText, total: summary.total, hits: hits, relaxed: summary.relaxed)
        result.partial = partial
        return result
    }

    /// Hits are read this many at a time (``hits(_:_:firstRank:selection:options:)``).
    static let hitBatch = 32

    /// Calls `start` with the number of hits (and whether the query was relaxed), then
    /// `hit` for each hit in rank order from `options.offset`, `limit` of them (all when
    /// nil). Hits are read a few at a time, so an export of a million hits stays small:
    /// only the hybrid sort keeps its candidates in memory (rowid, relevance and date each).
    /// Returns true when ``SearchOptions/timeBudget`` ran out first: `start` has then been
    /// called (with 0 if the count was not finished) and `hit` for the hits found by then.
    @discardableResult
    public func streamHits(_ queryText: String, options: SearchOptions, limit: Int?,
                           start: (Int, Bool) throws -> Void, hit: (Hit) throws -> Void) throws -> Bool {
        let query = try CompiledQuery(queryText)
        var started = false
        return try index.read { db in
            let deadline = options.timeBudget.map { SearchDeadline(seconds: $0, on: db) }
            defer { deadline?.remove() }
            do {
                try streamHits(db, query, options: options, limit: limit, start: { total, relaxed in
                    started = true
                    try start(total, relaxed)
                }, hit: hit)
                return false
            } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && deadline?.passed == true {
                if !started { try start(0, false) }
                return true
            }
        }
    }

    private func streamHits(_ db: Database, _ query: CompiledQuery, options: SearchOptions, limit: Int?,
                            start: (Int, Bool) throws -> Void, hit: (Hit) throws -> Void) throws {
        let kept = limit.map { Self.adding(max(0, options.offset), max(0, $0)) }
        let (selection, total) = try Selection.resolve(db, query: query, options: options,
                                                       pageInCount: pageInCount(query, options: options, kept: kept))
        try start(total, selection.relaxed)
        let offset = max(0, options.offset)
        // A page past the last hit is empty (and ranks cannot overflow below).
        guard offset < total else { return }
        var batch: [(rowid: Int64, score: Double)] = []
        var rank = offset
        func flush() throws {
            for found in try hits(db, batch, firstRank: rank + 1, selection: selection, options: options) { try hit(found) }
            rank += batch.count
            batch.removeAll(keepingCapacity: true)
        }
        try forEachRanked(db, selection, matches: total, options: options, offset: offset, limit: limit.map { max(0, $0) }) { rowid, score in
            batch.append((rowid, score))
            if batch.count == Self.hitBatch { try flush() }
        }
        try flush()
    }

    /// `a + b`, or `Int.max` past it: offsets and limits come from the command line.
    static func adding(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// The rowids and scores of the ranked list, from `offset`, `limit` of them (all when nil).
    private func forEachRanked(_ db: Database, _ selection: Selection, matches: Int, options: SearchOptions, offset: Int, limit: Int?,
                               _ body: (Int64, Double) throws -> Void) throws {
        let arguments = selection.arguments
        // SQLite reads LIMIT -1 as no limit.
        let paging: StatementArguments = [limit ?? -1, offset]
        func stream(_ sql: String, scoring: Bool = false) throws {
            let rows = try Row.fetchCursor(db, sql: sql + " LIMIT ? OFFSET ?", arguments: (scoring ? selection.relevanceArguments : []) + arguments + paging)
            while let row = try rows.next() { try body(row[0], row[1]) }
        }
        if let page = selection.pageFromCount {
            var ranked = page.dropFirst(offset)[...]
            if let limit { ranked = ranked.prefix(limit) }
            for entry in ranked { try body(entry.candidate.rowid, entry.score) }
            return
        }
        guard selection.match != nil else {
            // Filters only: newest first.
            return try stream("SELECT d.rowid, 0.0 \(selection.from) ORDER BY d.date IS NULL, d.date DESC, d.rowid")
        }
        if selection.relaxed {
            var ranked = try relaxedOrder(db, selection, matches: matches, options: options).dropFirst(offset)[...]
            if let limit { ranked = ranked.prefix(limit) }
            for (rowid, score) in ranked { try body(rowid, score) }
            return
        }
        let rowid = Selection.rowid, relevance = Selection.relevance, day = Selection.day, from = selection.rankingFrom
        let kept = limit.map { Self.adding(offset, $0) }
        // A page of many matches is read block by block (BlockReading.swift); an export, or a
        // prefix, in one statement.
        let byBlocks = kept != nil && matches >= blockScanMatches && !selection.hasPrefix
        switch options.sort {
        case .relevance:
            try stream("SELECT \(rowid), \(relevance) AS relevance \(from) ORDER BY relevance DESC, \(rowid)", scoring: true)
        case .date where byBlocks:
            for candidate in try newestFirst(db, selection, kept: kept ?? 0).dropFirst(offset) { try body(candidate.rowid, candidate.relevance) }
        case .date:
            try stream("SELECT \(rowid), \(relevance) AS relevance \(from) ORDER BY \(day) IS NULL, \(day) DESC, relevance DESC, \(rowid)", scoring: true)
        case .hybrid:
            let blend = RecencyBlend(halfLifeDays: options.halfLifeDays,
                                     floor: RecencyBlend.floor(forMatches: matches, broadFloor: options.recencyFloor))
            var ranked = try blended(db, selection, blend: blend, options: options, byBlocks: byBlocks,
                                     kept: kept).dropFirst(offset)[...]
            if let limit { ranked = ranked.prefix(limit) }
            for entry in ranked { try body(entry.candidate.rowid, entry.score) }
        }
    }

    /// Any-word matches ordered first by how many of the query's words they have, then as
    /// the sort asks: a dispatch with three of four words beats one with a single rare word.
    private func relaxedOrder(_ db: Database, _ selection: Selection, matches: Int, options: SearchOptions) throws -> [(Int64, Double)] {
        var wordsMatched: [Int64: Int] = [:]
        for term in selection.relaxedTerms {
            for rowid in try Int64.fetchAll(db, sql: "SELECT rowid FROM dispatch_fts WHERE dispatch_fts MATCH ?", arguments: [term]) {
                wordsMatched[rowid, default: 0] += 1
            }
        }
        let candidates = try Row.fetchAll(db, sql: """
            SELECT \(Selection.rowid), \(Selection.relevance) AS relevance, \(Selection.day) \(selection.rankingFrom) ORDER BY relevance DESC, \(Selection.rowid)
            """, arguments: selection.relevanceArguments + selection.arguments)
            .map { RecencyBlend.Candidate(rowid: $0[0], relevance: $0[1], date: ($0[2] as Int?).map(Day.init(dayNumber:))) }
        var ordered: [(candidate: RecencyBlend.Candidate, score: Double)]
        switch options.sort {
        case .hybrid:
            let blend = RecencyBlend(halfLifeDays: options.halfLifeDays, floor: RecencyBlend.floor(forMatches: matches, broadFloor: options.recencyFloor))
            ordered = blend.rank(candidates, reference: options.now, relevanceScale: selection.statistics?.decoded.ceiling ?? 1)
        case .relevance:
            ordered = candidates.map { ($0, $0.relevance) }
        case .date:
            ordered = candidates.map { ($0, $0.relevance) }.sorted { ($0.candidate.date ?? .distantPast) > ($1.candidate.date ?? .distantPast) }
        }
        // A stable sort keeps the sort's order among dispatches with as many words.
        let byWords = ordered.enumerated().sorted { lhs, rhs in
            let left = wordsMatched[lhs.element.candidate.rowid] ?? 0, right = wordsMatched[rhs.element.candidate.rowid] ?? 0
            return left != right ? left > right : lhs.offset < rhs.offset
        }
        return byWords.map { ($0.element.candidate.rowid, $0.element.score) }
    }

    /// The hits of ranked rowids, in their order. A snippet is the best passage for the
    /// match (when asked for), or the opening of the body for a filters-only query.
    ///
    /// snippet() needs the row in a full-text statement. Each statement makes FTS5 read
    /// the match anew, which for a `prefix*` means merging the doclists of every word it
    /// matches: the whole batch is then read in one statement over its rowid range (the
    /// other matches in the range are stepped over, not snippeted); otherwise one
    /// statement per hit costs less than stepping over the matches between them.
    private func hits(_ db: Database, _ batch: [(rowid: Int64, score: Double)], firstRank: Int, selection: Selection,
                      options: SearchOptions) throws -> [Hit] {
        guard !batch.isEmpty else { return [] }
        let match = options.includeSnippet ? selection.match : nil
        let opening = "substr(d.body, 1, 200)"
        let snippetSQL = !options.includeSnippet ? "''" : match == nil
            ? opening
            : "CASE WHEN length(d.body) > \(Self.longestSnippetedBody) THEN \(opening) "
                + "ELSE snippet(dispatch_fts, -1, '\(Snippet.open)', '\(Snippet.close)', '…', \(Self.snippetWords)) END"
        // The unary + keeps SQLite from reading the rowid list first and asking FTS5
        // about each rowid in turn (a statement each).
        let from = match == nil
            ? "FROM dispatches d WHERE d.rowid IN (SELECT value FROM json_each(?))"
            : "FROM dispatch_fts JOIN dispatches d ON d.rowid = dispatch_fts.rowid WHERE dispatch_fts MATCH ? "
                + "AND dispatch_fts.rowid BETWEEN ? AND ? AND +dispatch_fts.rowid IN (SELECT value FROM json_each(?))"
        let statement = try db.cachedStatement(sql: """
            SELECT d.rowid, d.id, d.title, d.date, d.date_quality, d.source, d.category, d.city, d.url, d.origin,
                   \(options.includeBody ? "d.body" : "NULL") AS body, \(snippetSQL) AS snippet \(from)
            """)
        let rowids = batch.map(\.rowid)
        func list(_ rowids: [Int64]) -> String { "[" + rowids.map(String.init).joined(separator: ",") + "]" }
        let readings: [StatementArguments] = match.map { match in
            selection.hasPrefix
                ? [[match, rowids.min()!, rowids.max()!, list(rowids)]]
                : rowids.map { [match, $0, $0, list([$0])] }
        } ?? [[list(rowids)]]
        var rows: [Int64: Row] = [:]
        for arguments in readings {
            for row in try Row.fetchAll(statement, arguments: arguments) { rows[row[0]] = row }
        }
        return try batch.enumerated().map { position, entry in
            guard let row = rows[entry.rowid] else { throw DepecheError("dispatch \(entry.rowid) vanished during the search") }
            return Hit(
                rank: firstRank + position, id: row["id"], title: row["title"],
                date: (row["date"] as String?).flatMap { Day(iso: $0) },
                dateQuality: DateQuality(rawValue: row["date_quality"]) ?? .missing,
                source: row["source"], category: row["category"], city: row["city"], url: row["url"], origin: row["origin"],
                score: entry.score, snippet: Snippet(marked: row["snippet"] ?? ""), body: row["body"])
        }
    }
}

/// A dispatch's text with the matches of a query marked, for `show --query`.
public struct HighlightedText: Sendable {
    public let title: Snippet
    public let standfirst: Snippet
    public let body: Snippet
}

extension Searcher {
    /// The title, standfirst and body of the dispatch stored under `id` (or a duplicate's
    /// id) with the words of `query` marked; nil when the query does not match it.
    public func highlight(id: String, query: String) throws -> HighlightedText? {
        guard let match = try CompiledQuery(query).match else { return nil }
        return try index.read { db in
            let marks = "'\(Snippet.open)', '\(Snippet.close)'"
            guard let row = try Row.fetchOne(db, sql: """
                SELECT highlight(dispatch_fts, 0, \(marks)), highlight(dispatch_fts, 1, \(marks)), highlight(dispatch_fts, 2, \(marks))
                FROM dispatch_fts WHERE dispatch_fts MATCH ? AND dispatch_fts.rowid = (
                    SELECT rowid FROM dispatches WHERE id = ?2 AND length(body) <= \(Self.longestSnippetedBody)
                    UNION ALL SELECT d.rowid FROM duplicates x JOIN dispatches d ON d.rowid = x.dispatch_rowid
                        WHERE x.id = ?2 AND length(d.body) <= \(Self.longestSnippetedBody) LIMIT 1)
                """, arguments: [match, id]) else { return nil }
            return HighlightedText(title: Snippet(marked: row[0] ?? ""), standfirst: Snippet(marked: row[1] ?? ""), body: Snippet(marked: row[2] ?? ""))
        }
    }
}
