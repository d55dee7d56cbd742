import Foundation
import GRDB
import Testing
@testable import DepecheIngest
@testable import DepecheIndex
@testable import DepecheIndexing
@testable import DepecheSearch

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
        #expect(throws: QueryError(message: "too many words: a query takes at most 64", column: 321)) {
            try searcher.search(String(repeating: "cœur ", count: 70))
        }
        // Refused before any work past 8 KB (tokenizing a megabyte took seconds).
        #expect(throws: QueryError(message: "too long: a query takes at most 8 KB (and 64 words)", column: 1)) {
            try searcher.search(String(repeating: "cœur ", count: 200_000))
        }
        #expect(throws: QueryError(message: "too many prefixes: a query takes at most 8 words ending in *", column: 49)) {
            try searcher.search(String(repeating: "cœur* ", count: 9))
        }
        #expect(throws: QueryError(message: "da*: a prefix needs at least 3 letters or digits", column: 1)) { try searcher.search("da*") }
        #expect(try searcher.search(String(repeating: "cœur ", count: 64)).total == 1)
        #expect(try searcher.search("dat* cen*").total == 1)
        _ = try? searcher.search(String(repeating: "(", count: 100_000))
        _ = try searcher.search(String(repeating: "x", count: 8_000))
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func generatedQueriesThroughTheCommandLineExitZeroOrTwoWithOneLine() throws {
        var generator = SeededGenerator(state: 7)
        for _ in 0..<60 {
            let query = Self.randomQuery(&generator).replacingOccurrences(of: "\u{0}", with: "")
            let run = try CLI.run(["search", query, "--db", Self.database, "--format", "ids"])
            #expect([0, 1, 2].contains(run.status), "\(query.debugDescription): \(run.status) \(run.stderr)")
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
        options.filters.allow(["x') OR 1=1 --"], of: .source)
        #expect(try searcher.search("covid", options: options).total == 0)
        #expect(try DispatchIndex(path: Self.database).count() == 2)
    }
}

