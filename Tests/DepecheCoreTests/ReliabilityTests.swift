import Foundation
import GRDB
import Testing
@testable import DepecheCore

/// A small deterministic generator (SplitMix64), so that generated cases repeat.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Reliability: hostile input", .serialized)
struct HostileInputTests {
    static let database = try! TestSupport.index(records: [
        ["id": "a", "title": "L’État et le C++ à N’Djamena", "body": "data center, cœur, 38.101 et «guillemets»", "date": "2020-01-01"],
        ["id": "b", "title": "Covid-19 : bilan", "body": "Le coronavirus en France.", "date": "2020-06-01"],
    ])

    /// Pieces people (and fuzzers) type: FTS5 syntax, quotes, brackets, operators,
    /// other scripts, right-to-left text, emoji, control characters.
    static let pieces = ["\"", "'", "’", "(", ")", "*", "^", ":", "-", "+", "NOT", "AND", "OR", "NEAR", "NEAR/", "NEAR/3", "{", "}", "[", "]",
                         "title:", "source:", "category:", "col:", ";", "--", "/*", "\\", "%", "_", "\u{0}", "\u{1}", "\u{7F}", "\u{FEFF}", "\u{202E}",
                         "مرحبا", "שלום", "日本", "😀", "👍🏽", "e\u{301}", "État", "l'", "data", "center", "covid", "19", "à", " ", "  ", "\t", "\n",
                         "'); DROP TABLE dispatches; --", "x", "AND OR", "\"\"", "**", "NEAR(", ",", "0x", "\u{FFFD}", "ﬁ", "ß", "Œ"]

    static func randomQuery(_ generator: inout SeededGenerator) -> String {
        let count = Int.random(in: 0...8, using: &generator)
        return (0..<count).map { _ in
            Int.random(in: 0..<10, using: &generator) == 0
                ? String(UnicodeScalar(UInt32.random(in: 0x20...0x2FFF, using: &generator)) ?? "?")
                : pieces.randomElement(using: &generator)!
        }.joined(separator: Bool.random(using: &generator) ? " " : "")
    }

    @Test func thousandsOfGeneratedQueriesGiveHitsOrAQueryError() throws {
        let searcher = Searcher(index: try DispatchIndex(path: Self.database, readOnly: true))
        var generator = SeededGenerator(state: 2026)
        var answered = 0, refused = 0
        for _ in 0..<3_000 {
            let query = Self.randomQuery(&generator)
            do {
                _ = try searcher.search(query)
                answered += 1
            } catch let error as QueryError {
                #expect(!error.description.contains("\n"))
                refused += 1
            } catch {
                Issue.record("\(query.debugDescription) gave \(error)")
            }
        }
        #expect(answered > 500 && refused > 100, "the generator should exercise both outcomes (\(answered) answered, \(refused) refused)")
        #expect(try DispatchIndex(path: Self.database).count() == 2)
    }

    @Test func hugeQueriesAreAnsweredQuickly() throws {
        let searcher = Searcher(index: try DispatchIndex(path: Self.database, readOnly: true))
        let started = Date()
        _ = try searcher.search(String(repeating: "cœur ", count: 20_000))
        _ = try? searcher.search(String(repeating: "(", count: 100_000))
        _ = try searcher.search(String(repeating: "x", count: 100_000))
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func generatedQueriesThroughTheCommandLineExitZeroOrTwoWithOneLine() throws {
        var generator = SeededGenerator(state: 7)
        for _ in 0..<60 {
            let query = Self.randomQuery(&generator).replacingOccurrences(of: "\u{0}", with: "")
            let run = try CLI.run(["search", query, "--db", Self.database, "--format", "ids"])
            #expect(run.status == 0 || run.status == 2, "\(query.debugDescription): \(run.status) \(run.stderr)")
            #expect(run.stderr.isEmpty || (run.stderr.hasPrefix("depeche: ") && run.stderr.split(separator: "\n").count == 1), "\(query.debugDescription)")
            #expect(!run.stderr.lowercased().contains("sqlite"), "\(query.debugDescription): \(run.stderr)")
        }
    }

    @Test func injectionAttemptsAreOnlyText() throws {
        let searcher = Searcher(index: try DispatchIndex(path: Self.database, readOnly: true))
        for query in ["'); DROP TABLE dispatches; --", "\" OR 1=1 --", "source:x' OR '1'='1", "category:\"); DELETE FROM dispatches; --\""] {
            _ = try? searcher.search(query)
        }
        var options = SearchOptions()
        options.sources = ["x') OR 1=1 --"]
        #expect(try searcher.search("covid", options: options).total == 0)
        #expect(try DispatchIndex(path: Self.database).count() == 2)
    }
}

@Suite("Reliability: hostile files", .serialized)
struct HostileFileTests {
    func index(_ paths: [String], in folder: String) throws -> IndexReport {
        try IndexUpdater.run(paths: paths, databasePath: folder + "/index.sqlite", options: IndexRunOptions())
    }

