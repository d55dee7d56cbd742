import Foundation
import GRDB
import DepecheAnalysis
import DepecheIngest
import DepecheModel

/// A ``DispatchWriter`` that commits every ``IndexUpdater/transactionSize`` records.
struct BatchWriter {
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

    mutating func store(_ dispatch: Dispatch, contentHash: String, sourceFile: String?) throws -> StoreOutcome {
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
        if pending >= IndexUpdater.transactionSize {
            try db.commit()
            pending = 0
        }
        return outcome
    }

    /// Commits the dispatches stored so far (the input is slow to come): the write
    /// lock is released while the run waits.
    mutating func commitPending() throws {
        guard pending > 0, db.isInsideTransaction else { return }
        try db.commit()
        pending = 0
    }

    /// Remembers a file as indexed: its size, time and hash, how many records it gave,
    /// the newest explicit date among them and the options it was read with.
    mutating func recordSource(_ source: IndexedSource, records: Int, newest: Day?, reading: ReadOptions) throws {
        try beginIfNeeded()
        try db.execute(sql: """
            INSERT OR REPLACE INTO sources(path, size, modified, content_hash, records, newest_date, read_options)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [source.file.path, source.file.size, source.file.modified, source.contentHash, records,
                             newest?.description, reading.key])
    }

    /// Adds the counts of how documents write their words (``CaseCount``) to `name_evidence`.
    mutating func addCaseEvidence(_ counts: [String: CaseCount]) throws {
        try beginIfNeeded()
        let statement = try db.cachedStatement(sql: """
            INSERT INTO name_evidence(term, capitalized, lowercase) VALUES (?, ?, ?)
            ON CONFLICT(term) DO UPDATE SET capitalized = capitalized + excluded.capitalized, lowercase = lowercase + excluded.lowercase
            """)
        for (term, count) in counts { try statement.execute(arguments: [term, count.capitalized, count.lowercase]) }
    }

    /// Removes the dispatches of every indexed file that no longer exists; returns how many.
    mutating func pruneVanishedSources() throws -> Int {
        try beginIfNeeded()
        let writer = DispatchWriter(db: db)
        var removed = 0
        for path in try String.fetchAll(db, sql: "SELECT path FROM sources") where !FileManager.default.fileExists(atPath: path) {
            removed += try writer.removeSource(path)
        }
        return removed
    }

    mutating func finish() throws {
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
