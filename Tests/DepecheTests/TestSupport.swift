import Foundation
import Testing
import GRDB
@testable import DepecheIndex
@testable import DepecheIndexing
@testable import DepecheSearch

/// Helpers shared by the test suites.
enum TestSupport {
    /// True when the long interruption and concurrency cases run too (kills at chosen
    /// moments, runs racing each other, busy timeouts): `scripts/test --all` and `.ci/run`
    /// set `DEPECHE_LONG_TESTS=1`; `scripts/test` alone keeps to the cases a developer
    /// runs after every change.
    static let runsLongCases = ProcessInfo.processInfo.environment["DEPECHE_LONG_TESTS"] == "1"

    /// A fixture file shipped with the tests.
    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
    }

    /// A fresh empty folder, removed by the system's temporary-file cleaning.
    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "depeche-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes records as JSON Lines.
    static func write(_ records: [[String: Any]], to file: String) throws {
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Writes JSON Lines records and indexes them into a new index; returns its path.
    static func index(records: [[String: Any]], options: IndexRunOptions = IndexRunOptions()) throws -> String {
        let folder = try temporaryFolder()
        let source = folder + "/records.jsonl"
        try write(records, to: source)
        let database = folder + "/index.sqlite"
        _ = try IndexUpdater.run(paths: [source], databasePath: database, options: options)
        return database
    }

    /// True when a dispatch whose body is `document` is found by `query`, through the
    /// real tokenizer, query compiler and FTS5.
    static func matches(document: String, query: String) throws -> Bool {
        let queue = try DatabaseQueue(configuration: DispatchIndex.configuration(readOnly: false))
        return try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '\(FrenchTokenizer.name)')")
            try db.execute(sql: "INSERT INTO t(body) VALUES (?)", arguments: [document])
            let match = try CompiledQuery(query).match!.fts5
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM t WHERE t MATCH ?", arguments: [match]) == 1
        }
    }

    /// The bundled corpus folder of the repository.
    static var bundledCorpus: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("corpus").path
    }

    /// The shared real-news corpus beside the repository, when present.
    static var sharedCorpus: String? {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

extension Trait where Self == ConditionTrait {
    /// A long interruption or concurrency case (``TestSupport/runsLongCases``).
    static var longCase: Self {
        .enabled(if: TestSupport.runsLongCases, "a long interruption or concurrency case: scripts/test --all or .ci/run")
    }
}
