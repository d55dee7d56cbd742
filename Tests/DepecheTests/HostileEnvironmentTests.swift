import Foundation
import Testing
@testable import DepecheModel
@testable import DepecheIngest
@testable import DepecheIndex
@testable import DepecheIndexing
@testable import DepecheSearch

/// Runs a bash line with `$D` set to the depeche executable.
private func shell(_ line: String) throws -> CLI.Run {
    try CLI.run(["-c", line], environment: ["D": CLI.executable], executable: "/bin/bash")
}

@Suite("Bounds: outputs that close, fill or break", .serialized)
struct ClosedOutputTests {
    static let database = CommandLineTests.bundledIndex

    @Test func aClosedOrFullStandardOutputIsOneLineNotACrash() throws {
        for (redirect, reason) in [(">&-", "it is closed"), ("> /dev/full", "the disk is full")] {
            for command in ["search congo", "show 001_congo-rosatom-centres-de-donnees", "stats"] {
                let run = try shell("\"$D\" \(command) --db '\(Self.database)' \(redirect)")
                #expect(run.status == 2, "\(command) \(redirect): \(run.status)")
                #expect(run.stderr == "depeche: cannot write standard output: \(reason)\n", "\(command) \(redirect): \(run.stderr)")
            }
        }
    }

    @Test func aBrokenPipeWithSIGPIPEIgnoredEndsQuietly() throws {
        // Far more than a pipe holds, so that the reader leaves while depeche writes.
        let database = try TestSupport.index(records: (0..<3_000).map {
            ["id": "p\($0)", "title": "Dépêche \($0) sur le cacao", "body": "Texte \($0) sur la campagne du cacao.", "date": "2020-01-01"]
        })
        for format in ["table", "jsonl"] {
            let run = try shell("trap '' PIPE; \"$D\" search cacao --db '\(database)' --limit 3000 --format \(format) | head -c 1 > /dev/null; echo \"${PIPESTATUS[0]}\"")
            #expect(run.stdout == "0\n", "\(format): \(run.stdout)")
            #expect(run.stderr.isEmpty, "\(format): \(run.stderr)")
        }
    }

    @Test func aClosedStandardErrorNeverLosesTheBatch() throws {
        let folder = try TestSupport.temporaryFolder()
        // The fixture's bad lines make warnings, the first of which crashed the run.
        let run = try shell("\"$D\" index '\(TestSupport.fixture("records.jsonl"))' '\(TestSupport.bundledCorpus)' --db '\(folder)/i.sqlite' 2>&-")
        #expect(run.status == 0, "\(run.stdout)")
        #expect(try DispatchIndex(path: folder + "/i.sqlite").count() > 42)
    }

    @Test func exportToAFullDiskOrAMissingFolderIsOneClearLine() throws {
        let full = try CLI.run(["export", "congo", "--db", Self.database, "-o", "/dev/full"])
        #expect(full.status == 2)
        #expect(full.stderr == "depeche: cannot write /dev/full: the disk is full\n")
        let missing = try CLI.run(["export", "congo", "--db", Self.database, "-o", "/nonexistent-depeche/hits.csv"])
        #expect(missing.stderr == "depeche: cannot write /nonexistent-depeche/hits.csv: no folder /nonexistent-depeche\n")
    }
}

@Suite("Bounds: numbers and dates on the command line")
struct NumericOptionTests {
    @Test func hugeOffsetsAndLimitsAreRefusedWithTheirRange() throws {
        let database = CommandLineTests.bundledIndex
        for (arguments, message) in [
            (["--limit", "1", "--offset", "9223372036854775807"], "--offset must be between 0 and 1000000000"),
            (["--limit", "9223372036854775807", "--offset", "1"], "--limit must be between 0 and 1000000 (export writes every hit)"),
        ] {
            let run = try CLI.run(["search", "congo", "--db", database] + arguments)
            #expect(run.status == 2)
            #expect(run.stderr == "depeche: \(message)\n", "\(run.stderr)")
        }
        #expect(try CLI.run(["search", "congo", "--db", database, "--offset", "1000000000", "--format", "ids"]).stdout.isEmpty)
    }