    @Test func emptyNestedHugeAndBrokenFilesAreNamedAndGoodRecordsKept() throws {
        let folder = try TestSupport.temporaryFolder()
        let good = folder + "/good.jsonl"
        try TestSupport.write([["id": "ok", "title": "Bon", "body": "texte lisible", "date": "2020-01-01"]], to: good)
        FileManager.default.createFile(atPath: folder + "/empty.jsonl", contents: Data())
        FileManager.default.createFile(atPath: folder + "/empty.txt", contents: Data())
        try (String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
            .write(toFile: folder + "/nested.jsonl", atomically: true, encoding: .utf8)
        let blob = String(repeating: "A", count: 2_000_000)
        try "{\"id\": \"huge\", \"title\": \"Très long\", \"body\": \"\(blob) fin\", \"date\": \"2020-01-02\"}\n"
            .write(toFile: folder + "/huge.jsonl", atomically: true, encoding: .utf8)
        var page = Array("Titre d'une page\n\nDakar, 3 mars 2021 (APS) – début ".utf8)
        page += [0xFF, 0xFE]
        page += Array(" suite après des octets invalides.\n".utf8)
        FileManager.default.createFile(atPath: folder + "/broken.txt", contents: Data(page))
        try "titre,contenu\n\"non fermé,texte\nautre,ligne\n".write(toFile: folder + "/unbalanced.csv", atomically: true, encoding: .utf8)

        let report = try index([folder], in: folder)
        let problems = report.problems.map(\.description)
        #expect(problems.contains("\(folder)/empty.txt: empty page: no title or body"))
        #expect(problems.contains("\(folder)/nested.jsonl:1: JSON nested more than 64 levels deep; not a dispatch"))
        #expect(problems.contains("\(folder)/broken.txt: not valid UTF-8; read as Windows-1252"))
        #expect(problems.contains("\(folder)/unbalanced.csv:2: quote opened here is never closed; the rest of the file was not read"))
        let index = try DispatchIndex(path: folder + "/index.sqlite")
        #expect(try index.dispatch(id: "ok")?.title == "Bon")
        #expect(try index.dispatch(id: "huge")?.body.hasSuffix(" fin") == true)
        #expect(try index.dispatch(id: "broken")?.body.contains("suite après") == true)
        #expect(try Searcher(index: index).search("lisible").total == 1)
    }

    @Test func aSymlinkLoopIsReadOnce() throws {
        let folder = try TestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        try TestSupport.write([["id": "one", "title": "Un", "body": "texte", "date": "2020-01-01"]], to: folder + "/a/one.jsonl")
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/loop", withDestinationPath: folder + "/a")
        let report = try index([folder + "/a"], in: folder)
        #expect(report.filesRead == 1 && report.added == 1)
    }

    @Test func anIndexOnAReadOnlyFolderIsSearchedAndNotWritten() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/ro/index.sqlite"
        let run = try CLI.run(["index", TestSupport.bundledCorpus, "--db", database])
        #expect(run.status == 0)
        chmod(database, 0o444)
        chmod(folder + "/ro", 0o555)
        defer { chmod(folder + "/ro", 0o755) }
        // As root, permissions do not bind: run the commands as nobody when we are root.
        let asNobody = getuid() == 0
        func depeche(_ arguments: [String]) throws -> CLI.Run {
            guard asNobody else { return try CLI.run(arguments) }
            let command = ([CLI.executable] + arguments).map { "'\($0)'" }.joined(separator: " ")
            return try CLI.run(["nobody", "-s", "/bin/sh", "-c", command], executable: "/bin/su")
        }
        chmod(folder, 0o755)
        let search = try depeche(["search", "Rosatom", "--db", database, "--format", "ids"])
        #expect(search.status == 0)
        #expect(search.stdout.hasPrefix("001_congo-rosatom-centres-de-donnees\n"))
        let write = try depeche(["index", TestSupport.bundledCorpus, "--db", database])
        #expect(write.status == 1)
        #expect(write.stderr == "depeche: cannot write the index in \(folder)/ro: no write permission on the folder\n")
    }
}
