import Foundation
import GRDB

/// `depeche_blend(kept, reference, half_life, floor, rowid, relevance, day)`: the hybrid
/// sort in one pass over every match, as an SQL aggregate.
///
/// Why an aggregate: the blend needs the best relevance of all matches (scores are scaled
/// to it) and the `kept` best by blended score, and reading each match into Swift through
/// a cursor cost four times what SQLite and FTS5 spend on it (1.8 µs a row; a common
/// word has hundreds of thousands of matches). Inside SQLite, a row costs a tenth of that.
///
/// The first four arguments are the same for every row: how many to keep (-1: all), the
/// reference day number (NULL: none, every age unknown), the half-life in days and the
/// floor. `day` is the dispatch's day number, NULL when undated. The result is a blob of
/// (rowid, score) pairs, best first (``decode(_:)``). Blending the raw relevance orders as
/// blending the scaled one does (a positive factor); scores are scaled at the end.
struct BlendAggregate: DatabaseAggregate {
    static let name = "depeche_blend"

    private var blend: RecencyBlend?
    private var kept: Int?
    private var referenceDay: Int?
    private var bestRelevance = 0.0
    /// The best so far by raw blended score, best first; at most `kept` of them.
    private var ranked: [(candidate: RecencyBlend.Candidate, score: Double)] = []

    init() {}

    mutating func step(_ values: [DatabaseValue]) throws {
        let blend = self.blend ?? start(values)
        guard let rowid = Int64.fromDatabaseValue(values[4]), let relevance = Double.fromDatabaseValue(values[5]) else { return }
        let candidate = RecencyBlend.Candidate(rowid: rowid, relevance: relevance, date: Int.fromDatabaseValue(values[6]).map(Day.init(dayNumber:)))
        bestRelevance = max(bestRelevance, relevance)
        let entry = (candidate: candidate, score: blend.score(candidate, bestRelevance: 1, referenceDay: referenceDay))
        guard let kept else { return ranked.append(entry) }
        if ranked.count == kept, let last = ranked.last, !RecencyBlend.ranksBefore(entry, last) { return }
        // Binary search for the place among the kept ones (few: the pages asked for).
        var low = 0, high = ranked.count
        while low < high {
            let middle = (low + high) / 2
            if RecencyBlend.ranksBefore(ranked[middle], entry) { low = middle + 1 } else { high = middle }
        }
        ranked.insert(entry, at: low)
        if ranked.count > kept { ranked.removeLast() }
    }

    private mutating func start(_ values: [DatabaseValue]) -> RecencyBlend {
        let blend = RecencyBlend(halfLifeDays: Double.fromDatabaseValue(values[2]) ?? RecencyBlend.defaultHalfLifeDays,
                                 floor: Double.fromDatabaseValue(values[3]) ?? RecencyBlend.defaultFloor)
        let limit = Int.fromDatabaseValue(values[0]) ?? -1
        kept = limit < 0 ? nil : limit
        referenceDay = Int.fromDatabaseValue(values[1])
        self.blend = blend
        return blend
    }

    func finalize() throws -> (any DatabaseValueConvertible)? {
        guard let blend else { return Data() }
        let scored = ranked.map { ($0.candidate, blend.score($0.candidate, bestRelevance: bestRelevance, referenceDay: referenceDay)) }
            .sorted(by: RecencyBlend.ranksBefore)
        var pairs = Data(capacity: scored.count * 16)
        for (candidate, score) in scored {
            withUnsafeBytes(of: candidate.rowid) { pairs.append(contentsOf: $0) }
            withUnsafeBytes(of: score) { pairs.append(contentsOf: $0) }
        }
        return pairs
    }

    /// The (rowid, score) pairs of a result, best first.
    static func decode(_ pairs: Data) -> [(rowid: Int64, score: Double)] {
        pairs.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count - bytes.count % 16, by: 16).map { offset in
                (rowid: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self),
                 score: bytes.loadUnaligned(fromByteOffset: offset + 8, as: Double.self))
            }
        }
    }

    static func register(on db: Database) {
        db.add(function: DatabaseFunction(name, argumentCount: 7, pure: true, aggregate: Self.self))
    }
}
