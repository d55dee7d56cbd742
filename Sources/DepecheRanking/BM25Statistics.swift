import Foundation

/// What bm25 needs of a query as a whole: the index's average length and, for each
/// phrase of the query, how many rows hold it and its idf.
///
/// bm25, as FTS5 computes it: for each phrase of the query, `idf × f × (k1 + 1) /
/// (f + k1 × (1 − b + b × length / average length))`, summed, where `f` is the phrase's
/// weighted count in the row (each instance counts its column's weight) and `idf` is
/// `log((N − n + 0.5) / (n + 0.5))` (at least 1e-6) for `n` of the `N` rows holding it.
/// The index computes it per row (its `depeche_relevance` function); these are the
/// values shared by every row, which a search counts once and passes to each statement.
public struct BM25Statistics: Equatable, Sendable {
    /// bm25's parameters, FTS5's.
    public static let k1 = 1.2, b = 0.75

    public var averageLength: Double
    /// How many rows hold each group of phrases (each phrase when there is no
    /// ``Layout``); empty when not counted.
    public var documentCounts: [Int]
    /// The idf of each group (each phrase when there is no layout).
    public var inverseDocumentFrequencies: [Double]
    /// How the phrases of the match make the query's words, when a search says so.
    public var layout: Layout?

    /// The phrases of a match grouped into the query's words: a word asked as its exact
    /// forms and its stems joined by OR is one group, scored by bm25 as one term whose
    /// instances count their form's weight (an exact form more than a stem). Without a
    /// layout every phrase is its own group, each instance counting 1, as in FTS5's bm25.
    ///
    /// With a layout, relevance is `tier × ceiling + bm25`. The tier adds, for each group,
    /// the points of the best kind of form found in the dispatch (``tiers``: two for the
    /// word as typed, one for a synonym, none for a stem or a variant), and one more when
    /// the groups stand close together in the query's order (at most three positions
    /// from one to the next, in one field): a dispatch with more of the words as asked
    /// ranks first, whatever the rest — `France` ten times never below *francs* alone —
    /// and among those, one where they make the phrase asked (`Union africaine`). bm25
    /// stays below the ceiling, so the tier is `floor(relevance / ceiling)`
    /// (``RecencyBlend/score(_:relevanceScale:referenceDay:)``); ``highestTier`` bounds it.
    public struct Layout: Equatable, Sendable {
        /// For each phrase, in FTS5's order, its group.
        public var groups: [Int]
        /// For each phrase, how much one of its instances counts (0–1).
        public var weights: [Double]
        /// For each phrase, the tier points its group earns when the phrase is the best
        /// kind of form found (0, 1 or 2).
        public var tiers: [Int]

        public init(groups: [Int], weights: [Double], tiers: [Int]) {
            self.groups = groups
            self.weights = weights
            self.tiers = tiers
        }

        /// The number of groups.
        public var groupCount: Int { (groups.max() ?? -1) + 1 }

        /// The most points a group earns (a word found as typed).
        public static let mostPointsPerGroup = 2

        /// The highest tier a dispatch can reach.
        public var highestTier: Int { Self.mostPointsPerGroup * groupCount + (groupCount > 1 ? 1 : 0) }
    }

    /// The highest relevance any dispatch can reach: a group's share grows towards
    /// `idf × (k1 + 1)` as its count grows, and never reaches it.
    public var ceiling: Double { inverseDocumentFrequencies.reduce(0, +) * (Self.k1 + 1) }

