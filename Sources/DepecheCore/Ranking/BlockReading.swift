import Foundation
import GRDB

/// Reading a query's matches block by block (`dispatch_blocks`), newest first, for the
/// hybrid and date sorts: a page stops reading when no block left can reach it.
extension Searcher {
    /// The first `kept` hits of the hybrid sort (all when nil).
    ///
    /// A match scores at most its recency (relevance is scaled to the query's ceiling),
    /// and the matches of a block of rowids are no newer than its newest date. Blocks are
    /// read in the order of that bound, and once the `kept`-th score beats the next
    /// block's bound no match left can enter: in an archive indexed roughly in date order,
    /// a common word reads its latest blocks instead of every match.
    ///
    /// Ages count from the newest matching dispatch (unless --now), whatever the page.
    /// Read in one statement, the matches give it themselves (``BlendAggregate``); by
    /// blocks, it is needed first, to bound them (``newestMatchingDate(_:_:)``).
    func blended(_ db: Database, _ selection: Selection, blend: RecencyBlend, options: SearchOptions,
                 byBlocks: Bool, kept: Int?) throws -> [RecencyBlend.Scored] {
        guard let statistics = selection.statistics?.decoded else { return [] }
        let reference = try options.now ?? (byBlocks ? newestMatchingDate(db, selection) : nil)
        let all = (RowidBlock.all, bound: 1.0)
        let blocks = byBlocks ? try self.blocks(db, selection).map { block in (block, bound: scoreBound(block, blend: blend, reference: reference)) }
            .sorted { $0.bound != $1.bound ? $0.bound > $1.bound : $0.0.rowids.lowerBound > $1.0.rowids.lowerBound }
            : [all]
        var best = BestFirst(capacity: kept, by: RecencyBlend.ranksBefore)
        try readBlocks(blocks, all: all, into: &best, outranks: { last, block in last.score > block.bound }) { block in
            try blendPass(db, selection, BlendPass(kept: kept, reference: reference, halfLifeDays: blend.halfLifeDays, floor: blend.floor,
                                                   relevanceScale: statistics.ceiling, relevanceStatistics: selection.relevanceArguments),
                          rowids: block.0.rowids).ranked
        }
        return best.ranked
    }

    /// The arguments of ``BlendAggregate`` (which see) that are the same for every row.
    struct BlendPass {
        var kept: Int?
        var reference: Day?
        var halfLifeDays: Double
        /// Nil: from the number of rows, with `broadFloor`.
        var floor: Double?
        var broadFloor = RecencyBlend.defaultFloor
        var relevanceScale: Double
        /// The `statistics` argument of ``RelevanceFunction``.
        var relevanceStatistics: StatementArguments
        /// Every row's day, or none: with a floor of 1, the relevance sort's order.
        var dated = true
    }

    /// The matches of `selection` among `rowids` blended by ``BlendAggregate`` in one
    /// statement: their number and the `kept` best.
    func blendPass(_ db: Database, _ selection: Selection, _ pass: BlendPass, rowids: ClosedRange<Int64>) throws -> (rows: Int, ranked: [RecencyBlend.Scored]) {
        // LIMIT -1 keeps SQLite from flattening the subquery into the aggregate, where
        // FTS5 refuses auxiliary functions.
        let statement = try db.cachedStatement(sql: """
            SELECT \(BlendAggregate.name)(?, ?, ?, ?, ?, ?, rowid, relevance, day) FROM (
                SELECT \(Selection.rowid) AS rowid, \(Selection.relevance) AS relevance, \(pass.dated ? Selection.day : "NULL") AS day
                \(selection.rankingFrom) AND dispatch_fts.rowid BETWEEN ? AND ? LIMIT -1)
            """)
        let arguments: StatementArguments = [pass.kept ?? -1, pass.reference?.dayNumber, pass.halfLifeDays, pass.floor, pass.broadFloor, pass.relevanceScale]
            + pass.relevanceStatistics + selection.arguments + [rowids.lowerBound, rowids.upperBound]
        return BlendAggregate.decode(try Data.fetchOne(statement, arguments: arguments) ?? Data())
    }

    /// The highest hybrid score a match in `block` can have: its recency at the block's
    /// newest date (relevance scaled to the query's ceiling is below 1).
    private func scoreBound(_ block: RowidBlock, blend: RecencyBlend, reference: Day?) -> Double {
        switch (block.newest, reference) {
        case (nil, _):
            return blend.recency(ageInDays: nil)
        case let (newest?, reference?) where newest <= reference:
            return blend.recency(ageInDays: reference.dayNumber - newest.dayNumber)
        default:
            // Ages count either side of the reference (--now in the past): a block with
            // dates after it may hold the reference day itself.
            return 1
        }
    }

