import Foundation

/// Blends relevance with recency: `score = relevance × (floor + (1 − floor) × 2^(−age / halfLife))`.
///
/// Multiplying by a bare decay lets freshness erase perfect matches (ElasticPress
/// moved away from it); the floor bounds what age can cost, so a strong old match
/// still beats a weak fresh one, while between equal matches the newer wins.
/// Relevance is bm25 scaled to the best candidate (1.0), so the floor is a fraction
/// of the best match, whatever the query.
public struct RecencyBlend: Sendable {
    /// Default half-life: a month, the pace at which wire topics renew themselves.
    public static let defaultHalfLifeDays = 30.0
    /// Default floor: a very old dispatch keeps half of its relevance.
    public static let defaultFloor = 0.5

    public let halfLifeDays: Double
    public let floor: Double

    public init(halfLifeDays: Double = defaultHalfLifeDays, floor: Double = defaultFloor) {
        self.halfLifeDays = halfLifeDays
        self.floor = floor
    }

    /// The recency factor of a dispatch `ageInDays` old (nil: undated, scored as very old).
    public func recency(ageInDays: Int?) -> Double {
        guard let ageInDays else { return floor }
        return floor + (1 - floor) * pow(2, -Double(max(0, ageInDays)) / halfLifeDays)
    }

    /// A candidate of the blend: its bm25 relevance (higher is better) and date.
    public struct Candidate: Sendable {
        public let rowid: Int64
        public let relevance: Double
        public let date: Day?

        public init(rowid: Int64, relevance: Double, date: Day?) {
            self.rowid = rowid
            self.relevance = relevance
            self.date = date
        }
    }

    /// Candidates ordered by blended score, best first (ties: more relevant, then newer).
    /// Age is counted from `reference`, or from the newest candidate: in a years-old
    /// archive "recent" means the latest on this topic.
    public func rank(_ candidates: [Candidate], reference: Day?) -> [(candidate: Candidate, score: Double)] {
        let best = candidates.map(\.relevance).max() ?? 0
        let referenceDay = (reference ?? candidates.compactMap(\.date).max())?.dayNumber
        let scored = candidates.map { candidate -> (Candidate, Double) in
            let relevance = best > 0 ? candidate.relevance / best : 0
            let age = candidate.date.flatMap { date in referenceDay.map { $0 - date.dayNumber } }
            return (candidate, relevance * recency(ageInDays: age))
        }
        return scored.sorted { lhs, rhs in
            if lhs.1 != rhs.1 { return lhs.1 > rhs.1 }
            if lhs.0.relevance != rhs.0.relevance { return lhs.0.relevance > rhs.0.relevance }
            guard let left = lhs.0.date else { return false }
            return rhs.0.date.map { left > $0 } ?? true
        }
    }
}
