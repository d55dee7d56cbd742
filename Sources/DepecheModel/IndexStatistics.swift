import Foundation

/// Counts over the whole index or over a query's hits, for `depeche stats`.
public struct IndexStatistics: Sendable {
    /// A name (source, category, year, month) and how many dispatches have it.
    public struct Count: Sendable, Equatable {
        public let name: String
        public let count: Int

        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    public let query: String?
    public let relaxed: Bool
    public let total: Int
    public let firstDate: Day?
    public let lastDate: Day?
    public let inferredYears: Int
    public let undated: Int
    /// The size of the index file with its WAL, in bytes.
    public let indexBytes: Int64
    /// Most frequent first; dispatches without a value count under "(none)".
    public let sources: [Count]
    public let categories: [Count]
    /// In calendar order.
    public let years: [Count]
    /// `YYYY-MM`, in calendar order, every month of the range (zero counts included).
    public let months: [Count]
    /// The stories the dispatches tell (``StoryGroup``): a story of several versions or
    /// re-publications counts once.
    public var stories = 0
    /// The stories of the most dispatches among them, largest first (those of two or more).
    public var largestStories: [StoryGroup] = []

    public init(query: String?, relaxed: Bool, total: Int, firstDate: Day?, lastDate: Day?, inferredYears: Int, undated: Int,
                indexBytes: Int64, sources: [Count], categories: [Count], years: [Count], months: [Count]) {
        self.query = query
        self.relaxed = relaxed
        self.total = total
        self.firstDate = firstDate
        self.lastDate = lastDate
        self.inferredYears = inferredYears
        self.undated = undated
        self.indexBytes = indexBytes
        self.sources = sources
        self.categories = categories
        self.years = years
        self.months = months
    }

    /// Fills the months without dispatches, so that a timeline shows the gaps.
    public static func everyMonth(from first: Day?, to last: Day?, counts: [IndexStatistics.Count]) -> [IndexStatistics.Count] {
        guard let first, let last else { return [] }
        let known = Dictionary(uniqueKeysWithValues: counts.map { ($0.name, $0.count) })
        var months: [IndexStatistics.Count] = []
        var (year, month) = (first.year, first.month)
        while (year, month) <= (last.year, last.month) {
            let name = String(format: "%04d-%02d", year, month)
            months.append(IndexStatistics.Count(name: name, count: known[name] ?? 0))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return months
    }
}
