import Foundation
import DepecheIndex
import DepecheIngest
import DepecheModel

/// The state of one `index` run over its files: which to read and how, what was stored,
/// and the records that wait for the end of the batch to get their year.
///
/// Resumable by design: a file is recorded as indexed (`sources`) in the same
/// transaction as its last dispatch or after it, never before, and the year of a date
/// written without one is inferred from every file the run names, read or skipped as
/// unchanged (their newest dates are remembered), so that a re-run after a kill ends
/// with exactly what an uninterrupted run stores.
struct IndexBatch {
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

    /// A record whose date has no year, waiting for the end of the batch.
    private struct Yearless {
        let record: IngestRecord
        let sourceFile: String?
        let fileDate: Day
    }

    /// A file read whose records are not all stored yet (some wait for their year).
    private struct PendingSource {
        let source: IndexedSource
        let records: Int
        let newest: Day?
        let reading: ReadOptions

        var indexedFile: IndexedFile {
            IndexedFile(path: source.file.path, size: source.file.size, modified: source.file.modified, contentHash: source.contentHash,
                        records: records, newest: newest, readOptions: reading.key)
        }
    }

    /// A file skipped as indexed already, with the newest explicit date of its records.
    private struct UnchangedFile {
        let newest: Day?
    }

    mutating func problem(_ found: IngestProblem) {
        if found.isRepair { report.repairCount += 1 } else { report.problemCount += 1 }
        if report.problems.count < IndexReport.keptProblems { report.problems.append(found) }
        reportProblem(found)
    }

    mutating func load(_ paths: [String], into index: DispatchIndex, bulk: Bool) throws {
        try index.writeBatch(bulk: bulk) { writer in
            let files = try filesToRead(paths, writer)
            status.filesTotal = files.count
            status.bytesTotal = files.reduce(0) { $0 + (SourceFile(path: $1.path)?.size ?? 0) }
            var yearless: [Yearless] = []
            var pendingSources: [PendingSource] = []
            var newestExplicitDate: Day?
            var toRead: [FileToRead] = []
            for file in files {
                if !bulk, !options.refresh, file.path != "-", let source = SourceFile(path: file.path),
                   let unchanged = try skipUnchanged(source, reading: file.reading, &writer) {
                    status.filesDone += 1
                    if let newest = unchanged.newest { newestExplicitDate = max(newestExplicitDate ?? newest, newest) }
                } else {
                    toRead.append(file)
                }
            }
            let parser = ParseThread(files: toRead)
            defer { parser.stop() }
            var bytesBefore = status.bytesRead
            var current: (file: FileToRead, newest: Day?, yearless: Int)?
            while let event = try parser.next(idle: { try writer.commitPending() }) {
                switch event {
                case .fileStarted(let file):
                    current = (file, nil, 0)
                    status.currentFile = file.path
                    reportProgress(status)
                case .record(var parsed):
                    status.records += 1
                    if status.records % IndexUpdater.progressInterval == 0 {
                        status.bytesRead = bytesBefore + parsed.bytesConsumed
                        reportProgress(status)
                    }
                    if let (day, month) = parsed.record.yearlessDate {
                        guard let year = current?.file.reading.year else {
                            yearless.append(Yearless(record: parsed.record, sourceFile: parsed.sourceFile?.path,
                                                     fileDate: parsed.sourceFile?.modificationDay ?? Day.today))
                            current?.yearless += 1
                            continue
                        }
                        parsed.record.dispatch.date = Day(year: year, month: month, day: day)
                        parsed.record.dispatch.dateQuality = parsed.record.dispatch.date == nil ? .missing : .explicit
                    }
                    if let date = parsed.record.dispatch.date, parsed.record.dispatch.dateQuality == .explicit {
                        newestExplicitDate = max(newestExplicitDate ?? date, date)
                        let fileNewest = current?.newest ?? date
                        current?.newest = max(fileNewest, date)
                    }
                    try count(writer.store(parsed.record.dispatch, analyzed: parsed.document, contentHash: parsed.contentHash,
                                           sourceFile: parsed.sourceFile?.path), of: parsed.record.dispatch)
                case .problem(let found):
                    problem(found)
                case .caseEvidence(let counts):
                    try writer.addCaseEvidence(counts)
                case .fileRead(let source, let records, let bytes):
                    report.filesRead += 1
                    status.filesDone += 1
                    status.bytesRead = bytesBefore + bytes
                    bytesBefore = status.bytesRead
                    guard let source, let current else { break }
                    let read = PendingSource(source: source, records: records, newest: current.newest, reading: current.file.reading)
                    if current.yearless > 0 {
                        pendingSources.append(read)
                    } else {
                        try writer.recordSource(read.indexedFile)
                    }
                case .fileFailed(let failure):
                    report.failedFiles += 1
                    status.filesDone += 1
                    problem(failure)
                }
            }
            // A year missing from a page is the one that puts its day on or before the
            // batch's newest explicit date (or, with none, the file's own date).
            for waiting in yearless {
                var dispatch = waiting.record.dispatch
                if let (day, month) = waiting.record.yearlessDate,
                   let inferred = FrenchDate.inferYear(day: day, month: month, notAfter: newestExplicitDate ?? waiting.fileDate) {
                    dispatch.date = inferred
                    dispatch.dateQuality = .inferredYear
                    report.inferredYears += 1
                }
                try count(writer.store(dispatch, contentHash: dispatch.contentHash, sourceFile: waiting.sourceFile), of: dispatch)
            }
            for read in pendingSources {
                try writer.recordSource(read.indexedFile)
            }
            if options.prune { report.pruned = try writer.pruneVanishedSources() }
            try writer.finish()
        }
        status.currentFile = ""
        reportProgress(status)
    }

