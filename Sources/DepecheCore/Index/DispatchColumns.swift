import Foundation
import GRDB
import GRDBSQLite

/// The length (in tokens) and the day of every dispatch, one blob per block of
/// ``DispatchIndex/blockSize`` rowids (`dispatch_columns`), held in memory while a read
/// lasts: what ranking needs of every match, without joining it to `dispatch_facets`.
///
/// Why: the join is a B-tree search per match, a third of the time spent ranking a
/// common word (412,000 matches of `france` at 1,000,000 dispatches) and half of it for
/// a rarer one whose matches are spread over the file; a block of 4,096 rows is one
/// read of 32 KB, after which a match costs an array lookup.
///
/// `dispatch_facets` stays the truth: a writer deletes the blob of each block it
/// changes and ``fillMissing(_:)`` rebuilds it at the end of the run; a block without a
/// blob meanwhile (a run killed before its end) is built from the facets when read.
///
/// Unchecked `Sendable`: each instance belongs to one connection, whose statements
/// (and so the functions reading it) GRDB runs one at a time.
final class DispatchColumns: @unchecked Sendable {
    static let undated = Int32.min
    private static let size = DispatchIndex.blockSize

    /// The blocks read since ``reset()``, by block number: each `2 × size` words, a
    /// length then a day number (``undated`` for an undated dispatch or none) per rowid,
    /// in native byte order. Raw memory, freed by ``reset()``: a match costs two loads,
    /// no hashing or reference counting (at 412,000 matches, 30 ms less than a dictionary
    /// of arrays).
    private var blocks: [UnsafeMutablePointer<Int32>?] = []

    deinit {
        reset()
    }

    /// Forgets every block: called as each read begins, since a write may have come between.
    func reset() {
        for block in blocks { block?.deallocate() }
        blocks.removeAll(keepingCapacity: true)
    }

    /// The length of a dispatch in tokens, as FTS5 counted it.
    func length(rowid: Int64, connection: OpaquePointer?) -> Int {
        let (block, slot) = position(rowid)
        return Int(self.block(block, connection: connection)[2 * slot])
    }

    /// The day number of a dispatch; nil when undated.
    func day(rowid: Int64, connection: OpaquePointer?) -> Int? {
        let (block, slot) = position(rowid)
        let day = self.block(block, connection: connection)[2 * slot + 1]
        return day == Self.undated ? nil : Int(day)
    }

    private func position(_ rowid: Int64) -> (block: Int, slot: Int) {
        let size = Int64(Self.size)
        return (Int(rowid / size), Int(rowid % size))
    }

    private func block(_ number: Int, connection: OpaquePointer?) -> UnsafeMutablePointer<Int32> {
        if number < blocks.count, let known = blocks[number] { return known }
        let block = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * Self.size)
        if !Self.readBlob(Int64(number), into: block, connection: connection) {
            Self.build(Int64(number), into: block, connection: connection)
        }
        if number >= blocks.count { blocks += Array(repeating: nil, count: number + 1 - blocks.count) }
        blocks[number] = block
        return block
    }

    /// Reads the stored blob of a block: pairs of little-endian 32-bit integers, length and day.
    private static func readBlob(_ number: Int64, into block: UnsafeMutablePointer<Int32>, connection: OpaquePointer?) -> Bool {
        var handle: OpaquePointer?
        guard sqlite3_blob_open(connection, "main", "dispatch_columns", "records", number, 0, &handle) == SQLITE_OK, let handle else {
            sqlite3_blob_close(handle)
            return false
        }
        defer { sqlite3_blob_close(handle) }
        let bytes = Int32(2 * size * MemoryLayout<Int32>.size)
        guard sqlite3_blob_bytes(handle) == bytes, sqlite3_blob_read(handle, block, bytes, 0) == SQLITE_OK else { return false }
        for word in 0..<2 * size { block[word] = Int32(littleEndian: block[word]) }
        return true
    }

    /// Builds a block from `dispatch_facets` (a missing length counts as 0).
    private static func build(_ number: Int64, into block: UnsafeMutablePointer<Int32>, connection: OpaquePointer?) {
        for slot in 0..<size {
            block[2 * slot] = 0
            block[2 * slot + 1] = undated
        }
        var statement: OpaquePointer?
        // julianday() of a date at midnight is a whole day plus a half: exact day numbers.
        let sql = "SELECT rowid, length, CAST(julianday(date) - 2440587.5 AS INTEGER) FROM dispatch_facets WHERE rowid >= ?1 AND rowid < ?1 + ?2"
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else { return }
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_int64(statement, 1, number * Int64(size))
        sqlite3_bind_int64(statement, 2, Int64(size))
        while sqlite3_step(statement) == SQLITE_ROW {
            let slot = Int(sqlite3_column_int64(statement, 0) - number * Int64(size))
            block[2 * slot] = Int32(clamping: sqlite3_column_int64(statement, 1))
            if sqlite3_column_type(statement, 2) != SQLITE_NULL {
                block[2 * slot + 1] = Int32(clamping: sqlite3_column_int64(statement, 2))
            }
        }
    }

    /// Stores the blob of every block of `dispatch_blocks` that has none: the whole table
    /// after a bulk build or an upgrade, the blocks a writer changed otherwise.
    static func fillMissing(_ db: Database) throws {
        let missing = try Int64.fetchAll(db, sql: "SELECT block FROM dispatch_blocks WHERE block NOT IN (SELECT block FROM dispatch_columns)")
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO dispatch_columns(block, records) VALUES (?, ?)")
        let block = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * size)
        defer { block.deallocate() }
        for number in missing {
            build(number, into: block, connection: db.sqliteConnection)
            var records = Data(capacity: 2 * size * MemoryLayout<Int32>.size)
            for word in 0..<2 * size { withUnsafeBytes(of: block[word].littleEndian) { records.append(contentsOf: $0) } }
            try insert.execute(arguments: [number, records])
        }
    }

    /// Drops the blob of the block holding `rowid`, whose facets changed.
    static func invalidate(_ db: Database, rowid: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM dispatch_columns WHERE block = ? / \(size)").execute(arguments: [rowid])
    }

    static let dayFunctionName = "depeche_day"

    /// Registers `depeche_day(rowid)`: a dispatch's day number, NULL when undated (on
    /// SQLite's C API: it runs for every match ranked).
    func register(on db: Database) throws {
        let dayFunction: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, _, arguments in
            guard let arguments, let columns = sqlite3_user_data(context) else { return sqlite3_result_null(context) }
            let day = Unmanaged<DispatchColumns>.fromOpaque(columns).takeUnretainedValue()
                .day(rowid: sqlite3_value_int64(arguments[0]), connection: sqlite3_context_db_handle(context))
            if let day { sqlite3_result_int64(context, Int64(day)) } else { sqlite3_result_null(context) }
        }
        // The connection keeps the columns alive; they are released with it.
        let retained = Unmanaged.passRetained(self).toOpaque()
        let status = sqlite3_create_function_v2(db.sqliteConnection, Self.dayFunctionName, 1, SQLITE_UTF8, retained, dayFunction, nil, nil) { pointer in
            pointer.map { Unmanaged<DispatchColumns>.fromOpaque($0).release() }
        }
        guard status == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: status), message: "cannot register \(Self.dayFunctionName)") }
    }
}
