import Foundation
import GRDB
import GRDBSQLite
import DepecheModel

/// The index: one SQLite file holding a plain `dispatches` table (readable by any
/// SQLite tool) and `dispatch_fts`, an FTS5 external-content table over title,
/// standfirst and body that reads its text from `dispatches` and tokenizes it with
/// ``FrenchTokenizer``. The schema is in IndexSchema.swift; every statement a search
/// runs is in ``IndexReader``.
///
///     let index = try DispatchIndex(path: "depeche.sqlite", readOnly: true)
///     let total = try index.reading { try $0.count(matching: .phrase(FullTextPhrase("cacao"))) }
public final class DispatchIndex {
    /// Bumped when the schema changes; an index with a higher version was made by a
    /// newer depeche and is refused rather than misread. Schemas 2 (no `length` in
    /// `dispatch_facets`), 3 (no `dispatch_columns`), 4 (no metadata of duplicates, no
    /// read options of files), 5 (no index runs, no saved searches), 6 (no story
    /// groups), 7 (story bands in a rowid table and an index) and 8 (positional ids, no
    /// record of what saved searches were shown) are upgraded in place
    /// when opened for writing.
    public static let schemaVersion = 9

    /// Bumped when the French analysis changes what terms a text gives: an index built
    /// with other terms would silently miss matches, so it must be rebuilt. (Version 5:
    /// the analysis also counts how documents write their words, `name_evidence`. Version 6:
    /// invariable words keep their `-s` or `-x`, `InvariableWords`, and `-aux` is the plural of `-al`.)
    public static let analyzerVersion = 6

    /// The version of the SQLite library the index is read and written with.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

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
    /// The older schema this process upgraded the file from when it opened it for
    /// writing (every writing command upgrades, and says so); nil when it did not.
    public let upgradedFrom: Int?
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
        /// The storage, not the index, failed (a full disk: no room for SQLite's -shm and
        /// -wal files beside it): a rebuild would be the worst advice.
        case storage(path: String, reason: String)

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
            case .storage(let path, let reason):
                return "cannot open the index \(path): \(reason); the index itself is not damaged (do not rebuild it)"
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
    /// into a cache it starts empty (a command-line search of a rare name at 1,000,000
    /// dispatches took a third less time). Not for long reads: every page touched counts
    /// in the process's resident memory (an export of a common word took twice the memory).
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
            upgradedFrom = readOnly ? nil : try queue.write { db in try Self.upgradeSchema(db) }
            try read { db in try Self.checkSchema(db, path: path) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw OpenError.busy(path: path)
        } catch let error as DatabaseError where error.resultCode != .SQLITE_CORRUPT && error.resultCode != .SQLITE_NOTADB
                    && error.resultCode != .SQLITE_ERROR {
            // I/O, a full disk, a file that cannot be created: the storage's fault.
            let found = Self.storageProblem(beside: path)
            throw OpenError.storage(path: path, reason: found ?? "\(error.message ?? "\(error.resultCode)") (check the disk)")
        } catch let error as DatabaseError {
            throw OpenError.unreadable(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// What keeps SQLite from using the folder of `path`, in words: a full disk, or a
    /// folder it may not write in (it keeps its -shm and -wal files there); nil when
    /// neither is the case.
    static func storageProblem(beside path: String) -> String? {
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        var space = statvfs()
        if statvfs(folder, &space) == 0, UInt64(space.f_bavail) * UInt64(space.f_frsize) < UInt64(minimumFreeBytes) {
            return "the disk is full (SQLite needs room beside the index for its -shm and -wal files; free some space)"
        }
        if access(folder, W_OK) != 0, access(path + "-shm", F_OK) != 0 {
            return "the folder \(folder) is not writable (SQLite keeps its -shm file beside the index)"
        }
        return nil
    }

    /// Less free space than this beside an index that fails to open is a full disk.
    static let minimumFreeBytes = 1 << 20

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
                // Foreign keys off: with them on, each insert into `dispatches` (the parent
                // of `duplicates`) opened a statement journal, at which FTS5 wrote its pending
                // terms to disk: a fifth of a bulk build's time. A bulk build never deletes a
                // dispatch, the one thing the key's cascade is for, and every duplicate it
                // records points to a row it has just read.
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -\(bulkCacheKiB); PRAGMA foreign_keys = OFF")
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
        upgradedFrom = nil
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
            StoryBandFunction.register(on: db)
            try RelevanceFunction.register(on: db, columns: columns)
            try columns.register(on: db)
            try BlendAggregate.register(on: db)
            try NewestDaysAggregate.register(on: db)
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            if memoryMapped { try db.execute(sql: "PRAGMA mmap_size = \(mappedBytes)") }
        }
        return configuration
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
