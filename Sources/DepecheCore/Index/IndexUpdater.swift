import Foundation
import GRDB

/// What an `index` run did, for the summary line and for tests.
public struct IndexReport: Sendable {
    public var filesRead = 0
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var duplicates = 0
    public var inferredYears = 0
    public var problems: [IngestProblem] = []
    /// Files that could not be read at all (a subset of the problems' files).
    public var failedFiles = 0

    public var stored: Int { added + updated + unchanged }
}

/// Options of an `index` run.
public struct IndexRunOptions: Sendable {
    public var mapping = FieldMapping()
    /// The year of dates written without one; when nil, the year is inferred.
    public var year: Int?
    /// Build a new file and swap it in, instead of updating the index in place.
    public var rebuild = false

    public init(mapping: FieldMapping = FieldMapping(), year: Int? = nil, rebuild: Bool = false) {
        self.mapping = mapping
        self.year = year
        self.rebuild = rebuild
    }
}

/// Runs a batch: reads every path, stores every dispatch, and settles the years of
/// dates written without one once the whole batch has been seen.
public enum IndexUpdater {
    /// Records committed per transaction: large enough for bulk speed, small enough
    /// that readers of an index updated in place see progress.
    static let transactionSize = 2_000

    /// Indexes `paths` into the index at `databasePath`, creating it if needed.
    /// `problem` is called as each problem is found, so that a long run reports as it goes.
    public static func run(paths: [String], databasePath: String, options: IndexRunOptions,
                           problem: (IngestProblem) -> Void = { _ in }) throws -> IndexReport {
        let ingestor = try Ingestor(mapping: options.mapping)
        let folder = (databasePath as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        if options.rebuild || !FileManager.default.fileExists(atPath: databasePath) {
            removeAbandonedRebuilds(of: databasePath)
            let temporary = databasePath + ".rebuild-\(ProcessInfo.processInfo.processIdentifier)"
            removeDatabaseFiles(at: temporary)
            defer { removeDatabaseFiles(at: temporary) }
            let index = try DispatchIndex.create(path: temporary, bulk: true)
            let report = try load(paths, into: index, ingestor: ingestor, options: options, bulk: true, problem: problem)
            try index.queue.close()
            try swapIn(temporary, replacing: databasePath)
            return report
        }
        let index = try DispatchIndex(path: databasePath)
        return try load(paths, into: index, ingestor: ingestor, options: options, bulk: false, problem: problem)
    }

    private static func load(_ paths: [String], into index: DispatchIndex, ingestor: Ingestor, options: IndexRunOptions,
                             bulk: Bool, problem reportProblem: (IngestProblem) -> Void) throws -> IndexReport {
        var report = IndexReport()
        func problem(_ found: IngestProblem) {
            report.problems.append(found)
            reportProblem(found)
        }
        try index.queue.writeWithoutTransaction { db in
            let writer = DispatchWriter(db: db)
            var pendingInTransaction = 0
            var newestExplicitDate: Day?
            var yearless: [(record: IngestRecord, fileDate: Day)] = []

            func store(_ dispatch: Dispatch) throws {
                if !db.isInsideTransaction { try db.beginTransaction() }
                switch try writer.store(dispatch) {
                case .added: report.added += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                case .duplicate: report.duplicates += 1
                }
                pendingInTransaction += 1
                if pendingInTransaction >= transactionSize {
                    try db.commit()
                    pendingInTransaction = 0
                }
            }

            for file in ingestor.files(for: paths, problem: problem) {
                do {
                    let fileDate = modificationDay(of: file)
                    try ingestor.read(file: file, record: { record in
                        var record = record
                        if let (day, month) = record.yearlessDate {
                            if let year = options.year {
                                record.dispatch.date = Day(year: year, month: month, day: day)
                                record.dispatch.dateQuality = record.dispatch.date == nil ? .missing : .explicit
                            } else {
                                yearless.append((record, fileDate))
                                return
                            }
                        }
                        if let date = record.dispatch.date, record.dispatch.dateQuality == .explicit {
                            newestExplicitDate = max(newestExplicitDate ?? date, date)
                        }
                        try store(record.dispatch)
                    }, problem: problem)
                    report.filesRead += 1
                } catch let failure as IngestProblem {
                    report.failedFiles += 1
                    problem(failure)
                }
            }
            // A year missing from a page is the one that puts its day on or before the
            // batch's newest explicit date (or, with none, the file's own date).
            for (record, fileDate) in yearless {
                var dispatch = record.dispatch
                if let (day, month) = record.yearlessDate,
                   let inferred = FrenchDate.inferYear(day: day, month: month, notAfter: newestExplicitDate ?? fileDate) {
                    dispatch.date = inferred
                    dispatch.dateQuality = .inferredYear
                    report.inferredYears += 1
                }
                try store(dispatch)
            }
            if bulk {
                if !db.isInsideTransaction { try db.beginTransaction() }
                try writer.optimize()
            }
            if db.isInsideTransaction { try db.commit() }
        }
        return report
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
            } catch DispatchIndex.OpenError.unreadable {
                // Replaced below: a rebuild was asked for, and nothing in it can be read.
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

    /// The file's modification day, or today for standard input.
    static func modificationDay(of file: String) -> Day {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        let date = (attributes?[.modificationDate] as? Date) ?? Date()
        return Day(dayNumber: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
