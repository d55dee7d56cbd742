import DepecheModel
import DepecheRanking
import DepecheIndex

/// The hybrid sort: relevance blended with recency (``RecencyBlend``), computed inside
/// SQLite by the index's blend aggregate over the matches.
///
/// A match scores at most its recency (relevance is scaled to the query's ceiling), and
/// the matches of a block of rowids are no newer than its newest date. A page of many
/// matches reads blocks in the order of that bound, and once the `kept`-th score beats
/// the next block's bound no match left can enter: in an archive indexed roughly in date
/// order, a common word reads its latest blocks instead of every match.
///
/// Ages count from the matches' reference day (unless --now), whatever the page
/// (``RecencyBlend/referenceDay(amongDays:matches:)``). Read in one statement, the
/// matches give it themselves; by blocks, it is needed first, to bound them
/// (``BlockScan/newestMatchingDate(rank:)``).
struct Blended: RankingStrategy {
    let plan: SearchPlan
    /// From this many matches on, block by block (nil: never).
    let blocksFromMatches: Int?

    func forEachRanked(_ reader: IndexReader, _ count: Count, _ body: (Int64, Double) throws -> Void) throws {
        guard let statistics = count.statistics else { return }
        let options = plan.options, page = plan.page
        let blend = RecencyBlend(halfLifeDays: options.halfLifeDays,
                                 floor: RecencyBlend.floor(forMatches: count.total, broadFloor: options.recencyFloor),
                                 laterIsFresh: options.now == nil)
        let byBlocks = page.kept != nil && blocksFromMatches.map { count.total >= $0 } == true
        let scan = BlockScan(reader: reader, selection: plan.selection, limits: plan.limits)
        // The highest tier of exact forms and proximity a match can reach (BM25Statistics.Layout).
        let tiers = Double(statistics.layout?.highestTier ?? 0)
        // Read in one statement, the matches give their reference day themselves; by
        // blocks it is needed first, to bound them (the one found by the count serves).
        let rank = RecencyBlend.referenceRank(matches: count.total)
        let reference = try options.now ?? (byBlocks ? count.reference ?? scan.newestMatchingDate(rank: rank) : nil)
        let blocks = byBlocks
            ? try scan.blocks().map { ($0, bound: Self.scoreBound($0, blend: blend, reference: reference, tiers: tiers)) }
                .sorted { $0.bound != $1.bound ? $0.bound > $1.bound : $0.0.rowids.lowerBound > $1.0.rowids.lowerBound }
            : [(RowidBlock.all, bound: 1.0)]
        var best = BestFirst(capacity: page.kept, by: RecencyBlend.ranksBefore)
        let pass = BlendPass(kept: page.kept, reference: reference, halfLifeDays: blend.halfLifeDays, floor: blend.floor,
                             relevanceScale: statistics.ceiling, statistics: statistics, laterIsFresh: options.now == nil)
        try scan.read(blocks.map(\.0), into: &best, outranks: { last, block in
            last.score > Self.scoreBound(block, blend: blend, reference: reference, tiers: tiers)
        }) { block in
            try reader.blend(plan.selection, pass, in: block).ranked
        }
        try page.forEach(in: best.ranked) { try body($0.candidate.rowid, $0.score) }
    }

    /// The highest hybrid score a match in `block` can have: the highest tier,
    /// plus its recency at the block's newest date (relevance within a tier, scaled to
    /// the query's ceiling, is below 1).
    static func scoreBound(_ block: RowidBlock, blend: RecencyBlend, reference: Day?, tiers: Double) -> Double {
        switch (block.newest, reference) {
        case (nil, _):
            return tiers + blend.recency(ageInDays: nil)
        case let (newest?, reference?) where newest <= reference:
            return tiers + blend.recency(ageInDays: reference.dayNumber - newest.dayNumber)
        default:
            // Ages count either side of the reference (--now in the past): a block with
            // dates after it may hold the reference day itself.
            return tiers + 1
        }
    }
}
