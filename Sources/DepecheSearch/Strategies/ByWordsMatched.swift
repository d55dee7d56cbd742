import DepecheRanking
import DepecheIndex

/// The order of a relaxed query (any word, when no dispatch has them all): first by how
/// many of the query's words a dispatch has, then as the sort asks, so that a dispatch
/// with three of four words beats one with a single rare word.
struct ByWordsMatched: RankingStrategy {
    let plan: SearchPlan

    func forEachRanked(_ reader: IndexReader, _ count: Count, _ body: (Int64, Double) throws -> Void) throws {
        var wordsMatched: [Int64: Int] = [:]
        for term in plan.query.relaxedTerms {
            for rowid in try reader.rowids(matching: term) { wordsMatched[rowid, default: 0] += 1 }
        }
        let candidates = try reader.candidates(plan.selection, statistics: count.statistics)
        let options = plan.options
        let ordered: [RecencyBlend.Scored]
        switch options.sort {
        case .hybrid:
            let blend = RecencyBlend(halfLifeDays: options.halfLifeDays,
                                     floor: RecencyBlend.floor(forMatches: count.total, broadFloor: options.recencyFloor))
            ordered = blend.rank(candidates, reference: options.now, relevanceScale: count.statistics?.ceiling ?? 1)
        case .relevance:
            ordered = candidates.sorted(by: HitOrder.relevance.sortsBefore).map { ($0, $0.relevance) }
        case .date:
            ordered = candidates.sorted(by: HitOrder.date.sortsBefore).map { ($0, $0.relevance) }
        }
        // A stable sort keeps the sort's order among dispatches with as many words.
        let byWords = ordered.enumerated().sorted { lhs, rhs in
            let left = wordsMatched[lhs.element.candidate.rowid] ?? 0, right = wordsMatched[rhs.element.candidate.rowid] ?? 0
            return left != right ? left > right : lhs.offset < rhs.offset
        }
        try plan.page.forEach(in: byWords) { try body($0.element.candidate.rowid, $0.element.score) }
    }
}
