import Foundation
import GRDB
import Testing

/// `depeche watch`: saved searches in the index that report what is new to it.
@Suite("Saved searches")
struct WatchTests {
    func dispatch(_ id: String, _ title: String, _ body: String, _ date: String) -> [String: Any] {
        ["id": id, "title": title, "body": body, "date": date]
    }

    @Test func aRunShowsOnlyWhatTheIndexGainedSinceThePreviousRun() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/index.sqlite"
        try TestSupport.write([dispatch("a", "Rosatom au Congo", "Rosatom construit.", "2020-01-01")], to: folder + "/one.jsonl")
        #expect(try CLI.run(["index", folder + "/one.jsonl", "--db", database]).status == 0)
        let added = try CLI.run(["watch", "add", "ros", "Rosatom", "--db", database])
        #expect(added.status == 0)
        // The first run shows the current top hits and marks them seen.
        let first = try CLI.run(["watch", "run", "--db", database, "--format", "csv", "--fields", "id"])
        #expect(first.status == 0 && first.stdout == "watch,change,id\r\nros,new,a\r\n")
        // An older dispatch indexed later is new: "new" is new to the index, not by date.
        try TestSupport.write([dispatch("b", "Rosatom au Mali", "Rosatom encore.", "2019-01-01")], to: folder + "/two.jsonl")
        #expect(try CLI.run(["index", folder + "/two.jsonl", "--db", database]).status == 0)
        let second = try CLI.run(["watch", "run", "ros", "--db", database, "--format", "ids"])
        #expect(second.status == 0 && second.stdout == "b\n")
        // Nothing new: exit 1. Re-indexing unchanged files gives nothing new either.
        let third = try CLI.run(["watch", "run", "--db", database])
        #expect(third.status == 1 && third.stdout == "ros (\"Rosatom\"): 0 new, 0 updated\n")
        #expect(try CLI.run(["index", folder + "/one.jsonl", folder + "/two.jsonl", "--db", database, "--refresh"]).status == 0)
        #expect(try CLI.run(["watch", "run", "--db", database]).status == 1)
    }

    @Test func anUpdatedDispatchIsReportedOnceAsUpdatedAndARebuildKeepsTheSearches() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/index.sqlite"
        let file = folder + "/one.jsonl"
        try TestSupport.write([dispatch("a", "Rosatom au Congo", "Rosatom construit.", "2020-01-01")], to: file)
        _ = try CLI.run(["index", file, "--db", database])
        _ = try CLI.run(["watch", "add", "ros", "Rosatom", "--db", database])
        _ = try CLI.run(["watch", "run", "--db", database])
        try TestSupport.write([dispatch("a", "Rosatom au Congo", "Rosatom construit une centrale.", "2020-01-01")], to: file)
        _ = try CLI.run(["index", file, "--db", database])
        let updated = try CLI.run(["watch", "run", "--db", database, "--format", "tsv", "--fields", "id"])
        #expect(updated.stdout == "watch\tchange\tid\nros\tupdated\ta\n")
        #expect(try CLI.run(["watch", "run", "--db", database]).status == 1)
        // A rebuild keeps the saved searches and does not make the index "new" to them.
        #expect(try CLI.run(["index", file, "--db", database, "--rebuild"]).status == 0)
        #expect(try CLI.run(["watch", "list", "--db", database]).stdout.hasPrefix("ros\t\"Rosatom\"\tseen up to index run"))
        #expect(try CLI.run(["watch", "run", "--db", database]).status == 1)
    }

    @Test func savedSearchesAreNamedOnceAndRemovedByName() throws {
        let database = CommandLineTests.bundledIndex
        let copy = try TestSupport.temporaryFolder() + "/copy.sqlite"
        try FileManager.default.copyItem(atPath: database, toPath: copy)
        #expect(try CLI.run(["watch", "add", "c", "cacao", "--source", "ACI", "--since", "2020", "--db", copy]).status == 0)
        let twice = try CLI.run(["watch", "add", "c", "cafe", "--db", copy])
        #expect(twice.status == 2 && twice.stderr == "depeche: a saved search is named c already (depeche watch remove c first)\n")
        #expect(try CLI.run(["watch", "add", "bad", "(etat", "--db", copy]).status == 2)
        #expect(try CLI.run(["watch", "list", "--db", copy]).stdout == "c\t\"cacao\"\tsince 2020, source ACI\tnever run\n")
        #expect(try CLI.run(["watch", "run", "nope", "--db", copy]).status == 2)
        #expect(try CLI.run(["watch", "remove", "c", "--db", copy]).status == 0)
        #expect(try CLI.run(["watch", "remove", "c", "--db", copy]).status == 2)
        #expect(try CLI.run(["watch", "list", "--db", copy]).stdout.isEmpty)
    }

    /// `count` dispatches about Rosatom, each of distinct words (no story groups them).
    static func rosatomNews(_ prefix: String, _ count: Int, body words: Int = 12) -> [[String: Any]] {
        (0..<count).map { number in
            let filler = (0..<words).map { "mot\(prefix)\(number)x\($0)" }.joined(separator: " ")
            return ["id": "\(prefix)\(number)", "title": "Rosatom \(prefix) \(number)", "body": "Rosatom \(filler).",
                    "date": "2020-01-\(String(format: "%02d", number % 28 + 1))"]
        }
    }

    /// An index of `base` dispatches with the saved search `ros` run once (its news seen).
    static func watchedIndex(base: Int = 3) throws -> (folder: String, database: String) {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/index.sqlite"
        try TestSupport.write(rosatomNews("a", base), to: folder + "/base.jsonl")
        #expect(try CLI.run(["index", folder + "/base.jsonl", "--db", database]).status == 0)
        #expect(try CLI.run(["watch", "add", "ros", "Rosatom", "--db", database]).status == 0)
        #expect(try CLI.run(["watch", "run", "--db", database]).status == 0)
        return (folder, database)
    }

    /// The ids every run printed, one per line.
    static func ids(_ run: CLI.Run) -> [String] { run.stdout.split(separator: "\n").map(String.init) }

    @Test func newsPastTheLimitIsCountedAndWaitsForTheNextRun() throws {
        let (folder, database) = try Self.watchedIndex()
        try TestSupport.write(Self.rosatomNews("b", 7), to: folder + "/news.jsonl")
        _ = try CLI.run(["index", folder + "/news.jsonl", "--db", database])
        let first = try CLI.run(["watch", "run", "--db", database, "--limit", "3"])
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("ros (\"Rosatom\"): 7 new (3 shown), 0 updated\n"))
        #expect(first.stdout.contains("4 more hits wait for the next run (depeche watch run ros --all shows them all)"))
        let second = try CLI.run(["watch", "run", "--db", database, "--limit", "3", "--format", "ids"])
        #expect(second.stderr.contains("1 more hit wait"))
        let third = try CLI.run(["watch", "run", "--db", database, "--all", "--format", "ids"])
        #expect(Set(Self.ids(second) + Self.ids(third)).count == 4 && Self.ids(second).count == 3 && Self.ids(third).count == 1)
        #expect(try CLI.run(["watch", "run", "--db", database]).status == 1)
    }

    @Test func aDispatchShownAsNewAndChangedSinceIsShownAgainAsUpdated() throws {
        let (folder, database) = try Self.watchedIndex()
        var news = Self.rosatomNews("b", 4)
        try TestSupport.write(news, to: folder + "/news.jsonl")
        _ = try CLI.run(["index", folder + "/news.jsonl", "--db", database])
        let shown = Self.ids(try CLI.run(["watch", "run", "--db", database, "--limit", "2", "--format", "ids"]))
        #expect(shown.count == 2)
        let changed = news.firstIndex { $0["id"] as? String == shown[0] }!
        news[changed]["body"] = "Rosatom a changé de texte."
        try TestSupport.write(news, to: folder + "/news.jsonl")
        _ = try CLI.run(["index", folder + "/news.jsonl", "--db", database])
        let next = try CLI.run(["watch", "run", "--db", database, "--all", "--format", "csv", "--fields", "id"])
        let rows = Set(next.stdout.split(separator: "\r\n").dropFirst().map(String.init))
        #expect(rows.contains("ros,updated,\(shown[0])") && !rows.contains { $0.hasSuffix(",\(shown[1])") } && rows.count == 3)
    }

    @Test func aRunWhoseOutputFailsMarksNothingSeen() throws {
        let (folder, database) = try Self.watchedIndex()
        try TestSupport.write(Self.rosatomNews("b", 400, body: 40), to: folder + "/news.jsonl")
        _ = try CLI.run(["index", folder + "/news.jsonl", "--db", database])
        let run = "\(CLI.executable) watch run --db '\(database)' --all --format csv --fields id,body"
        // A full disk, a closed output, a reader that goes away after one line.
        for faulted in ["\(run) > /dev/full", "\(run) >&-", "\(run) | head -1"] {
            let result = try CLI.run(["-c", faulted], executable: "/bin/sh")
            #expect(!result.stdout.contains("b399") || result.stdout.count < 200, "\(faulted): \(result.stderr)")
        }
        // Killed while its output blocks (a pipe nobody reads).
        let blocked = Process()
        blocked.executableURL = URL(fileURLWithPath: CLI.executable)
        blocked.arguments = ["watch", "run", "--db", database, "--all", "--format", "csv", "--fields", "id,body"]
        blocked.standardOutput = Pipe()
        blocked.standardError = FileHandle.nullDevice
        try blocked.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(blocked.processIdentifier, SIGKILL)
        blocked.waitUntilExit()
        // Every dispatch is still news, once.
        let delivered = Self.ids(try CLI.run(["watch", "run", "--db", database, "--all", "--format", "ids"]))
        #expect(delivered.count == 400 && Set(delivered).count == 400)
        #expect(try CLI.run(["watch", "run", "--db", database, "--format", "ids"]).stdout.isEmpty)
    }

    @Test(.longCase) func aRunKilledAtAnyMomentLosesNothing() throws {
        let (folder, database) = try Self.watchedIndex()
        try TestSupport.write(Self.rosatomNews("b", 400, body: 40), to: folder + "/news.jsonl")
        _ = try CLI.run(["index", folder + "/news.jsonl", "--db", database])
        // Killed before it opens the index, while it searches, while it writes, and after
        // it recorded what it delivered: whatever a killed run did not finish delivering
        // is still news to the next one.
        var deliveredByKilledRuns: Set<String> = []
        for delay in [0.0, 0.05, 0.15, 0.3, 0.6, 1.2] {
            let output = folder + "/killed-\(delay).ids"
            let killed = Process()
            killed.executableURL = URL(fileURLWithPath: "/bin/sh")
            killed.arguments = ["-c", "exec '\(CLI.executable)' watch run --db '\(database)' --all --format ids > '\(output)'"]
            try killed.run()
            Thread.sleep(forTimeInterval: delay)
            kill(killed.processIdentifier, SIGKILL)
            killed.waitUntilExit()
            let written = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            // A line cut by the kill is not a delivered id.
            deliveredByKilledRuns.formUnion(written.split(separator: "\n", omittingEmptySubsequences: true)
                .filter { written.contains($0 + "\n") }.map(String.init))
        }
        let rest = Self.ids(try CLI.run(["watch", "run", "--db", database, "--all", "--format", "ids"]))
        #expect(Set(rest).count == rest.count)
        #expect(deliveredByKilledRuns.union(rest) == Set((0..<400).map { "b\($0)" }))
        #expect(try CLI.run(["watch", "run", "--db", database, "--format", "ids"]).stdout.isEmpty)
    }

    @Test(.longCase) func aWatchRunBetweenTwoCommitsOfAnIndexRunMissesNothing() throws {
        let (_, database) = try Self.watchedIndex()
        // An index run reading standard input commits every 2,000 records, and when its
        // input pauses: it is held between two commits while the watch runs.
        let records = Self.rosatomNews("c", 7_000, body: 4)
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) + "\n" }
        let indexing = Process()
        indexing.executableURL = URL(fileURLWithPath: CLI.executable)
        indexing.arguments = ["index", "-", "--db", database]
        let input = Pipe()
        indexing.standardInput = input
        indexing.standardOutput = FileHandle.nullDevice
        indexing.standardError = FileHandle.nullDevice
        try indexing.run()
        input.fileHandleForWriting.write(Data(lines[..<6_000].joined().utf8))
        var during: [String] = []
        for _ in 0..<600 where during.isEmpty {
            Thread.sleep(forTimeInterval: 0.1)
            during = Self.ids(try CLI.run(["watch", "run", "--db", database, "--all", "--format", "ids"]))
        }
        input.fileHandleForWriting.write(Data(lines[6_000...].joined().utf8))
        try input.fileHandleForWriting.close()
        indexing.waitUntilExit()
        #expect(indexing.terminationStatus == 0)
        let after = Self.ids(try CLI.run(["watch", "run", "--db", database, "--all", "--format", "ids"]))
        #expect(!during.isEmpty && during.count < 7_000, "the watch run ran between two commits: \(during.count)")
        #expect(Set(during + after).count == 7_000 && during.count + after.count == 7_000)
    }

    @Test(.longCase) func aSavedSearchWaitsWhileARebuildIsPutInPlace() throws {
        let (_, database) = try Self.watchedIndex()
        // The mark a rebuild leaves while it copies the saved searches and swaps its file
        // in, held by a process that lives for a second.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sleep")
        holder.arguments = ["1.5"]
        try holder.run()
        let queue = try DatabaseQueue(path: database)
        try queue.write { try $0.execute(sql: "INSERT INTO meta(key, value) VALUES ('rebuild_swap', ?)", arguments: [String(holder.processIdentifier)]) }
        try queue.close()
        let started = Date()
        #expect(try CLI.run(["watch", "add", "late", "Congo", "--db", database]).status == 0)
        #expect(Date().timeIntervalSince(started) > 1.0, "the write waited for the swap")
        holder.waitUntilExit()
        #expect(try CLI.run(["watch", "list", "--db", database]).stdout.contains("late\t"))
    }

    @Test(.longCase) func searchesSavedDuringARebuildAreKept() throws {
        let (folder, database) = try Self.watchedIndex()
        try TestSupport.write(Self.rosatomNews("d", 3_000, body: 30), to: folder + "/big.jsonl")
        let rebuild = Process()
        rebuild.executableURL = URL(fileURLWithPath: CLI.executable)
        rebuild.arguments = ["index", folder + "/base.jsonl", folder + "/big.jsonl", "--db", database, "--rebuild"]
        rebuild.standardOutput = FileHandle.nullDevice
        rebuild.standardError = FileHandle.nullDevice
        try rebuild.run()
        var saved: [String] = []
        while rebuild.isRunning {
            let name = "s\(saved.count)"
            if try CLI.run(["watch", "add", name, "Congo", "--db", database]).status == 0 { saved.append(name) }
        }
        #expect(rebuild.terminationStatus == 0 && !saved.isEmpty)
        let listed = try CLI.run(["watch", "list", "--db", database]).stdout
        for name in saved { #expect(listed.contains("\(name)\t"), "\(name) printed saved and was lost") }
    }

    @Test func hintsQuoteNamesThatAShellWouldSplit() throws {
        let (_, database) = try Self.watchedIndex()
        let added = try CLI.run(["watch", "add", "mon veille", "Rosatom", "--db", database])
        #expect(added.stderr == "depeche: saved mon veille: \"Rosatom\"; `depeche watch run 'mon veille'` shows its hits\n")
        let twice = try CLI.run(["watch", "add", "mon veille", "Rosatom", "--db", database])
        #expect(twice.stderr.contains("(depeche watch remove 'mon veille' first)"))
        #expect(try CLI.run(["watch", "run", "mon veille", "--db", database]).status == 0)
    }

    @Test func helpTextsHaveNoStrayBackslashes() throws {
        for command in [["help", "watch"], ["help", "watch", "run"], ["help", "batch"]] {
            let help = try CLI.run(command)
            #expect(help.status == 0 && !help.stdout.contains("\\\n") && help.stdout.contains("OVERVIEW"), "\(command)")
        }
    }
}
