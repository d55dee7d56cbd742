import Foundation
import GRDB
import DepecheModel

/// The index: one SQLite file holding a plain `dispatches` table (readable by any
/// SQLite tool) and `dispatch_fts`, an FTS5 external-content table over title,
/// standfirst and body that reads its text from `dispatches` and tokenizes it with
/// ``FrenchTokenizer``.
public final class DispatchIndex {
    /// Bumped when the schema changes; an index with a higher version was made by a
    /// newer depeche and is refused rather than misread. Schemas 2 (no `length` in
    /// `dispatch_facets`), 3 (no `dispatch_columns`) and 4 (no metadata of duplicates, no
    /// read options of files) are upgraded in place when opened for writing.
    public static let schemaVersion = 5

    /// Bumped when the French analysis changes what terms a text gives: an index built
    /// with other terms would silently miss matches, so it must be rebuilt.
    public static let analyzerVersion = 3

    /// bm25 weights of title, standfirst and body: a word in the title says more
    /// about what a dispatch is about than the same word in the body.
    public static let columnWeights = (title: 10.0, standfirst: 4.0, body: 1.0)

    /// Rowids per block of `dispatch_blocks`: a search restarts FTS5 once per block it
    /// scans, so blocks must not be tiny, and it scans whole blocks, so not huge either.
    static let blockSize = 4_096

    /// Bytes of pending full-text terms FTS5 keeps in memory before writing a segment.
    static let ftsHashSize = 64 << 20
    /// SQLite page cache of a bulk build, in KiB (negative: a size, not a page count).
    static let bulkCacheKiB = 64 << 10
    /// SQLite page size. A dispatch row (2–3 KB) fills a 4 KB page badly and spills into
    /// overflow pages, which made the table half as big again as its text; 64 KB pages
    /// pack rows best but make each random read (a date, a row's terms) copy 64 KB.
    static let pageSize = 16_384
    /// FTS5 leaf size, one leaf per page (FTS5's 4,050-byte default suits 4 KB pages).
    static let ftsLeafSize = 16_000
    /// Page cache of a connection, in KiB: SQLite's 2 MB default holds 125 pages of
    /// 16 KB, too few for a search that reads thousands of rows.
    static let cacheKiB = 32 << 10
    /// The most of a file a memory-mapped connection maps: SQLite's own ceiling
    /// (`SQLITE_MAX_MMAP_SIZE`); beyond it, pages are read as usual.
    static let mappedBytes = 0x7fff0000

    public let path: String
    let queue: DatabaseQueue
    /// What ranking reads of every match, cached while a read lasts.
    private let columns: DispatchColumns

    /// Why an existing index could not be opened.
    public enum OpenError: Error, CustomStringConvertible {
        case missing(path: String)
        /// Something that depeche did not make (``IndexFile/Kind``): never read as an index.
        case notAnIndex(path: String, kind: IndexFile.Kind)
        /// Another process holds a lock longer than the busy timeout.
        case busy(path: String)
        /// Not an SQLite file, corrupt, or not made by depeche.
        case unreadable(path: String, reason: String)
        case newerSchema(path: String, version: Int)
        /// An older schema, which a search cannot upgrade (it opens the index read-only).
        case needsUpgrade(path: String, version: Int)
        case otherAnalyzer(path: String, version: Int)
        /// Writing needs write permission on the file and its folder (SQLite's journal).
        case notWritable(path: String)
        /// Read as an immutable snapshot (no write permission), and changed by a writer meanwhile.
        case changedWhileRead(path: String)

        public var description: String {
            switch self {
            case .missing(let path):
                return "no index at \(path): build one with `depeche index PATH... --db \(path)`"
            case .notAnIndex(let path, let kind):
                return IndexFile.refusal(path, kind).description
            case .busy(let path):
                return "the index \(path) is locked by another depeche process; try again when it has finished"
            case .unreadable(let path, let reason):
                return "cannot read the index \(path) (\(reason)); rebuild it with `depeche index PATH... --rebuild`"
            case .newerSchema(let path, let version):
                return "\(path) was made by a newer depeche (index schema \(version); this one reads schema \(DispatchIndex.schemaVersion))"
            case .needsUpgrade(let path, let version):
                return "\(path) was made by an older depeche (index schema \(version)); the next `depeche index PATH... --db \(path)` upgrades it in place"
            case .changedWhileRead(let path):
                return "the index \(path) changed while it was read (an index run is writing it); try again when it has finished"
            case .notWritable(let path):
                return "cannot write the index \(path): no write permission on the file or its folder"
            case .otherAnalyzer(let path, let version):
                return "\(path) was built with French analysis version \(version) and this depeche uses version "
                    + "\(DispatchIndex.analyzerVersion); rebuild it with `depeche index PATH... --rebuild`"
            }
        }
    }

