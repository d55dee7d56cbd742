/// How many matches fall on each day (day numbers): what finding the reference day of
/// the hybrid sort needs (``RecencyBlend/referenceDay(amongDays:matches:)``), and no more.
///
/// Why counts and not the days themselves: the reference of a common word is its
/// 20,000th newest match or so (5% of hundreds of thousands); kept as a list, every
/// match read is a row handed over and sorted. Counted by day, a block of matches gives
/// back a few hundred pairs, which merge by adding.
///
/// Inlinable: the index's newest-days aggregate adds every match of a query to one.
public struct MatchDays: Sendable, Equatable {
    @usableFromInline var counts: [Int: Int] = [:]

    @inlinable
    public init() {}

    /// Days and counts as ``newest(covering:)`` gives them.
    public init(_ pairs: [(day: Int, count: Int)]) {
        for (day, count) in pairs { add(day, count: count) }
    }

    @inlinable
    public mutating func add(_ day: Int, count: Int = 1) {
        counts[day, default: 0] += count
    }

    public mutating func merge(_ other: MatchDays) {
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    /// The newest days and their counts, newest first, until they hold `rank` matches
    /// (every day when fewer): what the `rank`-th newest match needs, from this set of
    /// matches or from any larger one that contains it.
    public func newest(covering rank: Int) -> [(day: Int, count: Int)] {
        var covered = 0
        var pairs: [(day: Int, count: Int)] = []
        for day in counts.keys.sorted(by: >) where covered < rank {
            let count = counts[day]!
            pairs.append((day, count))
            covered += count
        }
        return pairs
    }

    /// The day of the `rank`-th newest match; nil when fewer are counted.
    public func day(atRank rank: Int) -> Int? {
        let newest = newest(covering: rank)
        return newest.reduce(0) { $0 + $1.count } >= rank ? newest.last?.day : nil
    }

    /// The reference day of the hybrid sort among `matches` matches, the undated ones
    /// counting in `matches` only: the ``RecencyBlend/referenceRank(matches:)``-th newest
    /// day counted, or the oldest when fewer are dated.
    public func referenceDay(matches: Int) -> Int? {
        day(atRank: RecencyBlend.referenceRank(matches: matches)) ?? oldest
    }

    /// The oldest day counted.
    public var oldest: Int? { counts.keys.min() }
}
