import Foundation
import GRDB

/// Counting and ranking in one walk, for a query of a single phrase and nothing else
/// whose page is read from every match in one statement anyway: sorted by relevance
/// alone (no recency bound stops it early), or a `prefix*` (FTS5 merges the doclists
/// of every word it matches anew for each statement).
///
/// Counting first would walk the matches twice: once for bm25's statistics (whose
/// document count is the total), once to rank. With one phrase, the idf multiplies every
/// score alike, so the ranking pass scores with an idf of 1 (``RelevanceFunction``) and
/// counts as it goes (``BlendAggregate``); the scores shown are scaled by the idf
/// afterwards, from that count. `france` by relevance at 1,000,000 dispatches: one
/// walk of its 412,172 matches instead of two.
extension Searcher {
    /// The pass that counts and ranks the first `kept` hits of `query`, or nil when its
    /// page does not read every match in one statement (a page of the hybrid or date sort
    /// of a plain word reads blocks, and an export streams).
    func pageInCount(_ query: CompiledQuery, options: SearchOptions, kept: Int?) -> Selection.PageInCount? {
        guard let kept, query.isSinglePhrase else { return nil }
        let unweighted: StatementArguments = [1]
        switch options.sort {
        case .relevance:
            return { db, selection in
                // A floor of 1 and no dates: the aggregate's order is relevance, then rowid.
                let (rows, ranked) = try blendPass(db, selection, BlendPass(kept: kept, reference: Day(dayNumber: 0), halfLifeDays: 1, floor: 1,
                                                                            relevanceScale: 1, relevanceStatistics: unweighted, dated: false),
                                                   rowids: RowidBlock.all.rowids)
                let idf = RelevanceFunction.QueryStatistics.inverseDocumentFrequency(holders: rows, rows: try RelevanceFunction.indexTotals(db).rows)
                return (rows, ranked.map { scored in
                    let relevance = idf * scored.candidate.relevance
                    return (RecencyBlend.Candidate(rowid: scored.candidate.rowid, relevance: relevance, date: nil), relevance)
                })
            }
        case .hybrid where query.hasPrefix:
            return { db, selection in
                // Scaled to its ceiling, relevance is the same with an idf of 1. The floor
                // depends on the count, known at the end of the pass.
                let ceiling = RelevanceFunction.QueryStatistics.unweighted(averageLength: 1, phrases: 1).ceiling
                return try blendPass(db, selection, BlendPass(kept: kept, reference: options.now, halfLifeDays: options.halfLifeDays, floor: nil,
                                                              broadFloor: options.recencyFloor, relevanceScale: ceiling, relevanceStatistics: unweighted),
                                     rowids: RowidBlock.all.rowids)
            }
        case .hybrid, .date:
            return nil
        }
    }
}
