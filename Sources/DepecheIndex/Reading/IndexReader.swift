import Foundation
import GRDB
import DepecheAnalysis
import DepecheModel
import DepecheRanking

/// Every statement a search runs, on one read of the index (``DispatchIndex/reading(timeBudget:_:)``).
/// The search decides what to read and in which order; the reader knows the tables.
///
///     let total = try index.reading { reader in try reader.count(matching: .phrase(FullTextPhrase("cacao"))) }
public struct IndexReader {
    let db: Database
    let index: DispatchIndex

    /// Rowids per block of `dispatch_blocks` (``DispatchIndex/blockSize``).
    public static var blockSize: Int { DispatchIndex.blockSize }

    /// The rowids from the first to the last block whose newest date is `since` or later
    /// (`dispatch_blocks`): in an archive indexed in date order, a recent `--since` reads
    /// the matches of the last blocks only.
    public func rowids(datedFrom since: Day) throws -> Range<Int64> {
        let row = try Row.fetchOne(db, sql: "SELECT min(block), max(block) FROM dispatch_blocks WHERE newest >= ?", arguments: [since.description])
        guard let first = row?[0] as Int64?, let last = row?[1] as Int64? else { return 0..<0 }
        let size = Int64(DispatchIndex.blockSize)
        return first * size..<(last + 1) * size
    }

    /// How the documents write each of `terms` (own terms, as the analysis gives them),
    /// for those seen capitalized (`name_evidence`).
    public func caseCounts(of terms: [String]) throws -> [String: CaseCount] {
        var counts: [String: CaseCount] = [:]
        let statement = try db.cachedStatement(sql: "SELECT capitalized, lowercase FROM name_evidence WHERE term = ?")
        for term in Set(terms) {
            if let row = try Row.fetchOne(statement, arguments: [term]) {
                counts[term] = CaseCount(capitalized: row[0], lowercase: row[1])
            }
        }
        return counts
    }

    /// The number of dispatches with `match`, counted up to `limit + 1` (nil: all): FTS5
    /// stops walking there.
    public func count(matching match: FullTextMatch, upTo limit: Int? = nil) throws -> Int {
        guard let limit else {
            return try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM dispatch_fts WHERE dispatch_fts MATCH ?"), arguments: [match.fts5]) ?? 0
        }
        let sql = "SELECT count(*) FROM (SELECT 1 FROM dispatch_fts WHERE dispatch_fts MATCH ? LIMIT ?)"
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [match.fts5, limit + 1]) ?? 0
    }

    /// The number of dispatches FTS5 has indexed (bm25's N) and their average length.
    public func totals() throws -> (rows: Int, averageLength: Double) {
        try RelevanceFunction.indexTotals(db)
    }

    /// bm25's statistics of `match`, counted by walking each of its phrases; nil when
    /// nothing matches.
    public func phraseStatistics(_ match: FullTextMatch) throws -> BM25Statistics? {
        let sql = "SELECT \(RelevanceFunction.statisticsName)(dispatch_fts) FROM dispatch_fts WHERE dispatch_fts MATCH ? LIMIT 1"
        return try Data.fetchOne(db, sql: sql, arguments: [match.fts5]).flatMap(BM25Statistics.init(encoded:))
    }

    /// The number of dispatches of `selection` and the reference day of the hybrid sort
    /// among them (``MatchDays/referenceDay(matches:)``; nil: none dated), in one pass
    /// (counting with conditions reads every match's columns anyway).
    public func countWithReference(_ selection: IndexSelection) throws -> (count: Int, reference: Day?) {
        let day = "\(DispatchColumns.functionName(.day))(\(selection.rowidColumn))"
        let sql = "SELECT \(NewestDaysAggregate.name)(NULL, \(day)) \(selection.rankingFrom)"
        let (rows, days) = NewestDaysAggregate.decode(try Data.fetchOne(db, sql: sql, arguments: selection.arguments) ?? Data())
        return (rows, days.referenceDay(matches: rows).map(Day.init(dayNumber:)))
    }

    /// Calls `body` with the rowid and relevance of each dispatch of `selection` in
    /// `order`, from `offset`, `limit` of them (all when nil), in one statement. Without a
    /// match every relevance is 0.
    public func forEach(_ selection: IndexSelection, in order: HitOrder, statistics: BM25Statistics?, limit: Int?, offset: Int,
                        _ body: (Int64, Double) throws -> Void) throws {
        // SQLite reads LIMIT -1 as no limit.
        let paging: StatementArguments = [limit ?? -1, offset]
        let sql: String, arguments: StatementArguments
        if selection.match == nil {
            sql = "SELECT d.rowid, 0.0 \(selection.from) \(IndexSelection.orderBy(order, day: "d.date", relevance: nil, rowid: "d.rowid"))"
            arguments = selection.arguments
        } else {
            let rowid = IndexSelection.rowid
            sql = "SELECT \(rowid), \(IndexSelection.relevance) AS relevance \(selection.rankingFrom) "
                + IndexSelection.orderBy(order, day: IndexSelection.day, relevance: "relevance", rowid: rowid)
            arguments = IndexSelection.relevanceArguments(statistics) + selection.arguments
        }
        let rows = try Row.fetchCursor(db, sql: sql + " LIMIT ? OFFSET ?", arguments: arguments + paging)
        while let row = try rows.next() { try body(row[0], row[1]) }
    }

    /// Every match of `selection` with its relevance and date, by relevance.
    public func candidates(_ selection: IndexSelection, statistics: BM25Statistics?) throws -> [RecencyBlend.Candidate] {
        let rowid = IndexSelection.rowid
        return try Row.fetchAll(db, sql: """
            SELECT \(rowid), \(IndexSelection.relevance) AS relevance, \(IndexSelection.day) AS day \(selection.rankingFrom)
            \(IndexSelection.orderBy(.relevance, day: "day", relevance: "relevance", rowid: rowid))
            """, arguments: IndexSelection.relevanceArguments(statistics) + selection.arguments)
            .map { RecencyBlend.Candidate(rowid: $0[0], relevance: $0[1], date: ($0[2] as Int?).map(Day.init(dayNumber:))) }
    }

    /// The rowids of every dispatch with `match`.
    public func rowids(matching match: FullTextMatch) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT rowid FROM dispatch_fts WHERE dispatch_fts MATCH ?", arguments: [match.fts5])
    }
}
