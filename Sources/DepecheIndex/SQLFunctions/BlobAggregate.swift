import Foundation
import GRDB
import GRDBSQLite

/// An aggregate SQL function whose result is a blob, registered on SQLite's C API
/// rather than as a GRDB `DatabaseAggregate`, which boxes every row's arguments into an
/// array of values: for a common word's hundreds of thousands of matches, a cost as large
/// as a fair share of the work itself. One instance per statement, made from its first
/// row's arguments.
protocol BlobAggregate: AnyObject {
    /// Adds a row.
    func step(_ arguments: UnsafeMutablePointer<OpaquePointer?>)
    /// The blob of the rows added.
    func result() -> Data
}

/// Registering a ``BlobAggregate``: the C callbacks SQLite calls, shared by every one.
enum BlobAggregates {
    /// What a registered function makes its aggregates with, kept by SQLite as the
    /// function's user data.
    private final class Maker {
        let make: (UnsafeMutablePointer<OpaquePointer?>) -> BlobAggregate
        /// The result of a statement that read no row.
        let empty: Data

        init(make: @escaping (UnsafeMutablePointer<OpaquePointer?>) -> BlobAggregate, empty: Data) {
            self.make = make
            self.empty = empty
        }
    }

    /// Registers `name` taking `argumentCount` arguments: `make` builds the aggregate of
    /// a statement from its first row's arguments; `empty` is the result when no row is read.
    static func register(on db: Database, name: String, argumentCount: Int32, empty: Data,
                         make: @escaping (UnsafeMutablePointer<OpaquePointer?>) -> BlobAggregate) throws {
        let maker = Unmanaged.passRetained(Maker(make: make, empty: empty)).toOpaque()
        let status = sqlite3_create_function_v2(db.sqliteConnection, name, argumentCount, SQLITE_UTF8 | SQLITE_DETERMINISTIC, maker, nil,
                                                stepFunction, finalFunction) { Unmanaged<Maker>.fromOpaque($0!).release() }
        guard status == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: status), message: "cannot register \(name)") }
    }

    /// SQLite's SQLITE_TRANSIENT (copy the result now), a macro Swift cannot import.
    private static let copyResult = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// The aggregate's slot in SQLite's per-statement context: a retained reference,
    /// released by the final call (which SQLite makes even for a statement reset early).
    private static func slot(_ context: OpaquePointer?, allocate: Bool) -> UnsafeMutablePointer<UnsafeMutableRawPointer?>? {
        let size = allocate ? Int32(MemoryLayout<UnsafeMutableRawPointer?>.size) : 0
        return sqlite3_aggregate_context(context, size)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    }

    private static func maker(_ context: OpaquePointer?) -> Maker {
        Unmanaged<Maker>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
    }

    /// Holds the aggregate of a statement, whatever its class.
    private final class Holder {
        let aggregate: BlobAggregate
        init(_ aggregate: BlobAggregate) { self.aggregate = aggregate }
    }

    private static let stepFunction: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, _, arguments in
        guard let arguments, let slot = slot(context, allocate: true) else { return sqlite3_result_error_nomem(context) }
        let holder: Holder
        if let stored = slot.pointee {
            holder = Unmanaged<Holder>.fromOpaque(stored).takeUnretainedValue()
        } else {
            holder = Holder(maker(context).make(arguments))
            slot.pointee = Unmanaged.passRetained(holder).toOpaque()
        }
        holder.aggregate.step(arguments)
    }

    private static let finalFunction: @convention(c) (OpaquePointer?) -> Void = { context in
        let holder = slot(context, allocate: false)?.pointee.map { Unmanaged<Holder>.fromOpaque($0).takeRetainedValue() }
        let result = holder?.aggregate.result() ?? maker(context).empty
        result.withUnsafeBytes { bytes in sqlite3_result_blob(context, bytes.baseAddress, Int32(bytes.count), copyResult) }
    }
}
