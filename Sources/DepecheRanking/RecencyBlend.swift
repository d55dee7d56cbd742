import Foundation
import DepecheModel

/// Blends relevance with recency. With `scaled` the relevance over the highest the query
/// can reach, split into its whole tier (the words found in their exact form) and the
/// rest, that rest counted fully from ``squarelyAbout`` on: `score = tier + min(1,
/// (scaled − tier) / squarelyAbout) × (floor + (1 − floor) × 2^(−age / halfLife))`; age
/// orders dispatches of one tier, never across tiers.
///
/// Multiplying by a bare decay lets freshness erase perfect matches (ElasticPress
/// moved away from it); the floor bounds what age can cost, so a strong old match
/// still beats a weak fresh one, while between equal matches the newer wins.
/// Relevance is bm25 scaled to the highest the query can reach, so the floor is a
/// fraction of a match's relevance, whatever the query.
///
/// Scoring is inlinable: the index's blend aggregate scores every match of a query.
public struct RecencyBlend: Sendable {
    /// Default half-life: two months. With the floors below, tuned on the OrangeSum
    /// evaluation (docs/RELEVANCE.md): recurring topics show their latest stories while
    /// known-item search stays within 0.02 of pure relevance. Shorter half-lives favour the
    /// last few days only and let older stories of the topic's latest months fall behind.
    public static let defaultHalfLifeDays = 60.0
    /// Default floor of broad queries: a very old dispatch keeps 85% of its relevance.
    /// Swept on the training split with the mixed archive's recency topics (floor:
    /// known-item MRR@10 / Success@10 / recency share): 0.7: 0.829 / 0.923 / 90%, 0.75:
    /// 0.830 / 0.923 / 90%, 0.8: 0.837 / 0.923 / 90%, 0.85: 0.838 / 0.927 / 89%, 0.9:
    /// 0.838 / 0.933 / 84%. Once exact forms rank by tiers, a higher floor costs recurring
    /// topics next to nothing; 0.9 starts to.
    public static let defaultFloor = 0.85
    /// The share of the highest relevance within a tier from which a match is squarely
    /// about the query, and recency alone orders it among such matches: the latest
    /// `Brexit` stories before older ones that repeat the word more. Swept on the training
    /// split (docs/RELEVANCE.md, step 9; share: known-item MRR@10 / newest-quarter share of
    /// recurring and multi-year topics): 1: 0.837 / 0.84, 0.95: 0.837 / 0.84, 0.9: 0.838 /
    /// 0.86, 0.85: 0.824 / 0.87, 0.8: 0.812 / 0.88, 0.7: 0.795 / 0.90. Below 0.9, a known
    /// item loses to newer dispatches that merely share its words.
    public static let squarelyAbout = 0.9

    public let halfLifeDays: Double
    public let floor: Double
    /// Dispatches dated after the reference day are fresh (age 0): true when the reference
    /// comes from the matches (``referenceDay(amongDays:matches:)``), false for a `--now`
    /// given, where later dispatches are not fresh (distance either side).
    public let laterIsFresh: Bool

    /// The floor for a query with `matches` hits, given the floor of broad queries.
    ///
    /// The more dispatches match, the less relevance alone tells them apart, and the more
    /// recency should decide: a broad query (`coronavirus`, thousands of hits) shows the
    /// latest stories, while a precise one (a few words of a title, a handful of hits)
    /// finds its story whatever its age, recency only breaking ties. Between
    /// ``narrowMatches`` and ``broadMatches`` hits the floor moves from 1 to `broadFloor`
    /// with the logarithm of the count.
    public static func floor(forMatches matches: Int, broadFloor: Double) -> Double {
        let position = log(max(1, Double(matches)) / Double(narrowMatches)) / log(Double(broadMatches) / Double(narrowMatches))
        let broadness = min(1, max(0, position))
        return 1 + (broadFloor - 1) * broadness
    }

    /// The day ages count from when no `--now` is given: the ``referenceRank(matches:)``-th
    /// newest of the `days` of `matches` matches (undated ones count in `matches`, not in
    /// `days`; with fewer days than that rank, the oldest).
    ///
    /// Why not the newest: in an archive that mixes periods, one stray recent mention sets
    /// it — indexed with the 2025 Senegalese press, `confinement` had its newest match in
    /// July 2025, which made every 2020 lockdown story five years old and left recency
    /// ordering nothing. A few recent mentions no longer move it; a real recent wave does.
    public static func referenceDay(amongDays days: [Int], matches: Int) -> Int? {
        var counted = MatchDays()
        for day in days { counted.add(day) }
        return counted.referenceDay(matches: matches)
    }

