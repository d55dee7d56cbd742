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

    /// Reads the matches of `blocks` in order into `best`, until the last of a full `best`
    /// outranks anything the next block can hold, or, past
    /// ``BlockReadingLimits/blocksBeforeOneStatement``, reads every rowid in one
    /// statement instead.
    func read<Element>(_ blocks: [RowidBlock], into best: inout BestFirst<Element>,
                       outranks: (Element, RowidBlock) -> Bool, _ matches: (RowidBlock) throws -> [Element]) throws {
        for (position, block) in blocks.enumerated() {
            if let last = best.lastWhenFull, outranks(last, block) { return }
            if position == limits.blocksBeforeOneStatement {
                best.removeAll()
                for element in try matches(.all) { best.add(element) }
                return
            }
            for element in try matches(block) { best.add(element) }
        }
    }

    /// The `rank`-th newest date among the matches (the oldest dated one when fewer are
    /// dated): the blocks are read newest first, as by the date sort, until the `rank`
    /// newest dates found are all at least the next block's newest.
    func newestMatchingDate(rank: Int = 1) throws -> Day? {
        var newest = BestFirst<Day>(capacity: rank, by: >)
        try read(blocks().sorted(by: RowidBlock.isNewer), into: &newest, outranks: { found, block in block.newest.map { found >= $0 } ?? true }) { block in
            try reader.newestDays(selection, in: block, limit: rank)
        }
        return newest.ranked.last
    }
}
