import Foundation
import GRDBSQLite
import GRDB
import DepecheRanking

/// `depeche_newest_days(cover, day)`: the rows an SQL statement reads counted by day
/// (``MatchDays``), for the reference day of the hybrid sort.
///
/// `cover` is the same for every row: how many of the newest dated rows the result must
/// account for (NULL: the reference rank of all the rows read,
/// ``RecencyBlend/referenceRank(matches:)``). `day` is a day number, NULL when undated.
/// The result is a blob: the number of rows (undated ones included), then the newest
/// days with their counts until they hold `cover` rows (``decode(_:)``). Why an
/// aggregate: a common word's reference is its 20,000th newest match or so, and sorting
/// its matches by date to find it cost five times what counting them by day costs.
final class NewestDaysAggregate: BlobAggregate {
    static let name = "depeche_newest_days"

    private let cover: Int?
    private var rows = 0
    private var days = MatchDays()

    private init(_ arguments: UnsafeMutablePointer<OpaquePointer?>) {
        cover = sqlite3_value_type(arguments[0]) == SQLITE_NULL ? nil : Int(sqlite3_value_int64(arguments[0]))
    }

    func step(_ arguments: UnsafeMutablePointer<OpaquePointer?>) {
        rows += 1
        guard sqlite3_value_type(arguments[1]) != SQLITE_NULL else { return }
        days.add(Int(sqlite3_value_int64(arguments[1])))
    }

    func result() -> Data {
        let pairs = days.newest(covering: cover ?? RecencyBlend.referenceRank(matches: rows))
        var records = Data(capacity: 8 + pairs.count * 16)
        for value in [Int64(rows)] + pairs.flatMap({ [Int64($0.day), Int64($0.count)] }) {
            withUnsafeBytes(of: value) { records.append(contentsOf: $0) }
        }
        return records
    }

    /// The number of rows of a result, and its newest days counted.
    static func decode(_ records: Data) -> (rows: Int, days: MatchDays) {
        records.withUnsafeBytes { bytes in
            let values = stride(from: 0, to: bytes.count - bytes.count % 8, by: 8).map { Int(bytes.loadUnaligned(fromByteOffset: $0, as: Int64.self)) }
            guard let rows = values.first else { return (0, MatchDays()) }
            let pairs = stride(from: 1, to: values.count - 1, by: 2).map { (day: values[$0], count: values[$0 + 1]) }
            return (rows, MatchDays(pairs))
        }
    }

    static func register(on db: Database) throws {
        try BlobAggregates.register(on: db, name: name, argumentCount: 2, empty: Data(count: 8), make: NewestDaysAggregate.init)
    }
}
