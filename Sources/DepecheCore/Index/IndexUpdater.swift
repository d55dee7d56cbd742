import Foundation
import GRDB

/// What an `index` run did, for the summary line and for tests.
public struct IndexReport: Sendable {
    /// Files parsed in this run.
    public var filesRead = 0
    /// Files skipped because they had not changed since they were indexed.
    public var filesUnchanged = 0
    public var added = 0
    public var updated = 0
    /// Dispatches found as they were (including those of unchanged files).
    public var unchanged = 0
    public var duplicates = 0
    public var inferredYears = 0
    /// Dispatches removed with `--prune` because their file is gone.
    public var pruned = 0
    public var problems: [IngestProblem] = []
    /// Files that could not be read at all (a subset of the problems' files).
    public var failedFiles = 0

    public var stored: Int { added + updated + unchanged }
}

/// Where an `index` run is, for a progress display.
public struct IndexProgress: Sendable {
    public var filesDone = 0
    public var filesTotal = 0
    public var records = 0
    /// Bytes of the input files consumed so far (compressed bytes for gzip), and in all.
    public var bytesRead: Int64 = 0
    public var bytesTotal: Int64 = 0
    public var currentFile = ""
}

/// Options of an `index` run.
public struct IndexRunOptions: Sendable {
    public var mapping = FieldMapping()
    /// The year of dates written without one; when nil, the year is inferred.
    public var year: Int?
    /// Build a new file and swap it in, instead of updating the index in place.
    public var rebuild = false
    /// The format of every file, instead of detecting it.
    public var format: InputFormat?
    /// Globs choosing among the files found in folders.
    public var include: [String] = []
    public var exclude: [String] = []
    /// Remove the dispatches of indexed files that no longer exist.
    public var prune = false

    public init(mapping: FieldMapping = FieldMapping(), year: Int? = nil, rebuild: Bool = false, format: InputFormat? = nil,
                include: [String] = [], exclude: [String] = [], prune: Bool = false) {
        self.mapping = mapping
        self.year = year
        self.rebuild = rebuild
        self.format = format
        self.include = include
        self.exclude = exclude
        self.prune = prune
    }
}

/// Runs a batch: reads every path, stores every dispatch, and settles the years of
/// dates written without one once the whole batch has been seen. Files indexed before
/// and unchanged since (same size and modification time, or same content) are skipped.
public enum IndexUpdater {
    /// Records committed per transaction: large enough for bulk speed, small enough
    /// that readers of an index updated in place see progress.
    static let transactionSize = 2_000
    /// Records between two progress reports.
    static let progressInterval = 500

    /// Indexes `paths` into the index at `databasePath`, creating it if needed.
    /// `problem` is called as each problem is found, so that a long run reports as it goes.
    public static func run(paths: [String], databasePath: String, options: IndexRunOptions,
                           problem: @escaping (IngestProblem) -> Void = { _ in },
                           progress: @escaping (IndexProgress) -> Void = { _ in }) throws -> IndexReport {
        let ingestor = try Ingestor(mapping: options.mapping, format: options.format)
        let folder = (databasePath as NSString).deletingLastPathComponent
        if !folder.isEmpty, (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) == nil {
            throw DepecheError("cannot create the folder \(folder) for the index")
        }
        if access(folder.isEmpty ? "." : folder, W_OK) != 0 {
            throw DepecheError("cannot write the index in \(folder.isEmpty ? "." : folder): no write permission on the folder")
        }
        var batch = Batch(ingestor: ingestor, options: options, problem: problem, progress: progress)
        if options.rebuild || !FileManager.default.fileExists(atPath: databasePath) {
            removeAbandonedRebuilds(of: databasePath)
            let temporary = databasePath + ".rebuild-\(ProcessInfo.processInfo.processIdentifier)"
            removeDatabaseFiles(at: temporary)
            defer { removeDatabaseFiles(at: temporary) }
            let index = try DispatchIndex.create(path: temporary, bulk: true)
            try batch.load(paths, into: index, bulk: true)
            try index.queue.close()
            try swapIn(temporary, replacing: databasePath)
        } else {
            try batch.load(paths, into: DispatchIndex(path: databasePath), bulk: false)
        }
        return batch.report
    }

    /// The state of one run over its files.
    struct Batch {
        let ingestor: Ingestor
        let options: IndexRunOptions
        let reportProblem: (IngestProblem) -> Void
        let reportProgress: (IndexProgress) -> Void
        var report = IndexReport()
        var status = IndexProgress()

        init(ingestor: Ingestor, options: IndexRunOptions, problem: @escaping (IngestProblem) -> Void, progress: @escaping (IndexProgress) -> Void) {
            self.ingestor = ingestor
            self.options = options
            reportProblem = problem
            reportProgress = progress
        }

