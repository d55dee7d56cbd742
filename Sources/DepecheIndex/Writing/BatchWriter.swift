import Foundation
import GRDB
import DepecheAnalysis
import DepecheModel

/// The store's side of an `index` run (``DispatchIndex/writeBatch(bulk:_:)``): dispatches
/// stored a transaction of ``transactionSize`` at a time, the files they came from
/// (`sources`), the case evidence, the end of the run. The run itself (which files, read
/// how, in which thread) is the indexing pipeline's; every statement is here.
public struct BatchWriter {
    /// Records committed per transaction: large enough for bulk speed, small enough
    /// that readers of an index updated in place see progress.
    public static let transactionSize = 2_000

    let db: Database
    /// A bulk build (a new file, swapped in at the end): summaries and lookup indexes
    /// are built once at the end, and the full-text index optimized.
    let bulk: Bool
    /// The number of the transaction under way (``IndexRuns``), stored with every
    /// dispatch it adds or changes.
    private var run = 0
    private var pending = 0

    init(db: Database, bulk: Bool) {
        self.db = db
        self.bulk = bulk
    }

    /// Stores `dispatch`; `document` is its text analyzed ahead (on the parsing thread),
    /// which the tokenizer replays instead of analyzing it again.
    public mutating func store(_ dispatch: Dispatch, analyzed document: PreanalyzedDocument? = nil,
                               contentHash: String, sourceFile: String?) throws -> StoreOutcome {
        guard let document else { return try store(dispatch, contentHash: contentHash, sourceFile: sourceFile) }
        return try PreanalyzedDocument.$current.withValue(document) { try store(dispatch, contentHash: contentHash, sourceFile: sourceFile) }
    }

    private mutating func store(_ dispatch: Dispatch, contentHash: String, sourceFile: String?) throws -> StoreOutcome {
        try beginIfNeeded()
        // Numbered in the transaction of its dispatches: a kill never leaves dispatches of
        // a number the index does not know, and a reader never sees a number before its
        // dispatches.
        if pending == 0 {
            run = try IndexRuns.last(db) + 1
            try IndexRuns.record(run, db)
        }
        let outcome = try DispatchWriter(db: db, deferSummaries: bulk, run: run).store(dispatch, contentHash: contentHash, sourceFile: sourceFile)
        pending += 1
        if pending >= Self.transactionSize {
            try db.commit()
            pending = 0
        }
        return outcome
    }

    /// Commits the dispatches stored so far (the input is slow to come): the write
    /// lock is released while the run waits.
    public mutating func commitPending() throws {
        guard pending > 0, db.isInsideTransaction else { return }
        try db.commit()
        pending = 0
    }

    /// Remembers a file as indexed (``IndexedFile``).
    public mutating func recordSource(_ file: IndexedFile) throws {
        try beginIfNeeded()
        try db.execute(sql: """
            INSERT OR REPLACE INTO sources(path, size, modified, content_hash, records, newest_date, read_options)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [file.path, file.size, file.modified, file.contentHash, file.records, file.newest?.description, file.readOptions])
    }

    /// The file at `path` as last indexed; nil when the index does not hold it.
    public func indexedFile(at path: String) throws -> IndexedFile? {
        try Row.fetchOne(db, sql: "SELECT * FROM sources WHERE path = ?", arguments: [path]).map { row in
            IndexedFile(path: row["path"], size: row["size"], modified: row["modified"], contentHash: row["content_hash"],
                        records: row["records"], newest: (row["newest_date"] as String?).flatMap { Day(iso: $0) },
                        readOptions: row["read_options"] ?? "")
        }
    }

    /// Every file the index holds, by path, with the key of the options it was read with.
    public func indexedFiles() throws -> [(path: String, readOptions: String)] {
        try Row.fetchAll(db, sql: "SELECT path, read_options FROM sources ORDER BY path").map { ($0["path"], $0["read_options"] ?? "") }
    }

    /// Remembers a new modification time for a file found unchanged (touched, not
    /// changed), so that the next run skips it at once.
    public mutating func touchSource(_ path: String, modified: Double) throws {
        try beginIfNeeded()
        try db.execute(sql: "UPDATE sources SET modified = ? WHERE path = ?", arguments: [modified, path])
    }

    /// Adds the counts of how documents write their words (``CaseCount``) to `name_evidence`.
    public mutating func addCaseEvidence(_ counts: [String: CaseCount]) throws {
        try beginIfNeeded()
        let statement = try db.cachedStatement(sql: """
            INSERT INTO name_evidence(term, capitalized, lowercase) VALUES (?, ?, ?)
            ON CONFLICT(term) DO UPDATE SET capitalized = capitalized + excluded.capitalized, lowercase = lowercase + excluded.lowercase
            """)
        for (term, count) in counts { try statement.execute(arguments: [term, count.capitalized, count.lowercase]) }
    }

    /// Removes the dispatches of every indexed file that no longer exists; returns how many.
    public mutating func pruneVanishedSources() throws -> Int {
        try beginIfNeeded()
        let writer = DispatchWriter(db: db)
        var removed = 0
        for path in try String.fetchAll(db, sql: "SELECT path FROM sources") where !FileManager.default.fileExists(atPath: path) {
            removed += try writer.removeSource(path)
        }
        return removed
    }

    public mutating func finish() throws {
        try beginIfNeeded()
        if bulk {
            try DispatchWriter(db: db).optimize()
            try DispatchIndex.fillSummaries(db)
            try StoryGroups(db: db).groupAll()
            try DispatchIndex.createLookupIndexes(db)
        } else {
            try DispatchColumns.fillMissing(db)
        }
        if db.isInsideTransaction { try db.commit() }
        if bulk { try db.execute(sql: "PRAGMA incremental_vacuum") }
    }

    private mutating func beginIfNeeded() throws {
        if !db.isInsideTransaction { try db.beginTransaction() }
    }
}

/// A file as the index remembers it (`sources`): where, how large, when modified, a hash
/// of its bytes, how many records it gave, the newest explicit date among them, and the
/// key of the options it was read with (a file read with other options is read again).
public struct IndexedFile: Sendable, Equatable {
    public let path: String
    public let size: Int64
    public let modified: Double
    public let contentHash: String
    public let records: Int
    public let newest: Day?
    public let readOptions: String

    public init(path: String, size: Int64, modified: Double, contentHash: String, records: Int, newest: Day?, readOptions: String) {
        self.path = path
        self.size = size
        self.modified = modified
        self.contentHash = contentHash
        self.records = records
        self.newest = newest
        self.readOptions = readOptions
    }
}

extension DispatchIndex {
    /// Runs `body` with the index's ``BatchWriter``, in one write session (transactions
    /// of ``BatchWriter/transactionSize`` records); `bulk` for a new file built to be put
    /// in place. Another process holding the index between two of its transactions
    /// ends the run with ``OpenError/busy(path:)``: what it committed stays.
    public func writeBatch<T>(bulk: Bool, _ body: (inout BatchWriter) throws -> T) throws -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var writer = BatchWriter(db: db, bulk: bulk)
                return try body(&writer)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw OpenError.busy(path: path)
        }
    }
}
