import DepecheModel
import DepecheRanking
import DepecheIndex

/// Counting and ranking in one walk, for a query of a single phrase and nothing else
/// whose page is read from every match in one statement anyway: sorted by relevance
/// alone (no recency bound stops it early), or a `prefix*` in the hybrid sort.
///
/// Counting first would walk the matches twice: once for bm25's statistics (whose
/// document count is the total), once to rank. With one phrase, the idf multiplies every
/// score alike, so the ranking pass scores with an idf of 1 and counts as it goes (the
/// index's blend aggregate); the scores shown are scaled by the idf afterwards, from that
/// count. `france` by relevance at 1,000,000 dispatches: one walk of its 412,172 matches
/// instead of two.
struct RankedWhileCounting: RankingStrategy {
    let plan: SearchPlan

    /// The count, with the page ranked.
    func count(_ reader: IndexReader) throws -> Count {
        let options = plan.options
        let (rows, ranked): (Int, [RecencyBlend.Scored])
        switch options.sort {
        case .relevance:
            // A floor of 1 and no dates: the aggregate's order is relevance, then rowid.
            let totals = try reader.totals()
            let pass = BlendPass(kept: plan.page.kept, reference: Day(dayNumber: 0), halfLifeDays: 1, floor: 1,
                                 relevanceScale: 1, statistics: unweighted(totals), dated: false, laterIsFresh: false)
            let walked = try reader.blend(plan.selection, pass, in: .all)
            let idf = BM25Statistics.inverseDocumentFrequency(holders: walked.rows, rows: totals.rows)
            rows = walked.rows
            ranked = walked.ranked.map { scored in
                let relevance = idf * scored.candidate.relevance
                return (RecencyBlend.Candidate(rowid: scored.candidate.rowid, relevance: relevance, date: nil), relevance)
            }
        case .hybrid, .date:
            // Scaled to its ceiling, relevance is the same with an idf of 1. The floor
            // depends on the count, known at the end of the pass.
            let ceiling = BM25Statistics.unweighted(averageLength: 1, groups: 1).ceiling
            let pass = BlendPass(kept: plan.page.kept, reference: options.now, halfLifeDays: options.halfLifeDays, floor: nil,
                                 broadFloor: options.recencyFloor, relevanceScale: ceiling, statistics: try unweighted(reader.totals()),
                                 laterIsFresh: options.now == nil)
            (rows, ranked) = try reader.blend(plan.selection, pass, in: .all)
        }
        return Count(total: rows, page: ranked)
    }

    /// bm25's statistics with an idf of 1: the layout of the query's word, when it is asked
    /// by its forms; else nil, which the index's relevance function reads as every idf 1.
    private func unweighted(_ totals: (rows: Int, averageLength: Double)) -> BM25Statistics? {
        plan.groups.map { BM25Statistics.unweighted(averageLength: totals.averageLength, groups: 1, layout: $0.layout) }
    }

    func forEachRanked(_ reader: IndexReader, _ count: Count, _ body: (Int64, Double) throws -> Void) throws {
        try plan.page.forEach(in: count.page ?? []) { try body($0.candidate.rowid, $0.score) }
    }
}

extension Page {
    /// Calls `body` with the elements of the page among `ranked`, the whole list ranked
    /// from the first.
    func forEach<Element>(in ranked: some Collection<Element>, _ body: (Element) throws -> Void) throws {
        var page = ranked.dropFirst(offset)[...]
        if let limit { page = page.prefix(limit) }
        for element in page { try body(element) }
    }
}
