import DepecheModel
import DepecheRanking
import DepecheIndex

/// Reading a query's matches block by block (`dispatch_blocks`), in the order of a bound
/// on what each block can hold, for the hybrid and date sorts: a page stops reading when
/// no block left can reach it.
struct BlockScan {
    let reader: IndexReader
    let selection: IndexSelection
    let limits: BlockReadingLimits

    /// The blocks that may hold matches.
    func blocks() throws -> [RowidBlock] {
        try reader.blocks(selection)
    }

    /// Reads the matches of `blocks` in order into `found`, until `settled` says that the
    /// next block cannot change it, or, past ``BlockReadingLimits/blocksBeforeOneStatement(of:)``,
    /// reads every rowid in one statement instead, into `found` set back to `emptied`.
    func read<Found>(_ blocks: [RowidBlock], into found: inout Found, emptied: Found,
                     settled: (Found, RowidBlock) -> Bool, _ gather: (inout Found, RowidBlock) throws -> Void) throws {
        let giveUpAt = limits.blocksBeforeOneStatement(of: blocks.count)
        for (position, block) in blocks.enumerated() {
            if settled(found, block) { return }
            if position == giveUpAt {
                found = emptied
                return try gather(&found, .all)
            }
            try gather(&found, block)
        }
    }

    /// Reads the matches of `blocks` in order into `best`, until the last of a full `best`
    /// outranks anything the next block can hold.
    func read<Element>(_ blocks: [RowidBlock], into best: inout BestFirst<Element>,
                       outranks: (Element, RowidBlock) -> Bool, _ matches: (RowidBlock) throws -> [Element]) throws {
        try read(blocks, into: &best, emptied: BestFirst(capacity: best.capacity, by: best.ranksBefore),
                 settled: { best, block in best.lastWhenFull.map { outranks($0, block) } ?? false }) { best, block in
            for element in try matches(block) { best.add(element) }
        }
    }

    /// The `rank`-th newest date among the matches (the oldest dated one when fewer are
    /// dated): the blocks are read newest first, as by the date sort, their matches
    /// counted by day, until the `rank`-th newest day found is at least the next block's
    /// newest. In an archive not indexed in date order that never comes, and every match
    /// is counted in one statement.
    func newestMatchingDate(rank: Int = 1) throws -> Day? {
        var found = MatchDays()
        try read(blocks().sorted(by: RowidBlock.isNewer), into: &found, emptied: MatchDays(), settled: { found, block in
            guard let day = found.day(atRank: rank) else { return false }
            return block.newest.map { day >= $0.dayNumber } ?? true
        }) { found, block in
            found.merge(try reader.newestDays(selection, in: block, covering: rank))
        }
        return (found.day(atRank: rank) ?? found.oldest).map(Day.init(dayNumber:))
    }
}