    /// Opens an existing index for reading and writing, or for reading only.
    ///
    /// An index in WAL mode needs its folder writable even to be read (SQLite creates its
    /// -shm file there); an archive on read-only storage is opened as immutable instead:
    /// nothing can be writing to a file that nobody may write.
    ///
    /// `memoryMapped` reads the file through a memory map (SQLite's `mmap_size`): a
    /// short-lived search then reads its pages in place instead of copying each 16 KB page
    /// into a cache it starts empty (a command-line search at 1,000,000 dispatches:
    /// `Benalla` 42 → 26 ms). Not for long reads: every page touched counts in the process's
    /// resident memory (an export of OrangeSum's `France` went from 58 to 122 MB).
    public init(path: String, readOnly: Bool = false, memoryMapped: Bool = false) throws {
        switch IndexFile.kind(at: path) {
        case .missing, .empty: throw OpenError.missing(path: path)
        case .depecheIndex: break
        case let other: throw OpenError.notAnIndex(path: path, kind: other)
        }
        self.path = path
        let writable = Self.isWritable(path)
        if !readOnly, !writable { throw OpenError.notWritable(path: path) }
        let columns = DispatchColumns()
        self.columns = columns
        let configuration = Self.configuration(readOnly: readOnly, columns: columns, memoryMapped: memoryMapped)
        let immutable = URL(fileURLWithPath: path).absoluteString + "?immutable=1"
        do {
            if readOnly, !writable, Self.onReadOnlyStorage(path) {
                // Nobody can be writing a file on read-only storage.
                queue = try DatabaseQueue(path: immutable, configuration: configuration)
                snapshot = nil
            } else if readOnly, !writable {
                // A file this user may not write, on storage others may: read it as any
                // WAL reader does when SQLite can (its -shm file usable); else as an
                // immutable snapshot, whose changes (an owner's index run) are then told
                // apart from damage (``read(_:)``).
                if let reader = try? DatabaseQueue(path: path, configuration: configuration),
                   (try? reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }) != nil {
                    queue = reader
                    snapshot = nil
                } else {
                    snapshot = FileStamp(path)
                    queue = try DatabaseQueue(path: immutable, configuration: configuration)
                }
            } else {
                queue = try DatabaseQueue(path: path, configuration: configuration)
                snapshot = nil
            }
            if !readOnly { try queue.write { db in try Self.upgradeSchema(db) } }
            try read { db in try Self.checkSchema(db, path: path) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw OpenError.busy(path: path)
        } catch let error as DatabaseError {
            throw OpenError.unreadable(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// The size, time and inode of the file when it was opened as an immutable snapshot
    /// on writable storage; nil otherwise.
    private let snapshot: FileStamp?

    /// What tells a file changed: size, modification time, inode.
    struct FileStamp: Equatable {
        let size: Int64
        let modified: timespec
        let inode: UInt64

        init?(_ path: String) {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            size = Int64(status.st_size)
            modified = status.st_mtim
            inode = UInt64(status.st_ino)
        }

        static func == (lhs: FileStamp, rhs: FileStamp) -> Bool {
            lhs.size == rhs.size && lhs.inode == rhs.inode
                && lhs.modified.tv_sec == rhs.modified.tv_sec && lhs.modified.tv_nsec == rhs.modified.tv_nsec
        }
    }

    /// True when `path` is on a file system mounted read-only.
    static func onReadOnlyStorage(_ path: String) -> Bool {
        var info = statvfs()
        return statvfs(path, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0
    }

    /// True when this process may write the file and create files beside it.
    static func isWritable(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        return access(path, W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK) == 0
    }

    /// Creates a new, empty index file at `path` (which must not exist), tuned for bulk loading
    /// when `bulk` is true: no journal, since a failed bulk build is thrown away whole.
    static func create(path: String, bulk: Bool) throws -> DispatchIndex {
        let columns = DispatchColumns()
        let queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: false, columns: columns))
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = \(pageSize); PRAGMA auto_vacuum = INCREMENTAL; PRAGMA application_id = \(IndexFile.applicationID)")
            if bulk {
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -\(bulkCacheKiB)")
            } else {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try db.inTransaction {
                try createSchema(db)
                if !bulk { try createLookupIndexes(db) }
                return .commit
            }
        }
        return try DispatchIndex(queue: queue, path: path, columns: columns)
    }

    private init(queue: DatabaseQueue, path: String, columns: DispatchColumns) throws {
        self.queue = queue
        self.path = path
        self.columns = columns
        snapshot = nil
    }

    static func configuration(readOnly: Bool, columns: DispatchColumns = DispatchColumns(), memoryMapped: Bool = false) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        // Searches wait for a writer's commit instead of failing with "database is locked".
        configuration.busyMode = .timeout(15)
        configuration.prepareDatabase { db in
            db.add(tokenizer: FrenchTokenizer.self)
            try FoldFunction.register(on: db)
            TokenCountFunction.register(on: db)
            try RelevanceFunction.register(on: db, columns: columns)
            try columns.register(on: db)
            try BlendAggregate.register(on: db)
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            if memoryMapped { try db.execute(sql: "PRAGMA mmap_size = \(mappedBytes)") }
        }
        return configuration
    }

    static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            -- The short columns come first: ranking reads the date of thousands of rows,
            -- and a column stored after a long body costs a walk through its overflow pages.
            CREATE TABLE dispatches(
                rowid INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                date TEXT,                 -- YYYY-MM-DD
                date_quality TEXT NOT NULL, -- explicit | inferred | none
                source TEXT,
                category TEXT,
                city TEXT,
                author TEXT,
                url TEXT,
                origin TEXT NOT NULL,      -- FILE:LINE, as the file was named
                source_file TEXT,          -- the absolute path of the file (NULL for stdin)
                content_hash TEXT NOT NULL,
                title TEXT NOT NULL,
                standfirst TEXT NOT NULL,
                body TEXT NOT NULL
            );
            -- What ranking, filters and statistics read for every match, in rows of a few
            -- dozen bytes: reading a date from the wide rows above costs a page per match.
            -- DispatchWriter keeps it in step (a trigger would make SQLite journal every
            -- insert statement, which slowed bulk builds by two thirds).
            CREATE TABLE dispatch_facets(
                rowid INTEGER PRIMARY KEY,
                date TEXT,
                date_quality TEXT NOT NULL,
                source TEXT,
                category TEXT,
                length INTEGER             -- tokens, as FTS5 counts them, for bm25 (RelevanceFunction)
            );
            \(summaryTables)
            CREATE INDEX dispatches_content_hash ON dispatches(content_hash);
            -- Other ids and origins under which the same text was seen.
            CREATE TABLE duplicates(
                id TEXT PRIMARY KEY,
                dispatch_rowid INTEGER NOT NULL REFERENCES dispatches(rowid) ON DELETE CASCADE,
                origin TEXT NOT NULL,
                source_file TEXT\(duplicateMetadataColumns.map { ",\n    " + $0 }.joined())
            );
            CREATE INDEX duplicates_dispatch ON duplicates(dispatch_rowid);
            -- The files indexed, to skip unchanged ones and prune vanished ones.
            CREATE TABLE sources(
                path TEXT PRIMARY KEY,     -- absolute
                size INTEGER NOT NULL,
                modified REAL NOT NULL,    -- seconds since 1970
                content_hash TEXT NOT NULL,
                records INTEGER NOT NULL\(sourceReadingColumns.map { ",\n    " + $0 }.joined())
            );
            -- columnsize=0: the lengths are in dispatch_facets (TokenCountFunction).
            CREATE VIRTUAL TABLE dispatch_fts USING fts5(
                title, standfirst, body,
                content = 'dispatches', content_rowid = 'rowid', columnsize = 0,
                tokenize = '\(FrenchTokenizer.name)'
            );
            """)
        let weights = columnWeights
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts, rank) VALUES ('rank', 'bm25(\(weights.title), \(weights.standfirst), \(weights.body))')")
        // FTS5 buffers new terms in a hash table and writes a segment each time it is full;
        // its 1 MB default makes a bulk load write and merge thousands of small segments.
        // 64 MB cuts indexing time by a fifth (docs/PERFORMANCE.md) within the memory budget.
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts, rank) VALUES ('hashsize', \(ftsHashSize))")
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts, rank) VALUES ('pgsz', \(ftsLeafSize))")
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('schema_version', ?), ('analyzer_version', ?)",
                       arguments: [String(schemaVersion), String(analyzerVersion)])
    }

    /// Indexes a bulk build does not read while it loads: built at its end, from sorted
    /// keys, they cost a fraction of keeping them up to date row by row (the date index
    /// alone, updated in random date order, made a 250,000-dispatch build half as long again).
    static func createLookupIndexes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX IF NOT EXISTS dispatch_facets_date ON dispatch_facets(date);
            CREATE INDEX IF NOT EXISTS dispatches_source_file ON dispatches(source_file);
            """)
    }

    /// The tables that summarize the others (filled by ``fillSummaries(_:)``).
    static var summaryTables: String { blocksTable + schemaFourSummaryTables }

    private static let blocksTable = """
        -- The newest date among the dispatches of each block of rowids (NULL: none
        -- dated), so that the hybrid and date sorts can scan matches newest first and
        -- stop early (BlockReading). An upper bound: never lowered when a dispatch goes.
        CREATE TABLE dispatch_blocks(block INTEGER PRIMARY KEY, newest TEXT);

        """

    /// The summary tables schema 4 added (`dispatch_columns`) or changed (`facet_values`,
    /// which had no ids).
    private static let schemaFourSummaryTables = """
        -- Every source and category seen (never removed), so that a filter folds each
        -- value once, and the columns hold their ids.
        CREATE TABLE facet_values(id INTEGER PRIMARY KEY, field TEXT NOT NULL, value TEXT NOT NULL, UNIQUE(field, value));
        -- The length, day, source and category of each dispatch by block of rowids, for
        -- ranking and filters (DispatchColumns).
        CREATE TABLE dispatch_columns(block INTEGER PRIMARY KEY, lengths BLOB NOT NULL, days BLOB NOT NULL,
                                      sources BLOB NOT NULL, categories BLOB NOT NULL);
        """

    /// What each duplicate id keeps of its own record (schema 5), so that pruning the
    /// file of the dispatch it duplicates promotes it with its own date, source, and so on.
    /// `date_quality` is NULL for duplicates recorded by schema 4, which kept none of it.
    static let duplicateMetadataColumns = ["date TEXT", "date_quality TEXT", "source TEXT", "category TEXT", "city TEXT",
                                           "author TEXT", "url TEXT"]

    /// How each file was read (schema 5): the options that change what a file gives
    /// (``ReadOptions``), so that a run with other ones reads it again, and the newest
    /// explicit date of its records, which the year inference of later runs counts.
    static let sourceReadingColumns = ["read_options TEXT NOT NULL DEFAULT ''", "newest_date TEXT"]

    /// Brings a schema-2, 3 or 4 index to schema 5, one step after the other. Schema 2
    /// gets `dispatch_facets.length` filled from FTS5's own counts, and every summary
    /// table (a few seconds for a million dispatches); schema 3 gets its facet values
    /// with ids and `dispatch_columns` (a few seconds); schema 4 gets the metadata columns
    /// of duplicates and the reading columns of sources, and the files that gave
    /// duplicates are marked changed, so that the next run over them records the
    /// duplicates' metadata. Also marks an index from before ``IndexFile/applicationID``.
    /// Other versions are left to ``checkSchema(_:path:)``.
    static func upgradeSchema(_ db: Database) throws {
        guard try db.tableExists("meta") else { return }
        if try Int32.fetchOne(db, sql: "PRAGMA application_id") == 0 {
            try db.execute(sql: "PRAGMA application_id = \(IndexFile.applicationID)")
        }
        var version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'")
        guard version == "2" || version == "3" || version == "4" else { return }
        if version == "2" {
            try db.execute(sql: """
                ALTER TABLE dispatch_facets ADD COLUMN length INTEGER; \(summaryTables)
                UPDATE dispatch_facets SET length = (SELECT \(TokenCountFunction.name)(sz) FROM dispatch_fts_docsize WHERE id = dispatch_facets.rowid);
                """)
            try fillSummaries(db)
            version = "4"
        }
        if version == "3" {
            try db.execute(sql: "DROP TABLE facet_values; \(schemaFourSummaryTables)")
            try fillFacetValuesAndColumns(db)
        }
        for column in duplicateMetadataColumns { try db.execute(sql: "ALTER TABLE duplicates ADD COLUMN \(column)") }
        for column in sourceReadingColumns { try db.execute(sql: "ALTER TABLE sources ADD COLUMN \(column)") }
        try db.execute(sql: "UPDATE sources SET size = -1 WHERE path IN (SELECT source_file FROM duplicates)")
        try db.execute(sql: "UPDATE meta SET value = '\(schemaVersion)' WHERE key = 'schema_version'")
    }

    /// Fills, in one pass each, what ``DispatchWriter`` otherwise keeps row by row: the
    /// blocks' newest dates and the facet values; then the columns of the blocks that
    /// have none. A bulk build leaves them to its end (``DispatchWriter/deferSummaries``),
    /// where one pass each costs less than more statements per dispatch.
    static func fillSummaries(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO dispatch_blocks(block, newest) SELECT rowid / \(blockSize), max(date) FROM dispatch_facets GROUP BY 1;
            """)
        try fillFacetValuesAndColumns(db)
    }

    private static func fillFacetValuesAndColumns(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO facet_values(field, value) SELECT DISTINCT 'source', source FROM dispatch_facets WHERE source IS NOT NULL;
            INSERT OR IGNORE INTO facet_values(field, value) SELECT DISTINCT 'category', category FROM dispatch_facets WHERE category IS NOT NULL;
            """)
        try DispatchColumns.fillMissing(db)
    }

    static func checkSchema(_ db: Database, path: String) throws {
        guard try db.tableExists("meta"), try db.tableExists("dispatches"),
              let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap(Int.init) else {
            throw OpenError.unreadable(path: path, reason: "not a depeche index")
        }
        if version > schemaVersion { throw OpenError.newerSchema(path: path, version: version) }
        if (2...4).contains(version) { throw OpenError.needsUpgrade(path: path, version: version) }
        if version < schemaVersion { throw OpenError.unreadable(path: path, reason: "made by an older depeche (index schema \(version))") }
        let analyzer = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'analyzer_version'").flatMap(Int.init) ?? 0
        if analyzer != analyzerVersion { throw OpenError.otherAnalyzer(path: path, version: analyzer) }
    }

    /// Runs `body` with the connection, for reading.
    ///
    /// An index read as an immutable snapshot that another process changed meanwhile
    /// fails with ``OpenError/changedWhileRead(path:)``, not as damaged: a busy index is
    /// not a broken one.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read { db in
                columns.reset()
                defer { columns.reset() }
                return try body(db)
            }
        } catch let error as DatabaseError where snapshot != nil && FileStamp(path) != snapshot
            && [.SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_IOERR, .SQLITE_ERROR].contains(error.resultCode) {
            throw OpenError.changedWhileRead(path: path)
        }
    }

    /// The number of dispatches stored.
    public func count() throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM dispatches") ?? 0 }
    }
}

extension DispatchIndex {
    /// The dispatch stored under `id`, or under the id of a duplicate of it.
    public func dispatch(id: String) throws -> Dispatch? {
        try queue.read { db in
            let sql = """
                SELECT * FROM dispatches WHERE id = ?1
                UNION ALL
                SELECT d.* FROM duplicates x JOIN dispatches d ON d.rowid = x.dispatch_rowid WHERE x.id = ?1
                LIMIT 1
                """
            return try Row.fetchOne(db, sql: sql, arguments: [id]).map(Self.dispatch(from:))
        }
    }

    static func dispatch(from row: Row) -> Dispatch {
        let date = (row["date"] as String?).flatMap { Day(iso: $0) }
        return Dispatch(
            id: row["id"], title: row["title"], standfirst: row["standfirst"], body: row["body"],
            date: date, dateQuality: DateQuality(rawValue: row["date_quality"]) ?? (date == nil ? .missing : .explicit),
            source: row["source"], category: row["category"], city: row["city"], author: row["author"], url: row["url"],
            origin: Origin(parsing: row["origin"]))
    }
}
