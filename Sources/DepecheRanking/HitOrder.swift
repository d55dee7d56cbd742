/// An order of hits that the index applies in SQL as well as here: keys compared one
/// after the other. Defined once, in these keys: the index writes its `ORDER BY` from
/// them, and Swift code comparing candidates uses ``sortsBefore(_:_:)``, so the two
/// cannot drift apart.
///
///     let page = candidates.sorted(by: HitOrder.date.sortsBefore)
public struct HitOrder: Equatable, Sendable {
    /// One comparison.
    public enum Key: Equatable, Sendable {
        /// Newest first, undated last.
        case newestFirst
        /// Higher relevance first.
        case mostRelevant
        /// The first indexed (lower rowid) first: the last tie-breaker, so that an order
        /// never depends on how the candidates were read.
        case firstIndexed
    }

    public let keys: [Key]

    /// The relevance sort: bm25 with field weights.
    public static let relevance = HitOrder(keys: [.mostRelevant, .firstIndexed])
    /// The date sort, also the order of a query of filters only: newest first; among
    /// equals the more relevant.
    public static let date = HitOrder(keys: [.newestFirst, .mostRelevant, .firstIndexed])

    /// Whether `lhs` comes before `rhs`.
    public func sortsBefore(_ lhs: RecencyBlend.Candidate, _ rhs: RecencyBlend.Candidate) -> Bool {
        for key in keys {
            switch key {
            case .newestFirst where lhs.date != rhs.date:
                return RecencyBlend.Candidate.isNewer(lhs.date, than: rhs.date)
            case .mostRelevant where lhs.relevance != rhs.relevance:
                return lhs.relevance > rhs.relevance
            case .firstIndexed where lhs.rowid != rhs.rowid:
                return lhs.rowid < rhs.rowid
            default:
                continue
            }
        }
        return false
    }
}
