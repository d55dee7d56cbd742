import Foundation
import GRDB
import Testing

/// A dispatch's id identifies the record, never where it was read (#26): exports without
/// an id column, read from several folders, days or pipes, and mapping mistakes.
@Suite("Identity and mapping")
struct IdentityTests {
    static let header = "titre,contenu,date,source\n"

    static func index(_ arguments: [String], input: String? = nil) throws -> CLI.Run {
        try CLI.run(["index"] + arguments, input: input)
    }

    /// Every id the index holds, sorted.
    static func ids(_ database: String) throws -> [String] {
        try DatabaseQueue(path: database).read { try String.fetchAll($0, sql: "SELECT id FROM dispatches ORDER BY id") }
    }

    @Test func twoExportsOfTheSameNameInTwoFoldersKeepEveryDispatch() throws {
        let folder = try TestSupport.temporaryFolder()
        for (day, row) in [("day1", "Cacao en hausse,Le cacao monte.,2020-03-01,APS"), ("day2", "Café en baisse,Le café recule.,2020-03-02,APS")] {
            try FileManager.default.createDirectory(atPath: "\(folder)/\(day)", withIntermediateDirectories: true)
            try (Self.header + row + "\n").write(toFile: "\(folder)/\(day)/news.csv", atomically: true, encoding: .utf8)
        }
        let database = folder + "/i.sqlite"
        let first = try CLI.run(["-c", "cd '\(folder)/day1' && '\(CLI.executable)' index news.csv --db ../i.sqlite"], executable: "/bin/sh")
        let second = try CLI.run(["-c", "cd '\(folder)/day2' && '\(CLI.executable)' index news.csv --db ../i.sqlite"], executable: "/bin/sh")
        #expect(first.stdout.contains("1 added") && second.stdout.contains("1 added, 0 updated"), "\(second.stdout)")
        #expect(try Self.ids(database).count == 2)
        // The same record read from another path is the same dispatch.
        try FileManager.default.createDirectory(atPath: folder + "/copy", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder + "/day1/news.csv", toPath: folder + "/copy/news.csv")
        #expect(try Self.index([folder + "/copy/news.csv", "--db", database]).stdout.contains("0 added, 0 updated, 1 unchanged"))
        #expect(try Self.ids(database).count == 2)
    }