        mutating func problem(_ found: IngestProblem) {
            report.problems.append(found)
            reportProblem(found)
        }

        mutating func load(_ paths: [String], into index: DispatchIndex, bulk: Bool) throws {
            var found: [IngestProblem] = []
            let files = ingestor.files(for: paths, include: options.include, exclude: options.exclude) { found.append($0) }
            found.forEach { problem($0) }
            status.filesTotal = files.count
            status.bytesTotal = files.reduce(0) { $0 + (SourceFile(path: $1)?.size ?? 0) }
            try index.queue.writeWithoutTransaction { db in
                var writer = BatchWriter(db: db, bulk: bulk)
                var yearless: [(record: IngestRecord, sourceFile: String?, fileDate: Day)] = []
                var newestExplicitDate: Day?
                var toRead: [String] = []
                for file in files {
                    if !bulk, file != "-", let source = SourceFile(path: file), try skipUnchanged(source, db: db) {
                        status.filesDone += 1
                    } else {
                        toRead.append(file)
                    }
                }
                let parser = ParseThread(files: toRead, ingestor: ingestor)
                defer { parser.stop() }
                var bytesBefore = status.bytesRead
                while let event = try parser.next() {
                    switch event {
                    case .fileStarted(let path):
                        status.currentFile = path
                        reportProgress(status)
                    case .record(var parsed):
                        status.records += 1
                        if status.records % IndexUpdater.progressInterval == 0 {
                            status.bytesRead = bytesBefore + parsed.bytesConsumed
                            reportProgress(status)
                        }
                        if let (day, month) = parsed.record.yearlessDate {
                            guard let year = options.year else {
                                yearless.append((parsed.record, parsed.sourceFile?.path, parsed.sourceFile?.modificationDay ?? Day.today))
                                continue
                            }
                            parsed.record.dispatch.date = Day(year: year, month: month, day: day)
                            parsed.record.dispatch.dateQuality = parsed.record.dispatch.date == nil ? .missing : .explicit
                        }
                        if let date = parsed.record.dispatch.date, parsed.record.dispatch.dateQuality == .explicit {
                            newestExplicitDate = max(newestExplicitDate ?? date, date)
                        }
                        try PreanalyzedDocument.$current.withValue(parsed.document) {
                            try count(writer.store(parsed.record.dispatch, contentHash: parsed.contentHash, sourceFile: parsed.sourceFile?.path))
                        }
                    case .problem(let found):
                        problem(found)
                    case .fileRead(let source, let records, let bytes):
                        report.filesRead += 1
                        status.filesDone += 1
                        status.bytesRead = bytesBefore + bytes
                        bytesBefore = status.bytesRead
                        if let source { try writer.recordSource(source, records: records) }
                    case .fileFailed(let failure):
                        report.failedFiles += 1
                        status.filesDone += 1
                        problem(failure)
                    }
                }
                // A year missing from a page is the one that puts its day on or before the
                // batch's newest explicit date (or, with none, the file's own date).
                for (record, sourceFile, fileDate) in yearless {
                    var dispatch = record.dispatch
                    if let (day, month) = record.yearlessDate,
                       let inferred = FrenchDate.inferYear(day: day, month: month, notAfter: newestExplicitDate ?? fileDate) {
                        dispatch.date = inferred
                        dispatch.dateQuality = .inferredYear
                        report.inferredYears += 1
                    }
                    try count(writer.store(dispatch, contentHash: dispatch.contentHash, sourceFile: sourceFile))
                }
                if options.prune { report.pruned = try writer.pruneVanishedSources() }
                try writer.finish()
            }
            status.currentFile = ""
            reportProgress(status)
        }

        /// True (and counted) when the file is indexed already as it is now.
        mutating func skipUnchanged(_ source: SourceFile, db: Database) throws -> Bool {
            guard let stored = try Row.fetchOne(db, sql: "SELECT size, modified, content_hash, records FROM sources WHERE path = ?", arguments: [source.path]) else {
                return false
            }
            var same = stored["size"] == source.size && stored["modified"] == source.modified
            if !same, stored["size"] == source.size, (try? source.contentHash()) == stored["content_hash"] {
                // Touched but not changed: remember the new time, so the next run skips it at once.
                try db.execute(sql: "UPDATE sources SET modified = ? WHERE path = ?", arguments: [source.modified, source.path])
                same = true
            }
            guard same else { return false }
            report.filesUnchanged += 1
            report.unchanged += stored["records"] as Int
            status.bytesRead += source.size
            return true
        }

