import Foundation
import DepecheAnalysis
import DepecheIndex
import DepecheIngest

/// What the parsing thread found, in file order, for the writing thread.
enum ParseEvent: Sendable {
    case fileStarted(FileToRead)
    case record(ParsedRecord)
    case problem(IngestProblem)
    /// The file last started, read to its end, `bytes` long (compressed size for gzip).
    /// `source` is nil for standard input, and for a file that could not be hashed
    /// afterwards (removed meanwhile): it is then not remembered.
    case fileRead(source: IndexedSource?, records: Int, bytes: Int64)
    /// A file that could not be read at all.
    case fileFailed(IngestProblem)
    /// How the documents read so far write their words (``CaseCount``), by own term.
    case caseEvidence([String: CaseCount])
}

/// A record read and analyzed, ready to be stored.
struct ParsedRecord: Sendable {
    var record: IngestRecord
    let document: PreanalyzedDocument
    let contentHash: String
    /// Bytes of the file consumed once this record was read, for the progress display.
    let bytesConsumed: Int64
    /// Its file, as found before reading it (nil for standard input).
    let sourceFile: SourceFile?
}

/// A file (or `-`) an `index` run reads, and how.
struct FileToRead: Sendable, Equatable {
    let path: String
    let reading: ReadOptions
}

/// A file as the `sources` table remembers it.
struct IndexedSource: Sendable {
    let file: SourceFile
    let contentHash: String
}

/// The reading half of an `index` run, on a thread of its own: files are read, parsed,
/// normalized and analyzed (``PreanalyzedDocument``) here while the caller's thread
/// stores the previous records in SQLite. Both halves cost about the same, so the
/// second core nearly halves the wall time of a bulk build.
///
/// Events travel in chunks through a small bounded queue, which keeps memory flat
/// however large the batch: the parser waits when the writer falls behind.
final class ParseThread: @unchecked Sendable {
    /// Events per chunk, and chunks queued at most: a few hundred records in flight.
    static let chunkSize = 32
    static let queuedChunks = 8
    /// Problems of one file passed on one by one; the rest are counted in one message.
    static let problemsPerFile = 1_000
    /// Terms of case evidence sent together, at most (and at the end of the run).
    static let caseEvidenceBatch = 50_000

    private let files: [FileToRead]

    // Shared between the threads, guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [[ParseEvent]] = []
    private var producerDone = false
    private var stopRequested = false
    private var producerFailure: Error?

    // The parsing thread's own.
    private var outbox: [ParseEvent] = []

    // The writing thread's own.
    private var inbox: [ParseEvent] = []
    private var inboxIndex = 0

    /// Thrown inside the parsing thread when the writer stopped listening.
    private struct Stopped: Error {}

    /// Starts reading `files` at once, each with an ``Ingestor`` for its read options.
    init(files: [FileToRead]) {
        self.files = files
        let thread = Thread { [self] in run() }
        // Like the main thread's: the JSON and page parsers recurse on nesting.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// How long the writer waits for the parser before calling `idle` (``next(idle:)``).
    static let idleDelay: TimeInterval = 0.25

    /// The next event, waiting for it; nil once every file has been read. Rethrows what
    /// stopped the parsing thread (anything but a file's or a record's problem). When the
    /// parser has had nothing for ``idleDelay`` (input that comes slowly, a pipe), `idle`
    /// is called once before waiting on: the writer commits, so that it does not hold
    /// the index's write lock while it waits (a `watch run` or `watch add` meanwhile).
    func next(idle: () throws -> Void = {}) throws -> ParseEvent? {
        if inboxIndex == inbox.count {
            condition.lock()
            var calledIdle = false
            while queue.isEmpty && !producerDone {
                if calledIdle {
                    condition.wait()
                } else if !condition.wait(until: Date().addingTimeInterval(Self.idleDelay)), queue.isEmpty, !producerDone {
                    condition.unlock()
                    try idle()
                    calledIdle = true
                    condition.lock()
                }
            }
            if queue.isEmpty {
                let failure = producerFailure
                condition.unlock()
                if let failure { throw failure }
                return nil
            }
            inbox = queue.removeFirst()
            inboxIndex = 0
            condition.broadcast()
            condition.unlock()
        }
        defer { inboxIndex += 1 }
        return inbox[inboxIndex]
    }

    /// Stops the parsing thread, if still running, and waits for it to end.
    func stop() {
        condition.lock()
        stopRequested = true
        condition.broadcast()
        while !producerDone { condition.wait() }
        condition.unlock()
    }

    private func run() {
        do {
            let analyzer = try FrenchAnalyzer()
            analyzer.collectsCaseEvidence = true
            var ingestors: [ReadOptions: Ingestor] = [:]
            for file in files {
                let ingestor = try ingestors[file.reading] ?? Ingestor(mapping: file.reading.mapping, format: file.reading.format)
                ingestors[file.reading] = ingestor
                try read(file, with: ingestor, analyzer: analyzer)
            }
            let evidence = analyzer.takeCaseEvidence()
            if !evidence.isEmpty { try send(.caseEvidence(evidence)) }
            try flush()
            finish(failure: nil)
        } catch is Stopped {
            finish(failure: nil)
        } catch {
            finish(failure: error)
        }
    }

    private func read(_ toRead: FileToRead, with ingestor: Ingestor, analyzer: FrenchAnalyzer) throws {
        let file = toRead.path
        try send(.fileStarted(toRead))
        // Stat before reading: a file changed while it is read is read again next time.
        let source = file == "-" ? nil : SourceFile(path: file)
        do {
            let input = try InputFile(path: file)
            var records = 0
            var problems = 0
            try ingestor.read(input, record: { record in
                records += 1
                let dispatch = record.dispatch
                let document = PreanalyzedDocument(texts: [dispatch.title, dispatch.standfirst, dispatch.body], analyzer: analyzer)
                try send(.record(ParsedRecord(record: record, document: document, contentHash: dispatch.contentHash,
                                              bytesConsumed: input.bytesConsumed, sourceFile: source)))
                if analyzer.pendingCaseEvidence >= Self.caseEvidenceBatch { try send(.caseEvidence(analyzer.takeCaseEvidence())) }
            }, problem: { found in
                // Kept to a bound per file: the problems wait in the outbox with the records.
                problems += 1
                if problems <= Self.problemsPerFile { outbox.append(.problem(found)) }
            })
            if problems > Self.problemsPerFile {
                try send(.problem(IngestProblem(file: file, message: problems - Self.problemsPerFile == 1 ? "1 more problem in this file, not listed" : "\(problems - Self.problemsPerFile) more problems in this file, not listed")))
            }
            let indexed = source.flatMap { source in (try? source.contentHash()).map { IndexedSource(file: source, contentHash: $0) } }
            try send(.fileRead(source: indexed, records: records, bytes: source?.size ?? input.bytesConsumed))
        } catch let failure as IngestProblem {
            try send(.fileFailed(failure))
        }
    }

    private func send(_ event: ParseEvent) throws {
        outbox.append(event)
        if outbox.count >= Self.chunkSize { try flush() }
    }

    private func flush() throws {
        guard !outbox.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.queuedChunks && !stopRequested { condition.wait() }
        if stopRequested { throw Stopped() }
        queue.append(outbox)
        outbox = []
        condition.broadcast()
    }

    private func finish(failure: Error?) {
        condition.lock()
        producerFailure = failure
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }
}