/// Whether permission tests can run: as root, by running depeche as `nobody`, which must
/// be able to reach the built executable; as another user, directly.
let permissionsBind: Bool = {
    guard getuid() == 0 else { return true }
    let check = try? CLI.run(["nobody", "-s", "/bin/sh", "-c", "test -x '\(CLI.executable)'"], executable: "/bin/su")
    return check?.status == 0
}()

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

    @Test func aTenMegabyteSingleLineIsIndexed() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/one-line.jsonl"
        let words = String(repeating: "Le cacao de Soubré attend la pluie. ", count: 280_000)
        try "{\"id\": \"long\", \"title\": \"Une très longue dépêche\", \"body\": \"\(words)\", \"date\": \"2020-01-01\"}"
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.size] as! Int > 10_000_000)
        let report = try index([file], in: folder)
        #expect(report.added == 1)
        #expect(try Searcher(index: DispatchIndex(path: folder + "/index.sqlite")).search("Soubré pluie").hits.map(\.id) == ["long"])
    }

    /// Memory stays bounded whatever the input: a record over the limit is named and
    /// skipped without being held, in every format, gzip-compressed or not.
    @Test func recordsOverTheSizeLimitAreNamedAndSkippedAndTheRestKept() throws {
        let folder = try TestSupport.temporaryFolder()
        let huge = String(repeating: "x", count: InputFile.largestRecord + 1)
        let good = "{\"id\": \"ok\", \"title\": \"Bon\", \"body\": \"texte\", \"date\": \"2020-01-01\"}"
        try [good, "{\"id\": \"big\", \"body\": \"\(huge)\"}", good.replacingOccurrences(of: "\"ok\"", with: "\"ok2\"").replacingOccurrences(of: "texte", with: "autre texte")].joined(separator: "\n")
            .write(toFile: folder + "/lines.jsonl", atomically: true, encoding: .utf8)
        try "titre,contenu\nBon,texte court\nÉnorme,\"\(huge)\"\nAprès,jamais lu\n".write(toFile: folder + "/rows.csv", atomically: true, encoding: .utf8)
        try "Titre\n\n\(huge)\n".write(toFile: folder + "/page.txt", atomically: true, encoding: .utf8)
        let report = try index([folder + "/lines.jsonl", folder + "/rows.csv", folder + "/page.txt"], in: folder)
        #expect(report.problems.map(\.description) == [
            "\(folder)/lines.jsonl:2: record too large (over 16 MB); skipped",
            "\(folder)/rows.csv:1: no date column (columns: titre, contenu); dispatches indexed without dates",
            "\(folder)/rows.csv:3: record too large (over 16 MB); the rest of the file was not read",
            "\(folder)/page.txt: too large: over 16 MB of text for one page or JSON document; skipped (JSON Lines are read record by record)",
        ])
        #expect(report.added == 3, "ok, ok2 and the first CSV row")
    }

    @Test("Unreadable files are named and the rest indexed",
          .enabled(if: getuid() == 0 && permissionsBind, "needs root, and a build that the nobody user can run"))
    func unreadableFilesAreNamed() throws {
        let folder = try TestSupport.temporaryFolder()
        chmod(folder, 0o777)
        try TestSupport.write([["id": "ok", "title": "Bon", "body": "texte", "date": "2020-01-01"]], to: folder + "/good.jsonl")
        try TestSupport.write([["id": "secret", "title": "Caché", "body": "texte", "date": "2020-01-01"]], to: folder + "/secret.jsonl")
        chmod(folder + "/good.jsonl", 0o644)
        chmod(folder + "/secret.jsonl", 0o600)
        let command = "'\(CLI.executable)' index '\(folder)' --db '\(folder)/index.sqlite'"
        let run = try CLI.run(["nobody", "-s", "/bin/sh", "-c", command], executable: "/bin/su")
        #expect(run.status == 2)
        #expect(run.stderr.contains("depeche: \(folder)/secret.jsonl: permission denied\n"), "\(run.stderr)")
        #expect(try DispatchIndex(path: folder + "/index.sqlite").dispatch(id: "ok")?.title == "Bon")
    }

    @Test func aSymlinkLoopIsReadOnce() throws {
        let folder = try TestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        try TestSupport.write([["id": "one", "title": "Un", "body": "texte", "date": "2020-01-01"]], to: folder + "/a/one.jsonl")
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/loop", withDestinationPath: folder + "/a")
        let report = try index([folder + "/a"], in: folder)
        #expect(report.filesRead == 1 && report.added == 1)
    }

    @Test(.enabled(if: permissionsBind, "as root, needs a build that the nobody user can run"))
    func anIndexOnAReadOnlyFolderIsSearchedAndNotWritten() throws {
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
        #expect(write.status == 2)
        #expect(write.stderr == "depeche: cannot write the index in \(folder)/ro: no write permission on the folder\n")
    }
}

/// Checks an index as `PRAGMA integrity_check` and FTS5's own integrity check see it.
func assertSound(_ database: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let index = try DispatchIndex(path: database)
    let check = try index.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
    #expect(check == "ok", sourceLocation: sourceLocation)
    try index.queue.write { db in
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts) VALUES ('integrity-check')")
    }
}

