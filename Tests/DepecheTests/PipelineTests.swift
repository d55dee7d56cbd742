import Foundation
import GRDB
import Testing
@testable import DepecheAnalysis
@testable import DepecheIngest
@testable import DepecheIndex
@testable import DepecheIndexing

/// The two-thread indexing pipeline: documents analyzed on the parsing thread and
/// replayed by the tokenizer must index exactly what the tokenizer would have.
@Suite("Indexing pipeline")
struct PipelineTests {
    static let text = "L’État a relevé la vigilance orange : Sassou-N’Guesso et les élections à N’Djamena, Covid-19, cœur."

    /// Every (term, offset) FTS5 stored for the one row of table `table`.
    static func instances(_ db: Database, table: String) throws -> [String] {
        try db.execute(sql: "CREATE VIRTUAL TABLE temp.\(table)_terms USING fts5vocab(main, \(table), instance)")
        return try Row.fetchAll(db, sql: "SELECT term, offset FROM temp.\(table)_terms ORDER BY term, offset")
            .map { "\($0["term"] as String)@\($0["offset"] as Int)" }
    }

    @Test func replayedDocumentIndexesTheSameTermsAsLiveAnalysis() throws {
        let queue = try DatabaseQueue(configuration: DispatchIndex.configuration(readOnly: false))
        let document = PreanalyzedDocument(texts: [Self.text], analyzer: try FrenchAnalyzer())
        try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE live USING fts5(body, tokenize = '\(FrenchTokenizer.name)')")
            try db.execute(sql: "CREATE VIRTUAL TABLE replayed USING fts5(body, tokenize = '\(FrenchTokenizer.name)')")
            try db.execute(sql: "INSERT INTO live(body) VALUES (?)", arguments: [Self.text])
            try PreanalyzedDocument.$current.withValue(document) {
                try db.execute(sql: "INSERT INTO replayed(body) VALUES (?)", arguments: [Self.text])
            }
            let live = try Self.instances(db, table: "live")
            #expect(live.contains("etat@0") && live.contains("nguesso@7") && live.contains("coeur@15"))
            #expect(try Self.instances(db, table: "replayed") == live)
        }
    }

    @Test func textOtherThanTheAnalyzedOneIsAnalyzedLive() throws {
        let queue = try DatabaseQueue(configuration: DispatchIndex.configuration(readOnly: false))
        let document = PreanalyzedDocument(texts: ["un tout autre texte"], analyzer: try FrenchAnalyzer())
        try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '\(FrenchTokenizer.name)')")
            try PreanalyzedDocument.$current.withValue(document) {
                try db.execute(sql: "INSERT INTO t(body) VALUES (?)", arguments: [Self.text])
            }
            let terms = try Self.instances(db, table: "t")
            #expect(terms.contains("vigilance@4"))
            #expect(!terms.contains { $0.hasPrefix("texte@") })
        }
    }

    @Test func parseThreadDeliversEveryFileInOrderWithItsProblems() throws {
        let folder = try TestSupport.temporaryFolder()
        let first = folder + "/a.jsonl", second = folder + "/b.jsonl"
        try TestSupport.write((1...100).map { ["id": "a\($0)", "title": "Dépêche \($0)", "body": "texte de Dati"] }, to: first)
        try "{\"id\": \"b1\", \"title\": \"Une\", \"body\": \"x\"}\n{broken\n".write(toFile: second, atomically: true, encoding: .utf8)
        let parser = ParseThread(files: [first, folder + "/missing.jsonl", second].map { FileToRead(path: $0, reading: ReadOptions()) })
        defer { parser.stop() }
        var seen: [String] = []
        while let event = try parser.next() {
            switch event {
            case .fileStarted(let file): seen.append("start \((file.path as NSString).lastPathComponent)")
            case .record(let parsed): seen.append(parsed.record.dispatch.id)
            case .problem(let problem): seen.append("problem line \(problem.line ?? 0)")
            case .fileRead(let source, let records, _):
                // A hashed file is remembered under its path.
                seen.append("read \(source.map { ($0.file.path as NSString).lastPathComponent } ?? "unhashed") \(records)")
            case .fileFailed(let problem): seen.append("failed \((problem.file as NSString).lastPathComponent)")
            case .caseEvidence: seen.append("case evidence")
            }
        }
        // Line 1 of each file: "no date field", said once per file.
        #expect(seen == ["start a.jsonl", "problem line 1"] + (1...100).map { "a\($0)" }
                + ["read a.jsonl 100", "start missing.jsonl", "failed missing.jsonl",
                   "start b.jsonl", "problem line 1", "b1", "problem line 2", "read b.jsonl 1", "case evidence"])
    }

    @Test(.timeLimit(.minutes(1)))
    func stoppingTheParseThreadMidwayReturnsPromptlyAndReadsNoFurther() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/many.jsonl"
        try TestSupport.write((1...5_000).map { ["id": "d\($0)", "title": "Titre \($0)", "body": "Le corps de la dépêche \($0)."] }, to: file)
        let parser = ParseThread(files: [FileToRead(path: file, reading: ReadOptions())])
        _ = try parser.next()
        _ = try parser.next()
        // The parser is blocked on its full queue by now, or soon: stop must still end it.
        let started = Date()
        parser.stop()
        #expect(Date().timeIntervalSince(started) < 2)
        // What was queued before the stop is all that comes: the queue is bounded.
        var delivered = 2
        while try parser.next() != nil { delivered += 1 }
        #expect(delivered <= (ParseThread.queuedChunks + 2) * ParseThread.chunkSize, "\(delivered) events after a stop")
    }
}