    /// The files of this run, each with how to read it: the paths named (folders walked)
    /// with the run's options, and with `--refresh` every file the index holds (that
    /// still exists and is not named) with the options it was indexed with.
    private mutating func filesToRead(_ paths: [String], _ writer: BatchWriter) throws -> [FileToRead] {
        var found: [IngestProblem] = []
        let named = ingestor.files(for: paths, include: options.include, exclude: options.exclude) { found.append($0) }
        found.forEach { problem($0) }
        var files = named.map { FileToRead(path: $0, reading: options.reading) }
        guard options.refresh else { return files }
        let namedPaths = Set(named.compactMap { SourceFile(path: $0)?.path })
        for (path, key) in try writer.indexedFiles() {
            guard !namedPaths.contains(path), FileManager.default.fileExists(atPath: path) else { continue }
            guard let reading = ReadOptions(key: key) else {
                problem(IngestProblem(file: path, message: "the options it was indexed with cannot be read; read with the defaults"))
                files.append(FileToRead(path: path, reading: ReadOptions()))
                continue
            }
            files.append(FileToRead(path: path, reading: reading))
        }
        return files
    }

    /// The file's newest explicit date as last recorded, when the file is indexed already
    /// as it is now and was read with the same options (and then counted as skipped);
    /// nil when it must be read.
    private mutating func skipUnchanged(_ source: SourceFile, reading: ReadOptions, _ writer: inout BatchWriter) throws -> UnchangedFile? {
        guard let stored = try writer.indexedFile(at: source.path), stored.readOptions == reading.key else { return nil }
        var same = stored.size == source.size && stored.modified == source.modified
        if !same, stored.size == source.size, (try? source.contentHash()) == stored.contentHash {
            // Touched but not changed: remember the new time, so the next run skips it at once.
            try writer.touchSource(source.path, modified: source.modified)
            same = true
        }
        guard same else { return nil }
        report.filesUnchanged += 1
        report.unchanged += stored.records
        status.bytesRead += source.size
        return UnchangedFile(newest: stored.newest)
    }

    mutating func count(_ outcome: StoreOutcome, of dispatch: Dispatch) {
        switch outcome {
        case .added: report.added += 1
        case .addedBeside(let id, let storedAs, let otherFile):
            report.added += 1
            problem(IngestProblem(file: dispatch.origin.file, line: dispatch.origin.line == 0 ? nil : dispatch.origin.line,
                                  message: "id \(id) already names another dispatch, read from \(otherFile); both kept, this one as \(storedAs)"))
        case .updated: report.updated += 1
        case .unchanged: report.unchanged += 1
        case .duplicate: report.duplicates += 1
        }
    }
}
