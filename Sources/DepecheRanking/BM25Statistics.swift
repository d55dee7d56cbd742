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
    /// How many rows hold each phrase of the query (empty when not counted).
    public var documentCounts: [Int]
    public var inverseDocumentFrequencies: [Double]

    /// The highest relevance any dispatch can reach: a phrase's share grows towards
    /// `idf × (k1 + 1)` as its count grows, and never reaches it.
    public var ceiling: Double { inverseDocumentFrequencies.reduce(0, +) * (Self.k1 + 1) }

    /// Doubles: the average length, then each phrase's document count and idf.
    public var encoded: Data {
        var data = Data()
        let values = [averageLength] + zip(documentCounts, inverseDocumentFrequencies).flatMap { [Double($0), $1] }
        for value in values { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        return data
    }

    public init(averageLength: Double, rows: Int, documentCounts: [Int]) {
        self.averageLength = averageLength
        self.documentCounts = documentCounts
        inverseDocumentFrequencies = documentCounts.map { Self.inverseDocumentFrequency(holders: $0, rows: rows) }
    }

    /// Every idf taken as 1, the phrases' rows not counted.
    public static func unweighted(averageLength: Double, phrases: Int) -> BM25Statistics {
        var statistics = BM25Statistics(averageLength: averageLength, rows: 0, documentCounts: [])
        statistics.inverseDocumentFrequencies = Array(repeating: 1, count: phrases)
        return statistics
    }

    /// The idf of a phrase held by `holders` of `rows` rows, at least 1e-6 (as FTS5's,
    /// so that a word in most rows still counts a little).
    public static func inverseDocumentFrequency(holders: Int, rows: Int) -> Double {
        let idf = log((Double(rows) - Double(holders) + 0.5) / (Double(holders) + 0.5))
        return idf > 0 ? idf : 1e-6
    }

    public init?(encoded data: Data) {
        guard data.count % 16 == 8 else { return nil }
        let values = data.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count, by: 8).map { bytes.loadUnaligned(fromByteOffset: $0, as: Double.self) }
        }
        averageLength = values[0]
        documentCounts = stride(from: 1, to: values.count, by: 2).map { Int(values[$0]) }
        inverseDocumentFrequencies = stride(from: 2, to: values.count, by: 2).map { values[$0] }
    }
}
