import Foundation
import GRDB
import GRDBSQLite
import DepecheModel

/// The length (in tokens), day, source and category of every dispatch, one blob per
/// block of ``DispatchIndex/blockSize`` rowids (`dispatch_columns`), held in memory while
/// a read lasts: what ranking and filters need of every match, without joining it to
/// `dispatch_facets`.
///
/// Why: the join is a B-tree search per match, a third of the time spent ranking a
/// common word (412,000 matches of `france` at 1,000,000 dispatches), half of it for
/// a rarer one whose matches are spread over the file, and nine tenths of counting a
/// filtered query (`Macron` from AFP); a block of 4,096 rows is one read of 16 KB per
/// column, after which a match costs an array lookup. Sources and categories are held as ids
/// of `facet_values`, which a filter lists once.
///
/// `dispatch_facets` stays the truth: a writer deletes the blob of each block it
/// changes and ``fillMissing(_:)`` rebuilds it at the end of the run; a block without a
/// blob meanwhile (a run killed before its end) is built from the facets when read.
///
/// Unchecked `Sendable`: each instance belongs to one connection, whose statements
/// (and so the functions reading it) GRDB runs one at a time.
final class DispatchColumns: @unchecked Sendable {
    /// The values held of each dispatch, each a blob column of `dispatch_columns`.
    enum Column: Int, CaseIterable {
        /// Tokens, as FTS5 counted them (0: no dispatch).
        case length
        /// Day number; ``undated`` for an undated dispatch or none.
        case day
        /// Id in `facet_values`; 0 for none.
        case source, category

        /// Its column in `dispatch_columns`.
        var name: String {
            switch self {
            case .length: return "lengths"
            case .day: return "days"
            case .source: return "sources"
            case .category: return "categories"
            }
        }

        /// Its value for a rowid without a dispatch.
        var none: Int32 { self == .day ? DispatchColumns.undated : 0 }
    }

    static let undated = Int32.min
    private static let size = DispatchIndex.blockSize
    private static let blobBytes = Int32(size * MemoryLayout<Int32>.size)

    /// The blocks read since ``reset()``, by column then block number: `size` words each,
    /// one per rowid, in native byte order. Raw memory: a match costs a load, no hashing
    /// or reference counting (measurably faster than a dictionary of arrays over the
    /// hundreds of thousands of matches of a common word).
    /// A column is read only by the queries that need it (filters: sources, categories).
    private var blocks: [[UnsafeMutablePointer<Int32>?]] = Array(repeating: [], count: Column.allCases.count)
    /// Buffers of blocks forgotten, reused: fresh memory for every read cost page faults.
    private var spare: [UnsafeMutablePointer<Int32>] = []
    /// Spare buffers kept at most (8 MB).
    private static let spareLimit = 512
    /// The handle of each column's last blob read, moved from row to row (opening one
    /// compiles a statement).
    private var blobs: [OpaquePointer?] = Array(repeating: nil, count: Column.allCases.count)

    deinit {
        reset()
        for buffer in spare { buffer.deallocate() }
    }

    /// Forgets every block and closes the blob handles: called as each read begins, since
    /// a write may have come between, and as it ends.
    func reset() {
        for column in blocks.indices {
            for case let block? in blocks[column] {
                if spare.count < Self.spareLimit { spare.append(block) } else { block.deallocate() }
            }
            blocks[column].removeAll(keepingCapacity: true)
            sqlite3_blob_close(blobs[column])
            blobs[column] = nil
        }
    }

    /// A value of a dispatch, as stored (see ``Column``).
    func value(_ column: Column, rowid: Int64, connection: OpaquePointer?) -> Int32 {
        let size = Int64(Self.size)
        let (number, slot) = (Int(rowid / size), Int(rowid % size))
        if number < blocks[column.rawValue].count, let known = blocks[column.rawValue][number] { return known[slot] }
        return load(column, number, connection: connection)[slot]
    }

    /// Reads a block of a column, or builds every column of it from the facets when it
    /// has no blob.
    private func load(_ column: Column, _ number: Int, connection: OpaquePointer?) -> UnsafeMutablePointer<Int32> {
        let block = spare.popLast() ?? UnsafeMutablePointer<Int32>.allocate(capacity: Self.size)
        if readBlob(column, Int64(number), into: block, connection: connection) {
            store(block, column, number)
            return block
        }
        let built = [block] + (1..<Column.allCases.count).map { _ in spare.popLast() ?? UnsafeMutablePointer<Int32>.allocate(capacity: Self.size) }
        Self.build(Int64(number), into: built, connection: connection)
        for other in Column.allCases {
            if number < blocks[other.rawValue].count, let old = blocks[other.rawValue][number] { spare.append(old) }
            store(built[other.rawValue], other, number)
        }
        return built[column.rawValue]
    }

    private func store(_ block: UnsafeMutablePointer<Int32>, _ column: Column, _ number: Int) {
        if number >= blocks[column.rawValue].count {
            blocks[column.rawValue] += Array(repeating: nil, count: number + 1 - blocks[column.rawValue].count)
        }
        blocks[column.rawValue][number] = block
    }

    /// Reads the stored blob of a block's column: little-endian 32-bit integers.
    private func readBlob(_ column: Column, _ number: Int64, into block: UnsafeMutablePointer<Int32>, connection: OpaquePointer?) -> Bool {
        if let blob = blobs[column.rawValue], sqlite3_blob_reopen(blob, number) != SQLITE_OK {
            // No such row: the handle is unusable now.
            sqlite3_blob_close(blob)
            blobs[column.rawValue] = nil
            return false
        }
        if blobs[column.rawValue] == nil {
            var handle: OpaquePointer?
            guard sqlite3_blob_open(connection, "main", "dispatch_columns", column.name, number, 0, &handle) == SQLITE_OK, let handle else {
                sqlite3_blob_close(handle)
                return false
            }
            blobs[column.rawValue] = handle
        }
        let blob = blobs[column.rawValue]
        guard sqlite3_blob_bytes(blob) == Self.blobBytes, sqlite3_blob_read(blob, block, Self.blobBytes, 0) == SQLITE_OK else { return false }
        if Int32(littleEndian: 1) != 1 {
            for word in 0..<Self.size { block[word] = Int32(littleEndian: block[word]) }
        }
        return true
    }