    @Test func theLibraryNeverOverflowsOnOffsetsAndLimits() throws {
        var options = SearchOptions()
        options.offset = Int.max
        options.limit = Int.max
        let searcher = Searcher(index: try DispatchIndex(path: CommandLineTests.bundledIndex, readOnly: true))
        #expect(try searcher.search("congo", options: options).hits.isEmpty)
        options.offset = 2
        #expect(try searcher.search("congo", options: options).hits.count == 9)
        #expect(Page.adding(Int.max, 1) == Int.max)
    }

    @Test func theLastMonthOfYear9999IsADateAndAnOutOfRangeYearIsNot() throws {
        #expect(try CLI.run(["search", "congo", "--db", CommandLineTests.bundledIndex, "--until", "9999-12", "--format", "ids"]).status == 0)
        #expect(FrenchDate.parse("1er août 99999999999999999999") == nil)
        #expect(FrenchDate.parse("1er août 2019") == .full(Day(year: 2019, month: 8, day: 1)!))
        #expect(FrenchDate.parse("9 Décembre") == .dayAndMonth(day: 9, month: 12))
    }
}

@Suite("Bounds: files that never end, loop or mislead", .serialized)
struct HostileWalkTests {
    @Test(.timeLimit(.minutes(1)))
    func aFIFOInAFolderIsSkippedAndNamedAndOneNamedDirectlyIsReadLikeStandardInput() throws {
        let folder = try TestSupport.temporaryFolder()
        let inbox = folder + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        #expect(mkfifo(inbox + "/pipe.jsonl", 0o644) == 0)
        try TestSupport.write([["id": "ok", "title": "Bon", "body": "texte", "date": "2020-01-01"]], to: inbox + "/good.jsonl")
        let report = try IndexUpdater.run(paths: [inbox], databasePath: folder + "/i.sqlite", options: IndexRunOptions())
        #expect(report.added == 1)
        #expect(report.problems.map(\.description) == ["\(inbox)/pipe.jsonl: not a regular file (a FIFO, socket or device); skipped"])
        // Named directly, as process substitution names its pipe: read, format sniffed.
        let run = try shell("\"$D\" index <(printf '{\"id\": \"p\", \"title\": \"Tuyau\", \"body\": \"lu\"}\\n') --db '\(folder)/i.sqlite'")
        #expect(run.status == 0 || run.stderr.contains("no date field"), "\(run.stderr)")
        #expect(try DispatchIndex(path: folder + "/i.sqlite").dispatch(id: "p")?.title == "Tuyau")
    }

    @Test(.timeLimit(.minutes(1)))
    func relativeLinkLoopsAreWalkedOnceByInode() throws {
        let folder = try TestSupport.temporaryFolder()
        let root = folder + "/L"
        try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/a/b/up", withDestinationPath: "../..")
        try FileManager.default.createSymbolicLink(atPath: root + "/a/self", withDestinationPath: "../a")
        try FileManager.default.createSymbolicLink(atPath: root + "/a/b/parent", withDestinationPath: "..")
        try TestSupport.write([["id": "one", "title": "Un", "body": "texte", "date": "2020-01-01"]], to: root + "/a/one.jsonl")
        try TestSupport.write([["id": "two", "title": "Deux", "body": "texte", "date": "2020-01-01"]], to: root + "/a/b/two.jsonl")
        try FileManager.default.createSymbolicLink(atPath: root + "/a/b/again.jsonl", withDestinationPath: "../one.jsonl")
        let files = try Ingestor().files(for: [root, root + "/a/one.jsonl"], problem: { _ in })
        // Each real file once, under the first path the sorted walk meets (a/b/again.jsonl
        // comes before a/one.jsonl); the file named again is not read twice either.
        #expect(files.map { ($0 as NSString).lastPathComponent }.sorted() == ["again.jsonl", "two.jsonl"])
    }