        mutating func count(_ outcome: StoreOutcome) {
            switch outcome {
            case .added: report.added += 1
            case .updated: report.updated += 1
            case .unchanged: report.unchanged += 1
            case .duplicate: report.duplicates += 1
            }
        }
    }

    /// A ``DispatchWriter`` that commits every ``IndexUpdater/transactionSize`` records.
    struct BatchWriter {
        let db: Database
        /// A bulk build (a new file, swapped in at the end): summaries and lookup indexes
        /// are built once at the end, and the full-text index optimized.
        let bulk: Bool
        private var pending = 0

        init(db: Database, bulk: Bool) {
            self.db = db
            self.bulk = bulk
        }

        mutating func store(_ dispatch: Dispatch, contentHash: String, sourceFile: String?) throws -> StoreOutcome {
            try beginIfNeeded()
            let outcome = try DispatchWriter(db: db, deferSummaries: bulk).store(dispatch, contentHash: contentHash, sourceFile: sourceFile)
            pending += 1
            if pending >= IndexUpdater.transactionSize {
                try db.commit()
                pending = 0
            }
            return outcome
        }

        mutating func recordSource(_ source: IndexedSource, records: Int) throws {
            try beginIfNeeded()
            try db.execute(sql: "INSERT OR REPLACE INTO sources(path, size, modified, content_hash, records) VALUES (?, ?, ?, ?, ?)",
                           arguments: [source.file.path, source.file.size, source.file.modified, source.contentHash, records])
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
            if bulk {
                try beginIfNeeded()
                try DispatchWriter(db: db).optimize()
                try DispatchIndex.fillSummaries(db)
                try DispatchIndex.createLookupIndexes(db)
            } else {
                try beginIfNeeded()
                try DispatchColumns.fillMissing(db)
            }
            if db.isInsideTransaction { try db.commit() }
            if bulk { try db.execute(sql: "PRAGMA incremental_vacuum") }
        }

        private mutating func beginIfNeeded() throws {
            if !db.isInsideTransaction { try db.beginTransaction() }
        }
    }

    /// Puts a freshly built index file in place of the live one.
    ///
    /// When there is no live index, a rename is atomic and enough. Otherwise the new
    /// pages are copied into the live file with SQLite's backup API, in one transaction:
    /// searches running meanwhile keep their snapshot (WAL), and a run killed mid-copy
    /// leaves the old index intact, which a rename over a WAL database would not
    /// guarantee (its -wal and -shm files belong to the old file).
    static func swapIn(_ temporary: String, replacing live: String) throws {
        let source = try DatabaseQueue(path: temporary, configuration: DispatchIndex.configuration(readOnly: false))
        try source.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        if FileManager.default.fileExists(atPath: live) {
            do {
                let destination = try DispatchIndex(path: live)
                try source.backup(to: destination.queue)
                try destination.queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
                return
            } catch DispatchIndex.OpenError.unreadable, DispatchIndex.OpenError.otherAnalyzer {
                // Replaced below: a rebuild was asked for, and the old content cannot be
                // read, or not with this analyzer.
            }
        }
        try source.close()
        removeDatabaseFiles(at: live)
        if rename(temporary, live) != 0 {
            throw DepecheError("cannot move the new index into place at \(live): \(String(cString: strerror(errno)))")
        }
    }

    /// Deletes the temporary files of rebuilds whose process no longer runs (killed):
    /// `index.sqlite.rebuild-PID`, with its -wal, -shm or -journal.
    static func removeAbandonedRebuilds(of databasePath: String) {
        let folder = (databasePath as NSString).deletingLastPathComponent
        let prefix = (databasePath as NSString).lastPathComponent + ".rebuild-"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        for entry in entries where entry.hasPrefix(prefix) {
            let suffix = entry.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(suffix), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(entry))
        }
    }

    static func removeDatabaseFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}

/// A source file as the index remembers it: absolute path, size, modification time,
/// and (computed on demand) a hash of its bytes.
struct SourceFile: Sendable {
    let path: String
    let size: Int64
    let modified: Double

    init?(path given: String) {
        let path = URL(fileURLWithPath: given).standardizedFileURL.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.int64Value,
              let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 else { return nil }
        self.path = path
        self.size = size
        self.modified = modified
    }

    var modificationDay: Day { Day(secondsSince1970: modified) }

    /// FNV-1a of the file's bytes as stored (compressed for gzip).
    func contentHash() throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DepecheError("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = FNV1a128()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { bytes in
                for byte in bytes { hasher.add(byte) }
            }
        }
        return hasher.hexDigest
    }
}

extension Day {
    /// Today in UTC.
    static var today: Day { Day(secondsSince1970: Date().timeIntervalSince1970) }
}
