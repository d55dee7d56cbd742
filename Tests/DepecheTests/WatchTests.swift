import Foundation
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
}