    /// Which newest date is the reference of `matches` matches: the oldest of the newest
    /// ``referenceShare`` of them (the newest itself for up to 20).
    public static func referenceRank(matches: Int) -> Int {
        max(1, Int((Double(matches) * referenceShare).rounded(.up)))
    }

    /// The share of the newest matches that sets the reference day (5%).
    public static let referenceShare = 0.05

    /// Up to this many hits, a query is precise: pure relevance, newer first among equals.
    public static let narrowMatches = 30
    /// From this many hits on, a query is broad: the floor is the broad floor.
    public static let broadMatches = 1_000

    public init(halfLifeDays: Double = defaultHalfLifeDays, floor: Double = defaultFloor, laterIsFresh: Bool = false) {
        self.halfLifeDays = halfLifeDays
        self.floor = floor
        self.laterIsFresh = laterIsFresh
    }

    /// The recency factor of a dispatch `ageInDays` old (nil: undated, scored as very old).
    @inlinable
    public func recency(ageInDays: Int?) -> Double {
        guard let ageInDays else { return floor }
        return floor + (1 - floor) * pow(2, -Double(max(0, ageInDays)) / halfLifeDays)
    }

    /// A candidate and its blended score.
    public typealias Scored = (candidate: Candidate, score: Double)

    /// A candidate of the blend: its bm25 relevance (higher is better) and date.
    public struct Candidate: Sendable {
        public let rowid: Int64
        public let relevance: Double
        public let date: Day?

        @inlinable
        public init(rowid: Int64, relevance: Double, date: Day?) {
            self.rowid = rowid
            self.relevance = relevance
            self.date = date
        }

        /// Whether `date` comes before `other` newest first, undated last.
        @inlinable
        public static func isNewer(_ date: Day?, than other: Day?) -> Bool {
            guard let date else { return false }
            return other.map { date > $0 } ?? true
        }
    }

    /// Candidates ordered by blended score, best first (``ranksBefore(_:_:)``), relevance
    /// scaled to `relevanceScale` (the query's ``RelevanceFunction/QueryStatistics/ceiling``).
    /// Age is the distance in days from `reference`, or from the candidates' own reference
    /// (``referenceDay(amongDays:matches:)``): in a
    /// years-old archive "recent" means the latest on this topic.
    public func rank(_ candidates: [Candidate], reference: Day?, relevanceScale: Double) -> [Scored] {
        let referenceDay = reference?.dayNumber ?? Self.referenceDay(amongDays: candidates.compactMap(\.date?.dayNumber), matches: candidates.count)
        let blend = RecencyBlend(halfLifeDays: halfLifeDays, floor: floor, laterIsFresh: reference == nil)
        return candidates.map { ($0, blend.score($0, relevanceScale: relevanceScale, referenceDay: referenceDay)) }.sorted(by: Self.ranksBefore)
    }

    /// The blended score of a candidate: its relevance scaled to `relevanceScale` (the
    /// highest relevance the query can reach: scores stay within 0–1 and do not depend
    /// on which matches were read), times its recency at `referenceDay`, the part above
    /// its tier counted fully from ``squarelyAbout`` on.
    @inlinable
    public func score(_ candidate: Candidate, relevanceScale: Double, referenceDay: Int?) -> Double {
        let scaled = relevanceScale > 0 ? candidate.relevance / relevanceScale : 0
        // The words found in their exact form (BM25Statistics.Layout) come whole, before
        // recency: age orders dispatches of one tier, never across tiers.
        let tier = scaled.rounded(.down)
        // With --now in the past, later dispatches are not "fresh": distance either side.
        let age = candidate.date.flatMap { date in
            referenceDay.map { laterIsFresh ? max(0, $0 - date.dayNumber) : abs($0 - date.dayNumber) }
        }
        return tier + min(1, (scaled - tier) / Self.squarelyAbout) * recency(ageInDays: age)
    }

    /// The order of the hybrid sort: higher blended score first; among equals the more
    /// relevant, then the newer (undated last), then the first indexed, so that the order
    /// never depends on how the candidates were read.
    @inlinable
    public static func ranksBefore(_ lhs: Scored, _ rhs: Scored) -> Bool {
        if lhs.score != rhs.score { return lhs.score > rhs.score }
        if lhs.candidate.relevance != rhs.candidate.relevance { return lhs.candidate.relevance > rhs.candidate.relevance }
        if lhs.candidate.date != rhs.candidate.date { return Candidate.isNewer(lhs.candidate.date, than: rhs.candidate.date) }
        return lhs.candidate.rowid < rhs.candidate.rowid
    }
}
