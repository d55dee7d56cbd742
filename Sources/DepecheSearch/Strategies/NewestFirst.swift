import DepecheRanking
import DepecheIndex

/// The date sort (newest first, undated last, then by relevance), and the order of a
/// query of filters only. A page of many matches is read block by block, newest first:
/// once its last hit is newer than the next block's newest date, no match left can
/// enter (``BlockScan``); otherwise one sorted statement.
struct NewestFirst: RankingStrategy {
    let plan: SearchPlan
    /// From this many matches on, block by block (nil: never).
    let blocksFromMatches: Int?

    func forEachRanked(_ reader: IndexReader, _ count: Count, _ body: (Int64, Double) throws -> Void) throws {
        let page = plan.page
        guard let kept = page.kept, let threshold = blocksFromMatches, count.total >= threshold else {
            return try reader.forEach(plan.selection, in: .date, statistics: count.statistics, limit: page.limit, offset: page.offset, body)
        }
        let scan = BlockScan(reader: reader, selection: plan.selection, limits: plan.limits)
        let blocks = try scan.blocks().sorted(by: RowidBlock.isNewer)
        var best = BestFirst(capacity: kept, by: HitOrder.date.sortsBefore)
        try scan.read(blocks, into: &best, outranks: { last, block in RecencyBlend.Candidate.isNewer(last.date, than: block.newest) }) { block in
            try reader.newestFirst(plan.selection, statistics: count.statistics, in: block, limit: kept)
        }
        try page.forEach(in: best.ranked) { try body($0.rowid, $0.relevance) }
    }
}
