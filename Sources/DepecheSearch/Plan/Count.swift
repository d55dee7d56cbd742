import DepecheModel
import DepecheRanking
import DepecheIndex

/// What counting a plan's matches found: returned, not left in fields for the ranking
/// to read later.
struct Count {
    /// The number of matching dispatches, not only the page; when not ``isExact``, more
    /// than this many.
    var total = 0
    /// False when counting stopped at the plan's ``SearchPlan/countLimit``.
    var isExact = true
    /// bm25's statistics of the match (nil: no words, or not needed: the counting pass ranked).
    var statistics: BM25Statistics?
    /// The reference day of the hybrid sort among the matches (``RecencyBlend/referenceDay(amongDays:matches:)``),
    /// when counting found it in the same pass (`.some(nil)`: none dated): counting with
    /// conditions reads every match's columns anyway, and a second pass for the dates
    /// would read them all again.
    var reference: Day?? = nil
    /// The ranked page, when the counting pass ranked it (``SearchPlan/Counting/rankedWhileCounting``).
    var page: [RecencyBlend.Scored]?
}

extension SearchPlan {
    /// Counts the plan's matches by its ``Counting`` route.
    ///
    /// The statistics count the rows of each phrase (or word group) of the match: when
    /// the match is a single one and nothing else is asked, that count is the answer, and
    /// a common word's doclist is not walked a second time. A query of words asked by
    /// their forms (``WordGroups``) counts each word's rows by its forms joined by OR —
    /// FTS5 walks them faster than a phrase of alternatives at one position — and the
    /// statistics follow from those counts and FTS5's totals.
    ///
    /// Under a ``countLimit``, the total stops there. The statistics stay exact (the
    /// weights of the words depend on them), except for a single word ranked by the
    /// hybrid sort, whose idf scales every score alike and cancels out of relevance
    /// scaled to its ceiling: its count stops too, and a broad word walks its limit,
    /// not its doclist.
    func count(_ reader: IndexReader) throws -> Count {
        var count = Count()
        switch counting {
        case .rankedWhileCounting:
            return try RankedWhileCounting(plan: self).count(reader)
        case .filtersOnly:
            break
        case .byWordGroups(let groups):
            let single = selection.matchOnly && groups.expressions.count == 1
            let limit = single && options.sort == .hybrid ? countLimit : nil
            let holders = try groups.expressions.map { try reader.count(matching: $0, upTo: limit) }
            guard !holders.contains(0) else { return count }
            let totals = try reader.totals()
            if let limit, holders[0] > limit {
                count.total = limit
                count.isExact = false
                count.statistics = BM25Statistics.unweighted(averageLength: totals.averageLength, groups: 1, layout: groups.layout)
                return count
            }
            count.statistics = BM25Statistics(averageLength: totals.averageLength, rows: totals.rows, documentCounts: holders, layout: groups.layout)
            if selection.matchOnly, holders.count == 1 {
                count.total = holders[0]
                return count
            }
        case .byPhraseWalk:
            guard let match = selection.match, let statistics = try reader.phraseStatistics(match) else { return count }
            count.statistics = statistics
            if selection.matchOnly, statistics.documentCounts.count == 1 {
                count.total = statistics.documentCounts[0]
                return count
            }
        }
        if selection.matchOnly, let match = selection.match {
            let total = try reader.count(matching: match, upTo: countLimit)
            count.total = min(total, countLimit ?? total)
            count.isExact = total == count.total
            return count
        }
        let (total, reference) = try reader.countWithReference(selection)
        count.total = total
        count.reference = .some(reference)
        return count
    }
}
