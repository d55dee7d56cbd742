import Foundation
import GRDB
import GRDBSQLite
import DepecheModel
import DepecheRanking

/// `depeche_blend(kept, reference, half_life, floor, broad_floor, scale, later_is_fresh, rowid, relevance, day)`:
/// the hybrid sort of the matches an SQL statement reads, as an aggregate.
///
/// Why an aggregate: the matches of a common word number hundreds of thousands, and
/// reading each into Swift through a cursor cost four times what SQLite and FTS5 spend on
/// it; inside SQLite a row costs a tenth of that.
///
/// The first seven arguments are the same for every row: how many to keep (-1: all), the
/// reference day number (NULL: ``RecencyBlend/referenceDay(amongDays:matches:)`` of the rows, as ``RecencyBlend/rank(_:reference:relevanceScale:)``
/// does), the half-life in days, the floor (NULL: ``RecencyBlend/floor(forMatches:broadFloor:)``
/// of the number of rows, with `broad_floor`) and the relevance scale
/// (``RecencyBlend/score(_:relevanceScale:referenceDay:)``). A reference or a floor known
/// only at the end keeps every row until then. `day` is the dispatch's day number, NULL
/// when undated. The result is a blob: the number of rows, then the kept candidates with
/// their scores, best first (``decode(_:)``), so that a search reading its matches in
/// several statements can merge them in the same order, and one reading them in a single
/// statement can count them in the same pass.
final class BlendAggregate: BlobAggregate {
    static let name = "depeche_blend"

    private let kept: Int?
    private let halfLifeDays: Double
    private let broadFloor: Double
    /// Nil until the end when the floor depends on the number of rows.
    private let floor: Double?
    /// Nil until the end when the reference is the newest day among the rows.
    private let referenceDay: Int?
    private let relevanceScale: Double
    /// ``RecencyBlend/laterIsFresh``.
    private let laterIsFresh: Bool
    /// The blend, when the floor is known from the start.
    private let fixedBlend: RecencyBlend?
    private var rows = 0
    private var top: BestFirst<RecencyBlend.Scored>
    /// Every row, when scores must wait for the reference or the floor.
    private var candidates: [RecencyBlend.Candidate] = []

    /// The aggregate of a statement, from the arguments of its first row.
    private init(_ arguments: UnsafeMutablePointer<OpaquePointer?>) {
        func integer(_ index: Int) -> Int? {
            sqlite3_value_type(arguments[index]) == SQLITE_NULL ? nil : Int(sqlite3_value_int64(arguments[index]))
        }
        func real(_ index: Int) -> Double? {
            sqlite3_value_type(arguments[index]) == SQLITE_NULL ? nil : sqlite3_value_double(arguments[index])
        }
        kept = integer(0).flatMap { $0 < 0 ? nil : $0 }
        top = BestFirst(capacity: kept, by: RecencyBlend.ranksBefore)
        referenceDay = integer(1)
        halfLifeDays = real(2) ?? RecencyBlend.defaultHalfLifeDays
        floor = real(3)
        broadFloor = real(4) ?? RecencyBlend.defaultFloor
        relevanceScale = real(5) ?? 1
        // A reference found among the rows, or given as found among the matches: later is fresh.
        laterIsFresh = referenceDay == nil || integer(6) == 1
        fixedBlend = floor.map { [halfLifeDays, laterIsFresh] in RecencyBlend(halfLifeDays: halfLifeDays, floor: $0, laterIsFresh: laterIsFresh) }
    }

    func step(_ arguments: UnsafeMutablePointer<OpaquePointer?>) {
        guard sqlite3_value_type(arguments[7]) != SQLITE_NULL, sqlite3_value_type(arguments[8]) != SQLITE_NULL else { return }
        rows += 1
        let date = sqlite3_value_type(arguments[9]) == SQLITE_NULL ? nil : Day(dayNumber: Int(sqlite3_value_int64(arguments[9])))
        let candidate = RecencyBlend.Candidate(rowid: sqlite3_value_int64(arguments[7]), relevance: sqlite3_value_double(arguments[8]), date: date)
        guard let referenceDay, let blend = fixedBlend else { return candidates.append(candidate) }
        top.add((candidate, blend.score(candidate, relevanceScale: relevanceScale, referenceDay: referenceDay)))
    }

    /// Bytes per candidate in the result: rowid, relevance, day number, score.
    private static let recordSize = 32
    /// The day number written for an undated candidate.
    private static let undated = Int64.min

    func result() -> Data {
        var top = self.top
        if !candidates.isEmpty {
            let blend = RecencyBlend(halfLifeDays: halfLifeDays, floor: floor ?? RecencyBlend.floor(forMatches: rows, broadFloor: broadFloor),
                                     laterIsFresh: laterIsFresh)
            let reference = referenceDay ?? RecencyBlend.referenceDay(amongDays: candidates.compactMap(\.date?.dayNumber), matches: rows)
            for candidate in candidates { top.add((candidate, blend.score(candidate, relevanceScale: relevanceScale, referenceDay: reference))) }
        }
        let ranked = top.ranked
        var records = Data(capacity: 8 + ranked.count * Self.recordSize)
        withUnsafeBytes(of: Int64(rows)) { records.append(contentsOf: $0) }
        for (candidate, score) in ranked {
            withUnsafeBytes(of: candidate.rowid) { records.append(contentsOf: $0) }
            withUnsafeBytes(of: candidate.relevance) { records.append(contentsOf: $0) }
            withUnsafeBytes(of: candidate.date.map { Int64($0.dayNumber) } ?? Self.undated) { records.append(contentsOf: $0) }
            withUnsafeBytes(of: score) { records.append(contentsOf: $0) }
        }
        return records
    }

    /// The number of rows of a result, and its candidates with their scores, best first.
    static func decode(_ records: Data) -> (rows: Int, ranked: [RecencyBlend.Scored]) {
        guard records.count >= 8 else { return (0, []) }
        return records.withUnsafeBytes { bytes in
            let rows = Int(bytes.loadUnaligned(as: Int64.self))
            let ranked = stride(from: 8, to: bytes.count - (bytes.count - 8) % recordSize, by: recordSize).map { offset in
                let day = bytes.loadUnaligned(fromByteOffset: offset + 16, as: Int64.self)
                let candidate = RecencyBlend.Candidate(rowid: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self),
                                                       relevance: bytes.loadUnaligned(fromByteOffset: offset + 8, as: Double.self),
                                                       date: day == undated ? nil : Day(dayNumber: Int(day)))
                return (candidate, bytes.loadUnaligned(fromByteOffset: offset + 24, as: Double.self))
            }
            return (rows, ranked)
        }
    }

    static func register(on db: Database) throws {
        try BlobAggregates.register(on: db, name: name, argumentCount: 10, empty: Data(count: 8), make: BlendAggregate.init)
    }
}