@Suite("Reliability: interruptions and concurrency", .serialized, .longCase)
struct InterruptionTests {
    /// A JSON Lines batch large enough to take a few seconds to index.
    static func bigBatch(in folder: String, count: Int = 20_000, prefix: String = "n") throws -> String {
        let file = folder + "/\(prefix)-batch.jsonl"
        let lines = (0..<count).map {
            "{\"id\": \"\(prefix)\($0)\", \"title\": \"Dépêche \(prefix) \($0) sur la campagne du cacao\", \"body\": \"Texte \($0) : les planteurs de la région \($0 % 97) attendent la pluie.\", \"date\": \"2020-0\($0 % 9 + 1)-1\($0 % 10)\"}"
        }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func contents(_ database: String) throws -> [String] {
        try DispatchIndex(path: database).read { db in try String.fetchAll(db, sql: "SELECT id || ' ' || content_hash FROM dispatches ORDER BY id") }
    }

    /// A batch folder as users have them: the bundled pages (two without a year) and a
    /// JSON Lines export large enough to take a few seconds, after the pages.
    static func mixedBatch(in folder: String, count: Int = 6_000) throws -> String {
        let batch = folder + "/batch"
        try FileManager.default.createDirectory(atPath: batch, withIntermediateDirectories: true)
        for page in try FileManager.default.contentsOfDirectory(atPath: TestSupport.bundledCorpus) where page.hasSuffix(".txt") {
            try FileManager.default.copyItem(atPath: TestSupport.bundledCorpus + "/" + page, toPath: batch + "/" + page)
        }
        _ = try bigBatch(in: batch, count: count)
        return batch
    }

    /// The ids the snapshots show in full: the two pages without a year, and JSON records.
    static let shownIds = ["037_congo-ecole-numerique-sans-annee", "038_niger-sante-meningite-sans-annee", "n0", "n5999", "base3"]

    /// A small index to start incremental runs and rebuilds from.
    static func base(_ database: String, folder: String) throws {
        let base = folder + "/base.jsonl"
        if !FileManager.default.fileExists(atPath: base) {
            try TestSupport.write((0..<50).map { ["id": "base\($0)", "title": "Base \($0) sur la pêche", "body": "Texte de base \($0).", "date": "2019-03-0\($0 % 9 + 1)"] }, to: base)
        }
        #expect(try CLI.run(["index", base, "--db", database]).status == 0)
    }

    /// Runs `arguments` (with `--db` added) uninterrupted, then, for each moment (a
    /// fraction of that run's duration), from the same starting state: killed at that
    /// moment, checked sound (a rebuild: answering as before or as after, nothing in
    /// between), then run again as it was, which must end with exactly what the
    /// uninterrupted run stored.
    func killAndResume(_ label: String, arguments: [String], startFrom prepare: (String) throws -> Void,
                       folder: String, moments: [Double] = [0.03, 0.2, 0.45, 0.7, 0.95]) throws {
        let reference = folder + "/\(label)-reference.sqlite"
        try prepare(reference)
        let before = FileManager.default.fileExists(atPath: reference) ? try IndexSnapshot.of(reference, ids: Self.shownIds) : nil
        let started = Date()
        #expect(try CLI.run(arguments + ["--db", reference]).status == 0)
        let duration = Date().timeIntervalSince(started)
        let expected = try IndexSnapshot.of(reference, ids: Self.shownIds)
        for (number, moment) in moments.enumerated() {
            let database = folder + "/\(label)-killed-\(number).sqlite"
            try prepare(database)
            let process = try start(arguments + ["--db", database])
            Thread.sleep(forTimeInterval: duration * moment)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if FileManager.default.fileExists(atPath: database) {
                try assertSound(database)
                let now = try IndexSnapshot.of(database, ids: Self.shownIds)
                if let before, arguments.contains("--rebuild") {
                    #expect(now == before || now == expected, "\(label) killed at \(moment): neither the old index nor the new one")
                }
            }
            let resumed = try CLI.run(arguments + ["--db", database])
            #expect(resumed.status == 0, "\(label) killed at \(moment): \(resumed.stderr)")
            let got = try IndexSnapshot.of(database, ids: Self.shownIds)
            #expect(got == expected, "\(label) killed at \(moment): \(zip(got, expected).first { $0 != $1 }.map { "\($0)\nexpected \($1)" } ?? "\(got.count) lines, expected \(expected.count)")")
        }
    }

    @Test func aKilledFirstBuildIsResumedByAPlainRerun() throws {
        let folder = try TestSupport.temporaryFolder()
        let batch = try Self.mixedBatch(in: folder)
        try killAndResume("first", arguments: ["index", batch], startFrom: { _ in }, folder: folder)
    }

    @Test func aKilledIncrementalRunWithYearlessPagesIsResumedByAPlainRerun() throws {
        let folder = try TestSupport.temporaryFolder()
        let batch = try Self.mixedBatch(in: folder)
        try killAndResume("incremental", arguments: ["index", batch], startFrom: { try Self.base($0, folder: folder) }, folder: folder)
    }

    @Test func aKilledRebuildKeepsTheOldIndexAndIsResumedByARerun() throws {
        let folder = try TestSupport.temporaryFolder()
        let batch = try Self.mixedBatch(in: folder)
        try killAndResume("rebuild", arguments: ["index", batch, "--rebuild"], startFrom: { try Self.base($0, folder: folder) }, folder: folder)
    }

    /// The case that lost pages for good: killed once the first transaction (the pages and
    /// the start of the export) is committed, before the pages' year was settled.
    @Test func pagesWithoutAYearSurviveAKillAfterTheFirstCommit() throws {
        let folder = try TestSupport.temporaryFolder()
        let batch = try Self.mixedBatch(in: folder)
        let reference = folder + "/reference.sqlite", database = folder + "/killed.sqlite"
        try Self.base(reference, folder: folder)
        #expect(try CLI.run(["index", batch, "--db", reference]).status == 0)
        try Self.base(database, folder: folder)
        let process = try start(["index", batch, "--db", database])
        let index = try DispatchIndex(path: database, readOnly: true)
        let deadline = Date().addingTimeInterval(60)
        while try index.count() < 50 + BatchWriter.transactionSize, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before the kill")
        #expect(try index.dispatch(id: "037_congo-ecole-numerique-sans-annee") == nil, "its year waits for the end of the batch")
        #expect(try CLI.run(["index", batch, "--db", database]).status == 0)
        #expect(try IndexSnapshot.of(database, ids: Self.shownIds) == IndexSnapshot.of(reference, ids: Self.shownIds))
    }

    @Test func searchesAndExportsKeepAnsweringWhileAnIndexRunWrites() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/live.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database]).status == 0)
        let writer = try start(["index", try Self.bigBatch(in: folder), "--db", database])
        var searches = 0
        while writer.isRunning {
            let run = try CLI.run(["search", "Rosatom data center", "--db", database, "--format", "ids"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("001_congo-rosatom-centres-de-donnees"))
            let export = try CLI.run(["export", "Covid-19", "--db", database, "--format", "jsonl", "--fields", "id"])
            #expect(export.status == 0, "\(export.stderr)")
            #expect(export.stdout.split(separator: "\n").count == 9)
            searches += 1
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(searches > 3, "the index run ended before searches could overlap it")
        try assertSound(database)
    }

    @Test func aRebuildUnderALongExportSucceedsAndSaysSo() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/read.sqlite"
        #expect(try CLI.run(["index", try Self.bigBatch(in: folder), "--db", database]).status == 0)
        // An export into a pipe nobody reads: it blocks once the pipe is full, holding its
        // read of the old content.
        let export = Process()
        export.executableURL = URL(fileURLWithPath: CLI.executable)
        export.arguments = ["export", "cacao", "--db", database, "--format", "jsonl"]
        let pipe = Pipe()
        export.standardOutput = pipe
        export.standardError = FileHandle.nullDevice
        try export.run()
        defer { kill(export.processIdentifier, SIGKILL); export.waitUntilExit() }
        Thread.sleep(forTimeInterval: 1)
        #expect(export.isRunning)
        let started = Date()
        let rebuild = try CLI.run(["index", TestSupport.bundledCorpus, "--db", database, "--rebuild"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(rebuild.stdout.contains("the new index is in place (a search or export still reading the old one"), "\(rebuild.stdout)")
        #expect(try CLI.run(["search", "Rosatom", "--db", database, "--format", "ids"]).stdout.hasPrefix("001_congo-rosatom"))
        #expect(try CLI.run(["search", "cacao", "--db", database, "--format", "ids"]).stdout == "022_cote-divoire-cacao-prix\n")
    }

    @Test func twoIndexRunsAtOnceBothFinishOrOneRefusesClearly() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/shared.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database]).status == 0)
        let first = try start(["index", try Self.bigBatch(in: folder, prefix: "first"), "--db", database])
        let second = try CLI.run(["index", try Self.bigBatch(in: folder, count: 2_000, prefix: "second"), "--db", database])
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        if second.status != 0 {
            #expect(second.stderr.hasPrefix("depeche: the index \(database) is locked by another depeche process"))
        }
        try assertSound(database)
        let ids = try contents(database)
        #expect(ids.filter { $0.hasPrefix("first") }.count == 20_000)
        #expect([0, 2_000].contains(ids.filter { $0.hasPrefix("second") }.count))
    }
}

