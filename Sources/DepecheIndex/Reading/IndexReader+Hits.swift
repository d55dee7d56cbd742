import Foundation
import GRDB
import DepecheModel

/// What a hit shows, read for a page of ranked rowids.
public struct HitReading: Sendable {
    /// Compute snippets (not needed for a list of ids).
    public var snippets = true
    /// Read whole bodies (exports that list them).
    public var bodies = false
    /// The match has a `prefix*`: FTS5 merges the doclists of every word it matches anew
    /// for each statement, so a batch is read in one.
    public var hasPrefix = false

    public init(snippets: Bool = true, bodies: Bool = false, hasPrefix: Bool = false) {
        self.snippets = snippets
        self.bodies = bodies
        self.hasPrefix = hasPrefix
    }
}

extension IndexReader {
    /// Words of context in a snippet.
    static let snippetWords = 24
    /// FTS5's snippet() and highlight() weigh every match instance of a dispatch: on a body
    /// of megabytes matched millions of times they take minutes. Longer bodies get their
    /// opening as the snippet, and no highlighting.
    static let longestSnippetedBody = 256 * 1024

    /// The hits of ranked rowids, in their order, ranked from `firstRank`. A snippet is
    /// the best passage for `match` (when asked for), or the opening of the body for a
    /// query of filters only (`match` nil).
    ///
    /// snippet() needs the row in a full-text statement. Each statement makes FTS5 read
    /// the match anew, which for a `prefix*` means merging the doclists of every word it
    /// matches: the whole batch is then read in one statement over its rowid range (the
    /// other matches in the range are stepped over, not snippeted); otherwise one
    /// statement per hit costs less than stepping over the matches between them.
    ///
    /// A hit selected through a duplicate (`--source B` finds the text first stored from
    /// source A) is shown under the duplicate's id, origin and metadata.
    public func hits(_ batch: [(rowid: Int64, score: Double)], firstRank: Int, selection: IndexSelection, reading: HitReading) throws -> [Hit] {
        guard !batch.isEmpty else { return [] }
        let match = reading.snippets ? selection.matchText : nil
        let opening = "substr(d.body, 1, 200)"
        let snippetSQL = !reading.snippets ? "''" : match == nil
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
            SELECT d.rowid, d.id, d.title, d.standfirst, d.date, d.date_quality, d.source, d.category, d.city, d.url, d.origin, d.author,
                   \(reading.bodies ? "d.body" : "NULL") AS body, \(snippetSQL) AS snippet,
                   (SELECT story FROM story_members WHERE rowid = d.rowid) AS story \(from)
            """)
        let rowids = batch.map(\.rowid)
        let readings: [StatementArguments] = match.map { match in
            reading.hasPrefix
                ? [[match, rowids.min()!, rowids.max()!, Self.jsonList(rowids)]]
                : rowids.map { [match, $0, $0, Self.jsonList([$0])] }
        } ?? [[Self.jsonList(rowids)]]
        var rows: [Int64: Row] = [:]
        for arguments in readings {
            for row in try Row.fetchAll(statement, arguments: arguments) { rows[row[0]] = row }
        }
        let duplicates = try duplicatesShown(for: rowids, filters: selection.filters.metadata)
        return try batch.enumerated().map { position, entry in
            guard let row = rows[entry.rowid] else { throw DepecheError("dispatch \(entry.rowid) vanished during the search") }
            let identity = duplicates[entry.rowid] ?? row
            return Hit(
                rank: firstRank + position, id: identity["id"], title: row["title"],
                date: (identity["date"] as String?).flatMap { Day(iso: $0) },
                dateQuality: DateQuality(rawValue: identity["date_quality"]) ?? .missing,
                source: identity["source"], category: identity["category"], city: identity["city"], url: identity["url"],
                origin: identity["origin"],
                score: entry.score, snippet: Snippet(marked: row["snippet"] ?? ""), body: row["body"], story: row["story"],
                author: identity["author"], standfirst: row["standfirst"] ?? "")
        }
    }

    /// For the rowids whose own metadata fails `filters`, the duplicate they were selected
    /// through (the first by id), to show in their place.
    private func duplicatesShown(for rowids: [Int64], filters: [MetadataFilter]) throws -> [Int64: Row] {
        guard !filters.isEmpty else { return [:] }
        let own = IndexSelection.metadataCondition(filters, over: "d")
        let duplicate = IndexSelection.duplicateCondition(filters)
        let rows = try Row.fetchAll(db, sql: """
            SELECT x.dispatch_rowid, x.id, x.date, x.date_quality, x.source, x.category, x.city, x.url, x.origin, x.author
            FROM duplicates x JOIN dispatches d ON d.rowid = x.dispatch_rowid
            WHERE x.dispatch_rowid IN (SELECT value FROM json_each(?)) AND NOT (\(own.sql)) AND \(duplicate.sql)
            ORDER BY x.id
            """, arguments: [Self.jsonList(rowids)] + own.arguments + duplicate.arguments)
        var shown: [Int64: Row] = [:]
        for row in rows where shown[row[0]] == nil { shown[row[0]] = row }
        return shown
    }

    /// Rowids as a JSON array, for `IN (SELECT value FROM json_each(?))`: one argument
    /// however many rowids.
    static func jsonList(_ rowids: [Int64]) -> String {
        "[" + rowids.map(String.init).joined(separator: ",") + "]"
    }

    /// The title, standfirst and body of the dispatch stored under `id` (or a duplicate's
    /// id) with the instances of `match` marked; nil when it does not match.
    public func highlight(id: String, match: FullTextMatch) throws -> HighlightedText? {
        let marks = "'\(Snippet.open)', '\(Snippet.close)'"
        guard let row = try Row.fetchOne(db, sql: """
            SELECT highlight(dispatch_fts, 0, \(marks)), highlight(dispatch_fts, 1, \(marks)), highlight(dispatch_fts, 2, \(marks))
            FROM dispatch_fts WHERE dispatch_fts MATCH ? AND dispatch_fts.rowid = (
                SELECT rowid FROM dispatches WHERE id = ?2 AND length(body) <= \(Self.longestSnippetedBody)
                UNION ALL SELECT d.rowid FROM duplicates x JOIN dispatches d ON d.rowid = x.dispatch_rowid
                    WHERE x.id = ?2 AND length(d.body) <= \(Self.longestSnippetedBody) LIMIT 1)
            """, arguments: [match.fts5, id]) else { return nil }
        return HighlightedText(title: Snippet(marked: row[0] ?? ""), standfirst: Snippet(marked: row[1] ?? ""), body: Snippet(marked: row[2] ?? ""))
    }
}
