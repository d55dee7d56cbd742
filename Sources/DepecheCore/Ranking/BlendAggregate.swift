import Foundation
import GRDB

/// `depeche_blend(kept, reference, half_life, floor, scale, rowid, relevance, day)`: the
/// hybrid sort of the matches an SQL statement reads, as an aggregate.
///
/// Why an aggregate: the matches of a common word number hundreds of thousands, and
/// reading each into Swift through a cursor cost four times what SQLite and FTS5 spend on
/// it (1.8 µs a row); inside SQLite a row costs a tenth of that.
///
/// The first five arguments are the same for every row: how many to keep (-1: all), the
/// reference day number (NULL: the newest day among the rows, as ``RecencyBlend/rank(_:reference:relevanceScale:)``
/// does; every row is then kept until the end), the half-life in days, the floor and the
/// relevance scale (``RecencyBlend/score(_:relevanceScale:referenceDay:)``). `day`
/// is the dispatch's day number, NULL when undated. The result is a blob of the kept
/// candidates with their scores, best first (``decode(_:)``), so that a search reading its
/// matches in several statements can merge them in the same order.
struct BlendAggregate: DatabaseAggregate {
    static let name = "depeche_blend"

    private var blend: RecencyBlend?
    private var relevanceScale = 1.0
    /// Nil until the end when the reference is the newest day among the rows.
    private var referenceDay: Int?
    private var kept: Int?
    private var top = BestFirst(capacity: nil, by: RecencyBlend.ranksBefore)
    /// Every row, when scores must wait for the reference.
    private var candidates: [RecencyBlend.Candidate] = []

    init() {}

    mutating func step(_ values: [DatabaseValue]) throws {
        let blend = self.blend ?? start(values)
        guard let rowid = Int64.fromDatabaseValue(values[5]), let relevance = Double.fromDatabaseValue(values[6]) else { return }
        let candidate = RecencyBlend.Candidate(rowid: rowid, relevance: relevance, date: Int.fromDatabaseValue(values[7]).map(Day.init(dayNumber:)))
        guard let referenceDay else { return candidates.append(candidate) }
        top.add((candidate, blend.score(candidate, relevanceScale: relevanceScale, referenceDay: referenceDay)))
    }

    private mutating func start(_ values: [DatabaseValue]) -> RecencyBlend {
        let blend = RecencyBlend(halfLifeDays: Double.fromDatabaseValue(values[2]) ?? RecencyBlend.defaultHalfLifeDays,
                                 floor: Double.fromDatabaseValue(values[3]) ?? RecencyBlend.defaultFloor)
        kept = Int.fromDatabaseValue(values[0]).flatMap { $0 < 0 ? nil : $0 }
        top = BestFirst(capacity: kept, by: RecencyBlend.ranksBefore)
        referenceDay = Int.fromDatabaseValue(values[1])
        relevanceScale = Double.fromDatabaseValue(values[4]) ?? 1
        self.blend = blend
        return blend
    }

    /// Bytes per candidate in the result: rowid, relevance, day number, score.
    private static let recordSize = 32
    /// The day number written for an undated candidate.
    private static let undated = Int64.min

    func finalize() throws -> (any DatabaseValueConvertible)? {
        var top = self.top
        if referenceDay == nil, let blend {
            let newest = candidates.lazy.compactMap(\.date?.dayNumber).max()
            for candidate in candidates { top.add((candidate, blend.score(candidate, relevanceScale: relevanceScale, referenceDay: newest))) }
        }
        let ranked = top.ranked
        var records = Data(capacity: ranked.count * Self.recordSize)
        for (candidate, score) in ranked {
            withUnsafeBytes(of: candidate.rowid) { records.append(contentsOf: $0) }
            withUnsafeBytes(of: candidate.relevance) { records.append(contentsOf: $0) }
            withUnsafeBytes(of: candidate.date.map { Int64($0.dayNumber) } ?? Self.undated) { records.append(contentsOf: $0) }
            withUnsafeBytes(of: score) { records.append(contentsOf: $0) }
        }
        return records
    }

    /// The candidates of a result and their scores, best first.
    static func decode(_ records: Data) -> [RecencyBlend.Scored] {
        records.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count - bytes.count % recordSize, by: recordSize).map { offset in
                let day = bytes.loadUnaligned(fromByteOffset: offset + 16, as: Int64.self)
                let candidate = RecencyBlend.Candidate(rowid: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self),
                                                       relevance: bytes.loadUnaligned(fromByteOffset: offset + 8, as: Double.self),
                                                       date: day == undated ? nil : Day(dayNumber: Int(day)))
                return (candidate, bytes.loadUnaligned(fromByteOffset: offset + 24, as: Double.self))
            }
        }
    }

    static func register(on db: Database) {
        db.add(function: DatabaseFunction(name, argumentCount: 8, pure: true, aggregate: Self.self))
    }
}