    @Test func aJSONLinesFileOfGarbageIsGivenUpAndProblemsPerFileAreBounded() throws {
        let folder = try TestSupport.temporaryFolder()
        try String(repeating: "pas du json\n", count: 5_000).write(toFile: folder + "/garbage.jsonl", atomically: true, encoding: .utf8)
        // Valid JSON first, then thousands of bad lines: read to the end, problems counted.
        let good = "{\"id\": \"ok\", \"title\": \"Bon\", \"body\": \"texte\", \"date\": \"2020-01-01\"}\n"
        try (good + String(repeating: "{cassé\n", count: 3_000)).write(toFile: folder + "/late.jsonl", atomically: true, encoding: .utf8)
        let garbage = try IndexUpdater.run(paths: [folder + "/garbage.jsonl"], databasePath: folder + "/i.sqlite", options: IndexRunOptions())
        #expect(garbage.problems.last?.description == "\(folder)/garbage.jsonl: not JSON Lines: its first 1000 lines hold no JSON object; the rest of the file was not read")
        #expect(garbage.problemCount == 1_000 && garbage.failedFiles == 1)
        var last: IngestProblem?
        let late = try IndexUpdater.run(paths: [folder + "/late.jsonl"], databasePath: folder + "/i.sqlite", options: IndexRunOptions(),
                                        problem: { last = $0 })
        #expect(late.problems.filter { $0.message.hasPrefix("invalid JSON") }.count == ParseThread.problemsPerFile)
        #expect(late.problemCount == ParseThread.problemsPerFile + 1)
        #expect(last?.description == "\(folder)/late.jsonl: 2000 more problems in this file, not listed")
        #expect(late.added == 1 && late.failedFiles == 0)
    }

    @Test func utf16FilesSayHowToConvertThem() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/utf16.txt"
        _ = FileManager.default.createFile(atPath: file, contents: "Titre\n\nTexte\n".data(using: .utf16))
        let report = try IndexUpdater.run(paths: [file], databasePath: folder + "/i.sqlite", options: IndexRunOptions())
        #expect(report.problems.map(\.description) == ["\(file): UTF-16 text, which depeche does not read: convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8)"])
    }

    @Test func anIdWithALineBreakIsStoredOnOneLine() throws {
        let folder = try TestSupport.temporaryFolder()
        try "{\"id\": \"a\\nb\", \"title\": \"Titre\", \"body\": \"corps unique\", \"date\": \"2020-01-01\"}\n".write(toFile: folder + "/r.jsonl", atomically: true, encoding: .utf8)
        let report = try IndexUpdater.run(paths: [folder + "/r.jsonl"], databasePath: folder + "/i.sqlite", options: IndexRunOptions())
        #expect(report.problems.map(\.description) == ["\(folder)/r.jsonl:1: id with a line break or control character; stored as 'a b'"])
        #expect(try CLI.run(["search", "unique", "--db", folder + "/i.sqlite", "--format", "ids"]).stdout == "a b\n")
    }
}

@Suite("Bounds: untrusted text never reaches a terminal raw")
struct TerminalEscapeTests {
    @Test func escapeSequencesInAnOlderIndexAreNotPrinted() throws {
        let database = try TestSupport.index(records: [["id": "e", "title": "Titre", "body": "Le texte du piège", "date": "2020-01-01"]])
        // An index made before ingest removed control characters may hold them.
        try DispatchIndex(path: database).queue.write { db in
            try db.execute(sql: "UPDATE dispatches SET title = 'Titre \u{1B}]0;pwned\u{07} fin', source = 'A\u{1B}[2J', city = 'V\u{9B}31m'")
        }
        for arguments in [["search", "piège", "--color", "always"], ["search", "piège", "--color", "never"], ["show", "e"]] {
            let run = try CLI.run(arguments + ["--db", database])
            #expect(run.status == 0)
            #expect(!run.stdout.contains("]0;pwned\u{07}") && !run.stdout.contains("\u{1B}]") && !run.stdout.contains("\u{1B}[2J"), "\(arguments)")
            #expect(run.stdout.contains("Titre ]0;pwned fin"), "\(arguments): \(run.stdout.debugDescription)")
        }
    }
}