    /// Doubles: the average length; the number of groups, then each group's document
    /// count and idf; the number of phrases of the layout (0: none), then each phrase's
    /// group, weight and tier points. The index's relevance function reads it (one blob per statement).
    public var encoded: Data {
        var values = [averageLength, Double(inverseDocumentFrequencies.count)]
        for (group, idf) in inverseDocumentFrequencies.enumerated() {
            values += [Double(group < documentCounts.count ? documentCounts[group] : 0), idf]
        }
        values.append(Double(layout?.groups.count ?? 0))
        if let layout {
            for phrase in layout.groups.indices {
                values += [Double(layout.groups[phrase]), layout.weights[phrase], Double(layout.tiers[phrase])]
            }
        }
        var data = Data(capacity: values.count * 8)
        for value in values { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        return data
    }

    public init(averageLength: Double, rows: Int, documentCounts: [Int], layout: Layout? = nil) {
        self.averageLength = averageLength
        self.documentCounts = documentCounts
        self.layout = layout
        inverseDocumentFrequencies = documentCounts.map { Self.inverseDocumentFrequency(holders: $0, rows: rows) }
    }

    /// Every idf taken as 1, the groups' rows not counted: `groups` groups, or those of
    /// `layout`.
    public static func unweighted(averageLength: Double, groups: Int, layout: Layout? = nil) -> BM25Statistics {
        var statistics = BM25Statistics(averageLength: averageLength, rows: 0, documentCounts: [], layout: layout)
        statistics.inverseDocumentFrequencies = Array(repeating: 1, count: layout?.groupCount ?? groups)
        return statistics
    }

    /// The idf of a phrase held by `holders` of `rows` rows, at least 1e-6 (as FTS5's,
    /// so that a word in most rows still counts a little).
    public static func inverseDocumentFrequency(holders: Int, rows: Int) -> Double {
        let idf = log((Double(rows) - Double(holders) + 0.5) / (Double(holders) + 0.5))
        return idf > 0 ? idf : 1e-6
    }

    public init?(encoded data: Data) {
        guard data.count % 8 == 0, data.count >= 24 else { return nil }
        let values = data.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count, by: 8).map { bytes.loadUnaligned(fromByteOffset: $0, as: Double.self) }
        }
        let groupCount = Int(values[1])
        let phrasesAt = 2 + 2 * groupCount
        guard groupCount >= 0, phrasesAt < values.count else { return nil }
        let phraseCount = Int(values[phrasesAt])
        guard phraseCount >= 0, values.count == phrasesAt + 1 + 3 * phraseCount else { return nil }
        averageLength = values[0]
        documentCounts = (0..<groupCount).map { Int(values[2 + 2 * $0]) }
        inverseDocumentFrequencies = (0..<groupCount).map { values[3 + 2 * $0] }
        let phraseValue = { (phrase: Int, field: Int) in values[phrasesAt + 1 + 3 * phrase + field] }
        layout = phraseCount == 0 ? nil : Layout(groups: (0..<phraseCount).map { Int(phraseValue($0, 0)) },
                                                 weights: (0..<phraseCount).map { phraseValue($0, 1) },
                                                 tiers: (0..<phraseCount).map { Int(phraseValue($0, 2)) })
        if let layout, layout.groups.contains(where: { $0 < 0 || $0 >= groupCount }) { return nil }
    }
}

extension BM25Statistics {
    /// One row's bm25, summed term by term (a group of phrases is one term): the formula
    /// above, with the row's length normalization computed once. The index's relevance
    /// function walks the row's instances and adds each term here.
    public struct RowScore {
        @usableFromInline let normalization: Double
        @usableFromInline var sum = 0.0
        /// The sum so far.
        @inlinable public var bm25: Double { sum }

        @inlinable
        public init(_ statistics: BM25Statistics, length: Int32) {
            normalization = BM25Statistics.k1 * (1 - BM25Statistics.b + BM25Statistics.b * Double(length) / statistics.averageLength)
        }

        /// Adds a term of weighted count `frequency` and inverse document frequency `idf`
        /// (grouped as FTS5 groups it: with every idf 1, the score times the idf is then
        /// exactly the score with it).
        @inlinable
        public mutating func add(frequency: Double, idf: Double) {
            sum += idf * (frequency * (BM25Statistics.k1 + 1) / (frequency + normalization))
        }

        /// The relevance of a row that earned `points` of tier (``Layout``): each point
        /// adds the ceiling, which bm25 never reaches.
        @inlinable
        public func relevance(points: Int, ceiling: Double) -> Double {
            sum + Double(points) * ceiling
        }
    }

    /// Positions apart at most for two words to stand close: a word and the next of the
    /// query, with up to two words between (`Tour de France`, `réforme des retraites`,
    /// whose function words the query leaves out).
    public static let closeDistance: Int64 = 3

    /// Whether a position of `next` follows one of `first` within ``closeDistance``, in
    /// one column (both sorted; a position is its column in the high 32 bits).
    public static func standClose(_ first: [Int64], _ next: [Int64]) -> Bool {
        var index = 0
        for position in next {
            while index < first.count, first[index] < position - closeDistance { index += 1 }
            var candidate = index
            while candidate < first.count, first[candidate] < position {
                if position - first[candidate] <= closeDistance { return true }
                candidate += 1
            }
        }
        return false
    }
}
