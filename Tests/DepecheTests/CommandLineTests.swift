import Foundation
import Testing
@testable import DepecheIndex

/// Runs the built `depeche` executable, as scripts and people do.
struct CLI {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The executable beside the test bundle in the build folder (the test target depends on it).
    static let executable: String = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("depeche").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/depeche").path
    }()

    /// Runs depeche (or `executable`) with `arguments`; `input` names a file read as standard input.
    static func run(_ arguments: [String], environment: [String: String] = [:], executable: String = CLI.executable,
                    input: String? = nil) throws -> Run {
        let process = Process()
        if let input { process.standardInput = FileHandle(forReadingAtPath: input) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        // The test runner may set NO_COLOR for its own output; the tests choose it themselves.
        merged.removeValue(forKey: "DEPECHE_DB")
        merged.removeValue(forKey: "NO_COLOR")
        merged.merge(environment) { $1 }
        process.environment = merged
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite("Command line", .serialized)
struct CommandLineTests {
    /// The bundled corpus indexed once for the suite.
    static let bundledIndex: String = {
        let database = try! TestSupport.temporaryFolder() + "/bundled.sqlite"
        let run = try! CLI.run(["index", TestSupport.bundledCorpus, "--db", database])
        precondition(run.status == 0, run.stderr)
        return database
    }()

    @Test func mainJobFindsTheBundledRosatomDispatchFirst() throws {
        let run = try CLI.run(["search", "Rosatom data center", "--db", Self.bundledIndex, "--format", "ids"])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").first == "001_congo-rosatom-centres-de-donnees")
        #expect(run.stderr == "depeche: also searched: data centre, datacenter, centre de données\n")
    }

    @Test func tableShowsCountTitleMetadataAndMarkedSnippet() throws {
        let run = try CLI.run(["search", "Rosatom data center", "--db", Self.bundledIndex])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The story and its update (043) are one hit in the table, the update named under it.
        #expect(lines[0].hasPrefix("2 hits in 1 story for \"Rosatom data center\" ("))
        #expect(lines[1] == "also searched: data centre, datacenter, centre de données")
        #expect(lines[3] == "1.  Congo : Rosatom propose son expertise pour bâtir des data centers à Brazzaville")
        #expect(lines[4] == "    2020-12-10 · ACI · Politique · Brazzaville · 001_congo-rosatom-centres-de-donnees")
        #expect(lines[5].contains("[data] [centers]"))
        #expect(lines[6] == "    +1 similar: ACI")
        #expect(!run.stdout.contains("\u{1B}["), "no colour when not on a terminal")
        let coloured = try CLI.run(["search", "Rosatom", "--db", Self.bundledIndex, "--color", "always"])
        #expect(coloured.stdout.contains("\u{1B}[1;33mRosatom\u{1B}[0m"))
    }

    @Test func jsonFollowsTheContract() throws {
        let run = try CLI.run(["search", "Sassou Nguesso", "--db", Self.bundledIndex, "--format", "json", "--limit", "2"])
        #expect(run.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(object["query"] as? String == "Sassou Nguesso")
        #expect(object["total"] as? Int == 4)
        let hits = object["hits"] as! [[String: Any]]
        #expect(hits.count == 2)
        // One schema: every key present, null when the dispatch lacks it (the bundled
        // corpus has no url).
        for key in ["id", "title", "date", "date_quality", "source", "category", "city", "score", "snippet", "origin", "url"] {
            #expect(hits[0].keys.contains(key), "\(key)")
        }
        #expect(hits[0]["url"] is NSNull)
        let jsonl = try CLI.run(["search", "Sassou Nguesso", "--db", Self.bundledIndex, "--format", "jsonl", "--limit", "2"])
        let lines = jsonl.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let firstLine = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(firstLine["id"] as? String == hits[0]["id"] as? String)
    }

    @Test func csvQuotesFieldsAndTsvFlattensThem() throws {
        let csv = try CLI.run(["search", "Côte d'Ivoire", "--db", Self.bundledIndex, "--format", "csv", "--limit", "1"])
        let rows = csv.stdout.components(separatedBy: "\r\n")
        #expect(rows[0] == "id,title,date,date_quality,source,category,city,score,snippet,origin,url")
        #expect(rows[1].hasPrefix("0"))
        let tsv = try CLI.run(["search", "Côte d'Ivoire", "--db", Self.bundledIndex, "--format", "tsv", "--limit", "1"])
        #expect(tsv.stdout.split(separator: "\n")[1].split(separator: "\t", omittingEmptySubsequences: false).count == 11)
    }

    @Test func tickerOnlyWordsFindNothing() throws {
        let run = try CLI.run(["search", "Zanzibar", "--db", Self.bundledIndex, "--format", "ids"])
        #expect(run.status == 1 && run.stdout.isEmpty)
    }

    @Test func hostileQueriesExitZeroOrTwoWithOneCleanLine() throws {
        for query in ["data-center", "l'État", "C++", "(etat", "\"unbalanced", "*", "NOT", "AND OR", "", "'); DROP TABLE dispatches; --", "a:b", "x\"y\"z"] {
            let run = try CLI.run(["search", query, "--db", Self.bundledIndex, "--format", "ids"])
            #expect([0, 1, 2].contains(run.status), "\(query.debugDescription): \(run.status)")
            if run.status == 2 {
                #expect(run.stderr.hasPrefix("depeche: query error at column "), "\(query.debugDescription)")
                #expect(run.stderr.split(separator: "\n").count == 1)
            }
            #expect(!run.stderr.lowercased().contains("sql"), "\(query.debugDescription): \(run.stderr)")
        }
        #expect(try DispatchIndex(path: Self.bundledIndex).count() == 43)
    }

    @Test func usageErrorsExitTwo() throws {
        let noQuery = try CLI.run(["search", "--db", Self.bundledIndex])
        #expect(noQuery.status == 2)
        #expect(noQuery.stderr.split(separator: "\n").count == 1)
        #expect(try CLI.run(["search", "x", "--sort", "random", "--db", Self.bundledIndex]).status == 2)
        #expect(try CLI.run(["search", "x", "--since", "hier", "--db", Self.bundledIndex]).status == 2)
        #expect(try CLI.run(["index", "--field", "nope=x", TestSupport.bundledCorpus, "--db", Self.bundledIndex]).status == 2)
    }

    @Test func missingIndexIsAFailureWithAHint() throws {
        let run = try CLI.run(["search", "x", "--db", "/nonexistent/depeche.sqlite"])
        #expect(run.status == 2)
        #expect(run.stderr == "depeche: no index at /nonexistent/depeche.sqlite: build one with `depeche index PATH... --db /nonexistent/depeche.sqlite`\n")
    }

    @Test func databaseDefaultsToTheEnvironment() throws {
        let run = try CLI.run(["search", "Rosatom", "--format", "ids"], environment: ["DEPECHE_DB": Self.bundledIndex])
        #expect(run.stdout.hasPrefix("001_congo-rosatom-centres-de-donnees"))
    }

    @Test func showPrintsTheWholeDispatch() throws {
        let text = try CLI.run(["show", "015_tchad-ndjamena-inondations", "--db", Self.bundledIndex])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("Inondations à N’Djamena : des milliers de familles déplacées\n\n2022-10-21 · MAP · Société · N’Djamena\n"))
        let json = try CLI.run(["show", "015_tchad-ndjamena-inondations", "--db", Self.bundledIndex, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((object["body"] as? String)?.hasPrefix("N’Djamena, 21 Octobre (MAP) – La montée des eaux") == true)
        let missing = try CLI.run(["show", "nope", "--db", Self.bundledIndex])
        #expect(missing.status == 2)
        #expect(missing.stderr == "depeche: no dispatch with id 'nope' in \(Self.bundledIndex)\n")
    }

    @Test func yearlessPagesAreMarkedInferred() throws {
        let run = try CLI.run(["show", "037_congo-ecole-numerique-sans-annee", "--db", Self.bundledIndex, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(object["date_quality"] as? String == "inferred")
        #expect(object["date"] as? String == "2025-01-12")
    }

    @Test func indexSummarySaysWhatHappened() throws {
        let database = try TestSupport.temporaryFolder() + "/summary.sqlite"
        let first = try CLI.run(["index", TestSupport.bundledCorpus, "--db", database])
        #expect(first.stdout.contains("read 43 files"))
        #expect(first.stdout.contains("43 added, 0 updated, 0 unchanged, 0 duplicates, 2 with an inferred year"))
        let again = try CLI.run(["index", TestSupport.bundledCorpus, "--db", database])
        #expect(again.stdout.contains("0 added, 0 updated, 43 unchanged"))
    }

    @Test func standardInputIsReadAsJSONLines() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/stdin.sqlite"
        let input = folder + "/in.jsonl"
        try "{\"id\": \"s1\", \"titre\": \"Depuis l'entrée standard\", \"contenu\": \"Un texte.\"}\n".write(toFile: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["index", "-", "--db", database]
        process.standardInput = FileHandle(forReadingAtPath: input)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try DispatchIndex(path: database).dispatch(id: "s1")?.title == "Depuis l'entrée standard")
    }

    @Test(.longCase) func killedRebuildLeavesTheOldIndexAnswering() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/live.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database]).status == 0)
        let before = try CLI.run(["search", "Covid-19", "--db", database, "--format", "ids"]).stdout
        // A batch big enough to take a while, then kills at several moments of the rebuild.
        let big = folder + "/big.jsonl"
        let lines = (0..<30_000).map { "{\"id\": \"n\($0)\", \"title\": \"Dépêche \($0) sur le cacao\", \"body\": \"Texte \($0) de la campagne agricole.\"}" }
        try lines.joined(separator: "\n").write(toFile: big, atomically: true, encoding: .utf8)
        for delay in [0.05, 0.3, 0.8] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.executable)
            process.arguments = ["index", big, "--db", database, "--rebuild"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .exit { break }
            let after = try CLI.run(["search", "Covid-19", "--db", database, "--format", "ids"])
            #expect(after.status == 0)
            #expect(after.stdout == before, "after a kill at \(delay) s")
            try assertSound(database)
        }
        // The next rebuild completes and clears what the killed ones left.
        #expect(try CLI.run(["index", big, "--db", database, "--rebuild"]).status == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".rebuild-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(try CLI.run(["search", "cacao", "--db", database, "--format", "json"]).stdout.contains("\"total\":30000"))
    }

    @Test func dryRunShowsMappingAndRecordsAndWritesNothing() throws {
        let database = try TestSupport.temporaryFolder() + "/dry.sqlite"
        let run = try CLI.run(["index", TestSupport.fixture("records.tsv"), "--db", database, "--dry-run"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("records.tsv: 2 records\n"))
        #expect(run.stdout.contains("title ← \"headline\", standfirst ← (none), body ← \"text\", date ← (none), source ← (none), category ← \"category\""))
        #expect(run.stdout.contains("    Le cacao au plus haut\n"))
        #expect(run.stdout.contains("problem: ") && run.stdout.contains("no date column"))
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test func problemsAreListedTwentyAtMostThenCounted() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/bad.jsonl"
        let lines = ["{\"id\": \"ok\", \"title\": \"Bon\", \"body\": \"texte\", \"date\": \"2020-01-01\"}"] + Array(repeating: "{broken", count: 25)
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let run = try CLI.run(["index", file, "--db", folder + "/i.sqlite"])
        #expect(run.status == 0)
        let errors = run.stderr.split(separator: "\n")
        #expect(errors.count == 21)
        #expect(errors[0].hasPrefix("depeche: \(file):2: invalid JSON"))
        #expect(errors[20] == "depeche: … and 5 more, not listed")
        #expect(run.stdout.contains("1 added") && run.stdout.contains("; 25 problems"))
    }

    @Test func aBatchThatStoresNothingFails() throws {
        let folder = try TestSupport.temporaryFolder()
        let run = try CLI.run(["index", folder + "/missing.jsonl", "--db", folder + "/i.sqlite"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("depeche: \(folder)/missing.jsonl: no such file\n"))
    }

    @Test func statsCountTheBundledCorpus() throws {
        let run = try CLI.run(["stats", "--db", Self.bundledIndex, "--format", "json"])
        #expect(run.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(object["total"] as? Int == 43)
        // The Rosatom story and its update are one story.
        #expect(object["stories"] as? Int == 42)
        let largest = try #require(object["largest_stories"] as? [[String: Any]])
        #expect(largest.count == 1 && largest[0]["dispatches"] as? Int == 2)
        #expect((largest[0]["title"] as? String)?.hasPrefix("Congo : Rosatom propose") == true)
        #expect(object["first_date"] as? String == "2019-05-23")
        #expect(object["last_date"] as? String == "2025-02-24")
        #expect(object["inferred_years"] as? Int == 2)
        let sources = (object["sources"] as! [[String: Any]]).map { "\($0["name"]!)=\($0["count"]!)" }
        #expect(sources == ["ACI=11", "APS=7", "ACP=5", "AGP=5", "AIP=5", "ANP=5", "MAP=5"])
        let years = (object["years"] as! [[String: Any]]).map { "\($0["name"]!)=\($0["count"]!)" }
        #expect(years == ["2019=2", "2020=5", "2021=8", "2022=9", "2023=11", "2024=6", "2025=2"])
        #expect((object["months"] as! [[String: Any]]).count == 70)

        let covid = try CLI.run(["stats", "Covid-19", "--db", Self.bundledIndex])
        #expect(covid.stdout.hasPrefix("9 dispatches in 8 stories matching \"Covid-19\", 2020-06-14 to 2023-01-15\n"))
        #expect(covid.stdout.contains("\nYears\n  2020 4 "))
        #expect(covid.stdout.contains("\nLargest stories\n  2 dispatches  Congo : Rosatom propose"))
    }

    @Test("On a terminal, colour unless NO_COLOR", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
    func colourOnATerminalUnlessNoColor() throws {
        let command = "'\(CLI.executable)' search Rosatom --limit 1 --db '\(Self.bundledIndex)'"
        let onTerminal = try CLI.run(["-c", "script -qc \"\(command)\" /dev/null"], executable: "/bin/sh")
        #expect(onTerminal.stdout.contains("\u{1B}[1;33mRosatom\u{1B}[0m"))
        let noColor = try CLI.run(["-c", "script -qc \"\(command)\" /dev/null"], environment: ["NO_COLOR": "1"], executable: "/bin/sh")
        #expect(noColor.stdout.contains("[Rosatom]"))
        #expect(!noColor.stdout.contains("\u{1B}["))
    }
}