@Suite("Bounds: a search answers within its time budget")
struct TimeBudgetTests {
    static let database = try! TestSupport.index(records: (0..<3_000).map {
        ["id": "b\($0)", "title": "Dépêche \($0) sur le cacao et la pluie", "body": "Texte \($0) : la campagne du cacao attend la pluie.",
         "date": "2020-0\($0 % 9 + 1)-1\($0 % 10)"]
    })

    @Test func aSpentBudgetGivesAPartialAnswerSaidAsSuch() throws {
        let searcher = Searcher(index: try DispatchIndex(path: Self.database, readOnly: true))
        var options = SearchOptions()
        options.timeBudget = 0
        let stopped = try searcher.search("cacao pluie", options: options)
        #expect(stopped.partial)
        options.timeBudget = 60
        let full = try searcher.search("cacao pluie", options: options)
        #expect(!full.partial && full.total == 3_000 && full.hits.count == 10)
        // The connection is left as it was: the next search, without a budget, is whole.
        #expect(try !searcher.search("cacao").partial)
    }

    @Test func theCommandLineSaysASearchWasCutShort() throws {
        let json = try CLI.run(["search", "cacao pluie", "--db", Self.database, "--format", "json", "--timeout", "0.000001"])
        #expect(json.status == (json.stdout.contains("\"id\"") ? 0 : 1))
        #expect(json.stdout.hasSuffix("],\"partial\":true}\n"), "\(json.stdout)")
        #expect(json.stderr == "depeche: the search stopped after 1e-06 s (--timeout): these are the hits found by then, the total may be short\n")
        let table = try CLI.run(["search", "cacao pluie", "--db", Self.database, "--timeout", "0.000001"])
        #expect(table.stdout.contains("\nthe search stopped after 1e-06 s (--timeout)"), "\(table.stdout)")
        let whole = try CLI.run(["search", "cacao pluie", "--db", Self.database, "--format", "json"])
        #expect(whole.stdout.hasSuffix("],\"partial\":false}\n"))
        #expect(try CLI.run(["search", "cacao", "--db", Self.database, "--timeout", "-1"]).status == 2)
    }
}

@Suite("Bounds: generated option values")
struct HostileOptionTests {
    static let values = ["-1", "0", "1", "999999999999999999999", "9223372036854775807", "-9223372036854775808", "1e308", "nan", "inf",
                         "", " ", "2020-13-01", "2020-02-30", "9999-12", "0000-01-01", "10000-01-01", "20", "abc", "é", "\u{1}", "-", "1,5"]
    static let options = ["--limit", "--offset", "--half-life", "--recency-floor", "--since", "--until", "--now", "--source",
                          "--category", "--sort", "--format", "--highlight", "--timeout"]

    /// The test-suite share of scripts/hostile_queries.py (which runs 1,000 on the real corpus).
    @Test func generatedOptionValuesKeepTheExitContractWithOneLine() throws {
        var generator = SeededGenerator(state: 31)
        for _ in 0..<80 {
            let arguments = [Self.options.randomElement(using: &generator)!, Self.values.randomElement(using: &generator)!]
            let command = ["search", "export", "stats"].randomElement(using: &generator)!
            let run = try CLI.run([command, "cacao", "--db", CommandLineTests.bundledIndex] + arguments)
            #expect([0, 1, 2].contains(run.status), "\(command) \(arguments): \(run.status)")
            #expect(run.stderr.isEmpty || (run.stderr.hasPrefix("depeche: ") && run.stderr.split(separator: "\n").count == 1),
                    "\(command) \(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Fatal error"))
        }
    }
}
