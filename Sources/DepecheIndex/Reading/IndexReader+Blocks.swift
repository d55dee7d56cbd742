import Foundation
import GRDB
import DepecheModel
import DepecheRanking

/// A block of rowids of `dispatch_blocks` and the newest date of its dispatches: the
/// unit in which the hybrid and date sorts read a common word's matches newest first.
public struct RowidBlock: Sendable {
    public let rowids: ClosedRange<Int64>
    /// An upper bound (never lowered when a dispatch goes); nil when none is dated.
    public let newest: Day?

    /// Every rowid, read in one statement.
    public static let all = RowidBlock(rowids: Int64.min...Int64.max, newest: nil)

    /// Newest first (undated last), then the later rowids.
    public static func isNewer(_ lhs: RowidBlock, _ rhs: RowidBlock) -> Bool {
        (lhs.newest ?? .distantPast, lhs.rowids.lowerBound) > (rhs.newest ?? .distantPast, rhs.rowids.lowerBound)
    }
}

/// What ``BlendAggregate`` needs besides the rows (which see): the same for every row.
public struct BlendPass: Sendable {
    public let kept: Int?
    public let reference: Day?
    public let halfLifeDays: Double
    /// Nil: from the number of rows, with `broadFloor`.
    public let floor: Double?
    public let broadFloor: Double
    public let relevanceScale: Double
    /// The statistics of ``RelevanceFunction``; nil takes every idf as 1 (one phrase:
    /// the idf scales every score alike).
    public let statistics: BM25Statistics?
    /// Every row's day, or none: with a floor of 1, the relevance sort's order.
    public let dated: Bool
    /// `reference` was found among the matches (no `--now`): later dates are fresh
    /// (``RecencyBlend/laterIsFresh``). Without a reference the aggregate finds one, and
    /// later dates are fresh anyway.
    public let laterIsFresh: Bool

    public init(kept: Int?, reference: Day?, halfLifeDays: Double, floor: Double?, broadFloor: Double = RecencyBlend.defaultFloor,
                relevanceScale: Double, statistics: BM25Statistics?, dated: Bool = true, laterIsFresh: Bool) {
        self.laterIsFresh = laterIsFresh
        self.kept = kept
        self.reference = reference
        self.halfLifeDays = halfLifeDays
        self.floor = floor
        self.broadFloor = broadFloor
        self.relevanceScale = relevanceScale
        self.statistics = statistics
        self.dated = dated
    }
}

extension IndexReader {
    /// The blocks that may hold dispatches of `selection`.
    public func blocks(_ selection: IndexSelection) throws -> [RowidBlock] {
        let size = Int64(DispatchIndex.blockSize)
        return try Row.fetchAll(db, sql: "SELECT block, newest FROM dispatch_blocks").compactMap { row in
            let block: Int64 = row[0]
            let rowids = block * size...block * size + size - 1
            guard selection.rowids.map({ rowids.overlaps($0) }) ?? true else { return nil }
            return RowidBlock(rowids: rowids, newest: (row[1] as String?).flatMap { Day(iso: $0) })
        }
    }

    /// The matches of `selection` in `block` blended by ``BlendAggregate`` in one
    /// statement: their number and the `kept` best.
    public func blend(_ selection: IndexSelection, _ pass: BlendPass, in block: RowidBlock) throws -> (rows: Int, ranked: [RecencyBlend.Scored]) {
        let selection = selection.within(block)
        // LIMIT -1 keeps SQLite from flattening the subquery into the aggregate, where
        // FTS5 refuses auxiliary functions.
        let statement = try db.cachedStatement(sql: """
            SELECT \(BlendAggregate.name)(?, ?, ?, ?, ?, ?, ?, rowid, relevance, day) FROM (
                SELECT \(IndexSelection.rowid) AS rowid, \(IndexSelection.relevance) AS relevance, \(pass.dated ? IndexSelection.day : "NULL") AS day
                \(selection.rankingFrom) LIMIT -1)
            """)
        // A statistics argument of 1 (an integer) takes every idf as 1 (RelevanceFunction).
        let statistics: StatementArguments = pass.statistics.map { IndexSelection.relevanceArguments($0) } ?? [1]
        let arguments: StatementArguments = [pass.kept ?? -1, pass.reference?.dayNumber, pass.halfLifeDays, pass.floor, pass.broadFloor, pass.relevanceScale,
                                             pass.laterIsFresh]
            + statistics + selection.arguments
        return BlendAggregate.decode(try Data.fetchOne(statement, arguments: arguments) ?? Data())
    }

    /// The matches of `selection` in `block` counted by day: the newest days, until they
    /// hold `cover` matches.
    public func newestDays(_ selection: IndexSelection, in block: RowidBlock, covering cover: Int) throws -> MatchDays {
        let selection = selection.within(block)
        let statement = try db.cachedStatement(sql: """
            SELECT \(NewestDaysAggregate.name)(?, \(IndexSelection.day)) \(selection.rankingFrom)
            """)
        let arguments: StatementArguments = [cover] + selection.arguments
        return NewestDaysAggregate.decode(try Data.fetchOne(statement, arguments: arguments) ?? Data()).days
    }

    /// The first `limit` matches of `selection` in `block` by the date sort.
    public func newestFirst(_ selection: IndexSelection, statistics: BM25Statistics?, in block: RowidBlock, limit: Int) throws -> [RecencyBlend.Candidate] {
        let selection = selection.within(block)
        let rowid = IndexSelection.rowid
        let statement = try db.cachedStatement(sql: """
            SELECT \(rowid), \(IndexSelection.relevance) AS relevance, \(IndexSelection.day) AS day \(selection.rankingFrom)
            \(IndexSelection.orderBy(.date, day: "day", relevance: "relevance", rowid: rowid)) LIMIT ?
            """)
        let arguments = IndexSelection.relevanceArguments(statistics) + selection.arguments + [limit]
        return try Row.fetchAll(statement, arguments: arguments)
            .map { RecencyBlend.Candidate(rowid: $0[0], relevance: $0[1], date: ($0[2] as Int?).map(Day.init(dayNumber:))) }
    }
}