/// Whether this process can mount a small file system (root, with the capability).
let canMountTmpfs: Bool = {
    guard getuid() == 0 else { return false }
    let probe = NSTemporaryDirectory() + "depeche-mount-probe-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: probe) }
    guard (try? CLI.run(["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], executable: "/bin/mount"))?.status == 0 else { return false }
    _ = try? CLI.run([probe], executable: "/bin/umount")
    return true
}()

@Suite("Reliability: environment faults", .serialized)
struct EnvironmentFaultTests {
    @Test("A full disk stops the batch with one line and loses nothing", .enabled(if: canMountTmpfs, "needs root and mount for a small tmpfs"))
    func fullDiskLosesNothing() throws {
        let mountPoint = try TestSupport.temporaryFolder()
        #expect(try CLI.run(["-t", "tmpfs", "-o", "size=1500k", "tmpfs", mountPoint], executable: "/bin/mount").status == 0)
        defer { _ = try? CLI.run([mountPoint], executable: "/bin/umount") }
        let database = mountPoint + "/index.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database]).status == 0)
        let before = try CLI.run(["search", "Covid-19", "--db", database, "--format", "ids"]).stdout
        let batch = try InterruptionTests.bigBatch(in: try TestSupport.temporaryFolder())
        for arguments in [["index", batch, "--db", database], ["index", batch, "--db", database, "--rebuild"]] {
            let run = try CLI.run(arguments)
            #expect(run.status == 2)
            #expect(run.stderr.split(separator: "\n").last == "depeche: the disk is full: the batch stopped; what was indexed before it is intact (free some space and run index again)",
                    "\(run.stderr)")
            #expect(try CLI.run(["search", "Covid-19", "--db", database, "--format", "ids"]).stdout == before)
            try assertSound(database)
        }
    }

    @Test func aDamagedIndexPointsAtRebuild() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/damaged.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database]).status == 0)
        // Overwrite the file after its 100-byte header with garbage, as a bad disk would:
        // the schema page and the next ones, whatever the page size.
        let handle = FileHandle(forUpdatingAtPath: database)!
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 200_000))
        try handle.close()
        let run = try CLI.run(["search", "Rosatom", "--db", database])
        #expect(run.status == 2)
        #expect(run.stderr.hasSuffix("rebuild it with `depeche index PATH... --rebuild`\n"), "\(run.stderr)")
        #expect(!run.stderr.contains("SELECT"))
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database, "--rebuild"]).status == 0)
        #expect(try CLI.run(["search", "Rosatom", "--db", database, "--format", "ids"]).stdout.hasPrefix("001_congo-rosatom"))
    }
}