    @Test func twoTablesPipedToStandardInputAreTwoDispatches() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/i.sqlite"
        for (name, row) in [("a.csv", "Cacao en hausse,Le cacao monte.,2020-03-01,APS"), ("b.csv", "Café en baisse,Le café recule.,2020-03-02,APS")] {
            try (Self.header + row + "\n").write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
            #expect(try Self.index(["-", "--db", database], input: "\(folder)/\(name)").stdout.contains("1 added"))
        }
        let ids = try Self.ids(database)
        #expect(ids.count == 2 && ids[0].hasPrefix("2020-03-01-") && ids[1].hasPrefix("2020-03-02-"))
    }

    @Test func anIdReadFromAnotherFileForAnotherRecordKeepsBoth() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/i.sqlite"
        try "id,titre,contenu,date\n1,Cacao en hausse,Le cacao monte.,2020-03-01\n".write(toFile: folder + "/a.csv", atomically: true, encoding: .utf8)
        try "id,titre,contenu,date\n1,Café en baisse,Le café recule.,2020-03-02\n".write(toFile: folder + "/b.csv", atomically: true, encoding: .utf8)
        _ = try Self.index([folder + "/a.csv", "--db", database])
        let second = try Self.index([folder + "/b.csv", "--db", database])
        #expect(second.stdout.contains("1 added, 0 updated"))
        #expect(second.stderr.contains("\(folder)/b.csv:2: id 1 already names another dispatch, read from \(folder)/a.csv; both kept, this one as 1~2020-03-02-"))
        #expect(try Self.ids(database).count == 2)
        #expect(try Self.ids(database).contains("1"))
        // Read again, it is the same dispatch under the same id; a changed record of the
        // same file is an update.
        #expect(try Self.index([folder + "/b.csv", "--db", database, "--refresh"]).stdout.contains("0 added, 0 updated"))
        try "id,titre,contenu,date\n1,Cacao en hausse,Le cacao monte encore.,2020-03-01\n".write(toFile: folder + "/a.csv", atomically: true, encoding: .utf8)
        #expect(try Self.index([folder + "/a.csv", "--db", database]).stdout.contains("0 added, 1 updated"))
    }

    @Test func refreshingFilesIndexedUnderARelativePathChangesNothing() throws {
        let folder = try TestSupport.temporaryFolder()
        try (Self.header + "Cacao en hausse,Le cacao monte.,2020-03-01,APS\n").write(toFile: folder + "/news.csv", atomically: true, encoding: .utf8)
        _ = try CLI.run(["-c", "cd '\(folder)' && '\(CLI.executable)' index news.csv --db i.sqlite"], executable: "/bin/sh")
        let refreshed = try Self.index(["--refresh", "--db", folder + "/i.sqlite"])
        #expect(refreshed.stdout.contains("0 added, 0 updated, 1 unchanged"), "\(refreshed.stdout)")
        let origin = try CLI.run(["search", "cacao", "--db", folder + "/i.sqlite", "--format", "tsv", "--fields", "origin"]).stdout
        #expect(origin.hasSuffix("/news.csv:2\n") && origin.contains("\torigin") == false && origin.contains(folder))
    }

    @Test func aFieldNamingAColumnTheHeaderLacksRefusesTheFile() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/i.sqlite"
        let file = folder + "/drc.csv"
        try "titre,contenu,date\nCacao en hausse,Le cacao monte.,2020-03-01\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try Self.index([file, "--db", database, "--field", "body=texte"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(file):1: --field body=texte: no column texte in this file (columns: titre, contenu, date); file not indexed"))
        let written = FileManager.default.fileExists(atPath: database) ? try Self.ids(database) : []
        #expect(written.isEmpty)
        let dry = try Self.index([file, "--dry-run", "--field", "body=texte"])
        #expect(dry.stdout.contains("problem: \(file):1: --field body=texte: no column texte"))
    }

    @Test func aFieldNamingAKeyTheFirstJSONRecordLacksIsWarnedAbout() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/news.jsonl"
        try TestSupport.write([["titre": "Cacao en hausse", "contenu": "Le cacao monte.", "date": "2020-03-01"]], to: file)
        let run = try Self.index([file, "--db", folder + "/i.sqlite", "--field", "body=texte"])
        #expect(run.stderr.contains("\(file):1: --field body=texte: the first record has no key texte (fields: contenu, date, titre); records without it are indexed without their body"),
                "\(run.stderr)")
    }

    @Test func aTableWithoutABodyColumnIsWarnedAbout() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/titles.csv"
        try "titre,date\nCacao en hausse,2020-03-01\n".write(toFile: file, atomically: true, encoding: .utf8)
        let dry = try Self.index([file, "--dry-run"])
        #expect(dry.stdout.contains("body ← (none)") && dry.stdout.contains("no body column (columns: titre, date); dispatches indexed with their titles only"))
        let run = try Self.index([file, "--db", folder + "/i.sqlite"])
        #expect(run.status == 0 && run.stderr.contains("no body column"))
    }

    @Test func aColumnMayFeedTwoFields() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/links.csv"
        try "titre,contenu,url\nCacao,Le cacao monte.,https://www.actualite.cd/cacao\n".write(toFile: file, atomically: true, encoding: .utf8)
        let dry = try Self.index([file, "--dry-run", "--field", "source=url"])
        #expect(dry.stdout.contains("source ← \"url\"") && dry.stdout.contains("url ← \"url\""), "\(dry.stdout)")
        #expect(dry.stdout.contains("actualite.cd"))
    }

    @Test func aDuplicateIsShownUnderItsOwnIdWithItsOwnMetadata() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/i.sqlite"
        try TestSupport.write([["id": "same-a", "title": "Cacao", "body": "Le même texte.", "date": "2020-01-01", "source": "A"]], to: folder + "/a.jsonl")
        try TestSupport.write([["id": "same-b", "title": "Cacao", "body": "Le même texte.", "date": "2020-02-02", "source": "B"]], to: folder + "/b.jsonl")
        #expect(try Self.index([folder + "/a.jsonl", folder + "/b.jsonl", "--db", database]).stdout.contains("1 duplicate"))
        let shown = try CLI.run(["show", "same-b", "--db", database, "--format", "json"]).stdout
        #expect(shown.contains("\"id\":\"same-b\"") && shown.contains("\"date\":\"2020-02-02\"") && shown.contains("\"source\":\"B\""), "\(shown)")
        #expect(shown.contains("b.jsonl:1"))
    }

    /// The same text stored from source A (`same-a`), then under `same-b` from source B.
    static func duplicatedAcrossSources() throws -> String {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/i.sqlite"
        try TestSupport.write([["id": "same-a", "title": "Cacao", "body": "Le cacao bat un record.", "date": "2020-01-01", "source": "A"],
                               ["id": "other", "title": "Café", "body": "Le café recule.", "date": "2020-01-03", "source": "A"]],
                              to: folder + "/a.jsonl")
        try TestSupport.write([["id": "same-b", "title": "Cacao", "body": "Le cacao bat un record.", "date": "2020-02-02", "source": "B"]], to: folder + "/b.jsonl")
        #expect(try Self.index([folder + "/a.jsonl", folder + "/b.jsonl", "--db", database]).stdout.contains("1 duplicate"))
        return database
    }

    @Test func aDuplicateIsFoundByItsOwnSourceAndShownUnderItsOwnId() throws {
        let database = try Self.duplicatedAcrossSources()
        let throughB = try CLI.run(["search", "cacao", "--source", "b", "--db", database, "--format", "tsv", "--fields", "id,date,source"])
        #expect(throughB.status == 0, "\(throughB.stderr)")
        #expect(throughB.stdout == "id\tdate\tsource\nsame-b\t2020-02-02\tB\n")
        let throughA = try CLI.run(["search", "cacao", "--source", "A", "--db", database, "--format", "tsv", "--fields", "id,source"])
        #expect(throughA.stdout == "id\tsource\nsame-a\tA\n")
        // Without a filter, the first copy stands for the text.
        #expect(try CLI.run(["search", "cacao", "--db", database, "--format", "tsv", "--fields", "id"]).stdout == "id\nsame-a\n")
        // Excluding A still finds the text through its copy from B; excluding both does not.
        #expect(try CLI.run(["search", "cacao -source:A", "--db", database, "--format", "tsv", "--fields", "id"]).stdout == "id\nsame-b\n")
        #expect(try CLI.run(["search", "cacao -source:A -source:B", "--db", database]).status == 1)
        #expect(try CLI.run(["export", "cacao", "--source", "B", "--db", database, "--format", "tsv", "--fields", "id"]).stdout == "id\nsame-b\n")
    }

    @Test func statisticsCountEachIdUnderItsOwnSource() throws {
        let database = try Self.duplicatedAcrossSources()
        let all = try CLI.run(["stats", "--db", database, "--format", "json"]).stdout
        #expect(all.contains("{\"name\":\"A\",\"count\":2}") && all.contains("{\"name\":\"B\",\"count\":1}"), "\(all)")
        let onlyB = try CLI.run(["stats", "--source", "B", "--db", database, "--format", "json"]).stdout
        #expect(onlyB.contains("{\"name\":\"B\",\"count\":1}") && !onlyB.contains("\"name\":\"A\""), "\(onlyB)")
    }
}

/// A full disk is said as such: the index is intact, and rebuilding it is the worst advice.
@Suite("Storage faults")
struct StorageFaultTests {
    @Test func anIndexOnAFullDiskIsNotCalledDamaged() throws {
        let folder = try TestSupport.temporaryFolder()
        let built = folder + "/i.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", built]).status == 0)
        let mountPoint = folder + "/full"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        // A small file system of its own (root only: elsewhere there is nothing to fill safely).
        guard try CLI.run(["-c", "mount -t tmpfs -o size=2m tmpfs '\(mountPoint)'"], executable: "/bin/sh").status == 0 else { return }
        defer { _ = try? CLI.run(["-c", "umount '\(mountPoint)'"], executable: "/bin/sh") }
        try FileManager.default.copyItem(atPath: built, toPath: mountPoint + "/i.sqlite")
        _ = try CLI.run(["-c", "dd if=/dev/zero of='\(mountPoint)/fill' bs=4k 2>/dev/null"], executable: "/bin/sh")
        let search = try CLI.run(["search", "cacao", "--db", mountPoint + "/i.sqlite"])
        #expect(search.status == 2)
        #expect(search.stderr.contains("the disk is full") && !search.stderr.contains("--rebuild"), "\(search.stderr)")
    }
}