    /// Builds every column of a block from `dispatch_facets`, into one buffer per column.
    private static func build(_ number: Int64, into columns: [UnsafeMutablePointer<Int32>], connection: OpaquePointer?) {
        for column in Column.allCases { columns[column.rawValue].update(repeating: column.none, count: size) }
        var statement: OpaquePointer?
        // Day numbers from the dates' text, by ``Day/dayNumber``: one formula, in Swift.
        let sql = """
            SELECT f.rowid, f.length, f.date, s.id, c.id FROM dispatch_facets f
            LEFT JOIN facet_values s ON s.field = 'source' AND s.value = f.source
            LEFT JOIN facet_values c ON c.field = 'category' AND c.value = f.category
            WHERE f.rowid >= ?1 AND f.rowid < ?1 + ?2
            """
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else { return }
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_int64(statement, 1, number * Int64(size))
        sqlite3_bind_int64(statement, 2, Int64(size))
        while sqlite3_step(statement) == SQLITE_ROW {
            let slot = Int(sqlite3_column_int64(statement, 0) - number * Int64(size))
            for column in Column.allCases where sqlite3_column_type(statement, Int32(column.rawValue + 1)) != SQLITE_NULL {
                let index = Int32(column.rawValue + 1)
                if column == .day {
                    guard let text = sqlite3_column_text(statement, index), let day = Day(iso: String(cString: text)) else { continue }
                    columns[column.rawValue][slot] = Int32(clamping: day.dayNumber)
                } else {
                    columns[column.rawValue][slot] = Int32(clamping: sqlite3_column_int64(statement, index))
                }
            }
        }
    }

    /// Stores the blobs of every block of `dispatch_blocks` that has none: the whole table
    /// after a bulk build or an upgrade, the blocks a writer changed otherwise.
    static func fillMissing(_ db: Database) throws {
        let missing = try Int64.fetchAll(db, sql: "SELECT block FROM dispatch_blocks WHERE block NOT IN (SELECT block FROM dispatch_columns)")
        let names = Column.allCases.map(\.name)
        let insert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO dispatch_columns(block, \(names.joined(separator: ", "))) VALUES (?\(String(repeating: ", ?", count: names.count)))
            """)
        let columns = Column.allCases.map { _ in UnsafeMutablePointer<Int32>.allocate(capacity: size) }
        defer { for buffer in columns { buffer.deallocate() } }
        for number in missing {
            build(number, into: columns, connection: db.sqliteConnection)
            let blobs = columns.map { buffer in
                var blob = Data(capacity: Int(blobBytes))
                for slot in 0..<size { withUnsafeBytes(of: buffer[slot].littleEndian) { blob.append(contentsOf: $0) } }
                return blob
            }
            try insert.execute(arguments: StatementArguments([number] + blobs.map { $0 as DatabaseValueConvertible }))
        }
    }

    /// Drops the blobs of the block holding `rowid`, whose facets changed.
    static func invalidate(_ db: Database, rowid: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM dispatch_columns WHERE block = ? / \(size)").execute(arguments: [rowid])
    }

    /// The SQL function giving a value of a dispatch by rowid: its length, day number
    /// (NULL: undated), source id or category id (NULL: none).
    static func functionName(_ column: Column) -> String {
        switch column {
        case .length: return "depeche_length"
        case .day: return "depeche_day"
        case .source: return "depeche_source_id"
        case .category: return "depeche_category_id"
        }
    }

    /// Registers the functions of ``functionName(_:)``, on SQLite's C API: they run for
    /// every match ranked or filtered.
    func register(on db: Database) throws {
        typealias Function = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void
        func reading(_ column: Column) -> Function {
            // A C function cannot capture: one closure per column.
            switch column {
            case .length: return { context, _, arguments in DispatchColumns.result(.length, context, arguments) }
            case .day: return { context, _, arguments in DispatchColumns.result(.day, context, arguments) }
            case .source: return { context, _, arguments in DispatchColumns.result(.source, context, arguments) }
            case .category: return { context, _, arguments in DispatchColumns.result(.category, context, arguments) }
            }
        }
        for column in Column.allCases {
            let name = Self.functionName(column)
            // The connection keeps the columns alive; they are released with it.
            let retained = Unmanaged.passRetained(self).toOpaque()
            let status = sqlite3_create_function_v2(db.sqliteConnection, name, 1, SQLITE_UTF8, retained, reading(column), nil, nil) { pointer in
                pointer.map { Unmanaged<DispatchColumns>.fromOpaque($0).release() }
            }
            guard status == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: status), message: "cannot register \(name)") }
        }
    }

    private static func result(_ column: Column, _ context: OpaquePointer?, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
        guard let arguments, let columns = sqlite3_user_data(context) else { return sqlite3_result_null(context) }
        let value = Unmanaged<DispatchColumns>.fromOpaque(columns).takeUnretainedValue()
            .value(column, rowid: sqlite3_value_int64(arguments[0]), connection: sqlite3_context_db_handle(context))
        if value == column.none, column != .length { sqlite3_result_null(context) } else { sqlite3_result_int64(context, Int64(value)) }
    }
}