@Suite("Reliability: readers without write permission", .serialized)
struct ReadOnlyReaderTests {
    /// A user who may read the index but not write it (nor its folder) searches it while
    /// its owner runs `index`: every search answers, or says that the index changed while
    /// it was read; none calls the busy index damaged.
    @Test(.longCase, .enabled(if: getuid() == 0 && permissionsBind, "needs root, and a build that the nobody user can run"))
    func aReaderWithoutWritePermissionIsNeverToldABusyIndexIsDamaged() throws {
        let folder = try TestSupport.temporaryFolder()
        chmod(folder, 0o755)
        let database = folder + "/shared.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database]).status == 0)
        chmod(database, 0o644)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: CLI.executable)
        writer.arguments = ["index", try InterruptionTests.bigBatch(in: folder), "--db", database]
        writer.standardOutput = FileHandle.nullDevice
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        let command = "for i in $(seq 1 40); do '\(CLI.executable)' search Rosatom --db '\(database)' --format ids >/dev/null || exit 3; done"
        var rounds = 0
        while writer.isRunning || rounds == 0 {
            let run = try CLI.run(["nobody", "-s", "/bin/sh", "-c", command], executable: "/bin/su")
            #expect(!run.stderr.contains("damaged"), "\(run.stderr)")
            #expect(run.status == 0 || run.stderr.contains("changed while it was read"), "\(run.status) \(run.stderr)")
            rounds += 1
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
    }
}