    /// The newest date among the selected dispatches: counting with conditions found it
    /// already; otherwise the blocks are read newest first, as by the date sort, until the
    /// newest date found is at least the next block's newest.
    func newestMatchingDate(_ db: Database, _ selection: Selection) throws -> Day? {
        if let known = selection.newestFromCount { return known }
        let statement = try db.cachedStatement(sql: "SELECT max(\(Selection.day)) \(selection.rankingFrom) AND dispatch_fts.rowid BETWEEN ? AND ?")
        let blocks = try blocks(db, selection).sorted(by: RowidBlock.isNewer)
        var newest = BestFirst<Day>(capacity: 1, by: >)
        try readBlocks(blocks, all: .all, into: &newest, outranks: { found, block in block.newest.map { found >= $0 } ?? true }) { block in
            try Int.fetchOne(statement, arguments: selection.arguments + [block.rowids.lowerBound, block.rowids.upperBound]).map { [Day(dayNumber: $0)] } ?? []
        }
        return newest.ranked.first
    }

    /// The first `kept` hits of the date sort, read block by block, newest first: once
    /// the `kept`-th is newer than the next block's newest date, no match left can enter.
    func newestFirst(_ db: Database, _ selection: Selection, kept: Int) throws -> [RecencyBlend.Candidate] {
        let statement = try db.cachedStatement(sql: """
            SELECT \(Selection.rowid), \(Selection.relevance) AS relevance, \(Selection.day) AS day \(selection.rankingFrom) AND dispatch_fts.rowid BETWEEN ? AND ?
            ORDER BY day IS NULL, day DESC, relevance DESC, \(Selection.rowid) LIMIT ?
            """)
        let blocks = try blocks(db, selection).sorted(by: RowidBlock.isNewer)
        var best = BestFirst(capacity: kept, by: RecencyBlend.Candidate.publishedBefore)
        try readBlocks(blocks, all: .all, into: &best, outranks: { last, block in RecencyBlend.Candidate.isNewer(last.date, than: block.newest) }) { block in
            try Row.fetchAll(statement, arguments: selection.relevanceArguments + selection.arguments + [block.rowids.lowerBound, block.rowids.upperBound, kept])
                .map { RecencyBlend.Candidate(rowid: $0[0], relevance: $0[1], date: ($0[2] as Int?).map(Day.init(dayNumber:))) }
        }
        return best.ranked
    }

    /// A block of rowids of `dispatch_blocks` and the newest date of its dispatches.
    struct RowidBlock {
        let rowids: ClosedRange<Int64>
        let newest: Day?

        /// Every rowid, read in one statement.
        static let all = RowidBlock(rowids: Int64.min...Int64.max, newest: nil)

        /// Newest first (undated last), then the later rowids.
        static func isNewer(_ lhs: RowidBlock, _ rhs: RowidBlock) -> Bool {
            (lhs.newest ?? .distantPast, lhs.rowids.lowerBound) > (rhs.newest ?? .distantPast, rhs.rowids.lowerBound)
        }
    }

    /// The blocks that may hold dispatches of the selection.
    private func blocks(_ db: Database, _ selection: Selection) throws -> [RowidBlock] {
        let size = Int64(DispatchIndex.blockSize)
        return try Row.fetchAll(db, sql: "SELECT block, newest FROM dispatch_blocks").compactMap { row in
            let block: Int64 = row[0]
            let rowids = block * size...block * size + size - 1
            guard selection.rowids.map({ rowids.overlaps($0) }) ?? true else { return nil }
            return RowidBlock(rowids: rowids, newest: (row[1] as String?).flatMap { Day(iso: $0) })
        }
    }

    /// Reads the matches of `blocks` in order into `best`, until the last of a full `best`
    /// outranks anything the next block can hold, or, past ``blocksBeforeOneStatement``,
    /// reads `all` (every rowid) instead.
    private func readBlocks<Element, Block>(_ blocks: [Block], all: Block, into best: inout BestFirst<Element>,
                                            outranks: (Element, Block) -> Bool, _ matches: (Block) throws -> [Element]) throws {
        for (position, block) in blocks.enumerated() {
            if let last = best.lastWhenFull, outranks(last, block) { return }
            if position == blocksBeforeOneStatement {
                best.removeAll()
                for element in try matches(all) { best.add(element) }
                return
            }
            for element in try matches(block) { best.add(element) }
        }
    }
}
