import DepecheIndex

/// The relevance sort: bm25 with field weights, every match scored in one statement and
/// kept by SQLite's sorter. FTS5 has no top-k pruning: the best by relevance alone can
/// only be found by scoring every match (never FTS5's own `ORDER BY rank`, which sorts
/// every match before returning the first: twice the time of a bounded sort).
struct ByRelevance: RankingStrategy {
    let plan: SearchPlan

    func forEachRanked(_ reader: IndexReader, _ count: Count, _ body: (Int64, Double) throws -> Void) throws {
        try reader.forEach(plan.selection, in: .relevance, statistics: count.statistics, limit: plan.page.limit,
                           offset: plan.page.offset, body)
    }
}
