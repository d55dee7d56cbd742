import Foundation
import GRDB
import Testing

/// Nothing from an index or a file reaches a terminal unescaped, saved-search rows of a
/// foreign index are checked, and every writing command upgrades an old index the same
/// way (#27 items 11–13).
@Suite("Terminals and untrusted names")
struct UntrustedInputTests {
    /// What a hostile string would do to a terminal: set its title.
    static let escape = "\u{1B}]2;PWNED\u{07}"

    static func index() throws -> (folder: String, database: String) {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/index.sqlite"
        try TestSupport.write([["id": "a", "title": "Cacao en hausse", "body": "Le cacao monte.", "date": "2020-01-01"]], to: folder + "/a.jsonl")
        #expect(try CLI.run(["index", folder + "/a.jsonl", "--db", database]).status == 0)
        return (folder, database)
    }

    @Test func aSavedSearchNameWithControlCharactersOrNoneIsRefused() throws {
        let (_, database) = try Self.index()
        for name in ["evil\(Self.escape)", "deux\nlignes", "  ", ""] {
            let run = try CLI.run(["watch", "add", name, "cacao", "--db", database])
            #expect(run.status == 2, "\(name)")
            #expect(!run.stderr.contains("\u{1B}") && run.stderr.hasPrefix("depeche: "), "\(run.stderr)")
        }
        #expect(try CLI.run(["watch", "list", "--db", database]).stdout.isEmpty)
    }

    @Test func savedSearchRowsThatAreNoneAreSaidByNameAndSkipped() throws {
        let (_, database) = try Self.index()
        #expect(try CLI.run(["watch", "add", "good", "cacao", "--db", database]).status == 0)
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "INSERT INTO saved_searches(name, query, options) VALUES ('broken', 'cacao', '{\"since\": 3')")
            try db.execute(sql: "INSERT INTO saved_searches(name, query, options) VALUES (?, 'cacao', '{}')", arguments: ["two\nlines\(Self.escape)"])
        }
        let list = try CLI.run(["watch", "list", "--db", database])
        #expect(list.status == 2)
        #expect(list.stdout.hasPrefix("good\t\"cacao\""))
        #expect(list.stderr.contains("depeche: saved search broken: its options cannot be read (not the JSON depeche writes); skipped (depeche watch remove broken)"))
        #expect(list.stderr.contains("a name cannot hold line breaks, tabs or control characters") && !list.stderr.contains("\u{1B}"))
        let run = try CLI.run(["watch", "run", "--db", database, "--format", "ids"])
        #expect(run.status == 2 && run.stdout == "a\n", "\(run.stderr)")
        #expect(try CLI.run(["watch", "remove", "broken", "--db", database]).status == 0)
    }

    @Test func listFormatsCarryNoEscapeSequenceFromTheIndex() throws {
        let (_, database) = try Self.index()
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "UPDATE dispatches SET title = ?, source = ?", arguments: ["Cacao \(Self.escape)en hausse", "APS\(Self.escape)"])
        }
        let table = try CLI.run(["search", "cacao", "--db", database, "--color", "never"])
        #expect(table.status == 0 && !table.stdout.contains("\u{1B}"))
        for format in ["csv", "tsv", "md", "jsonl"] {
            let run = try CLI.run(["search", "cacao", "--db", database, "--format", format, "--fields", "id,title,source,origin"])
            #expect(run.status == 0 && run.stdout.contains("Cacao") && !run.stdout.contains("\u{1B}"), "\(format): \(run.stdout)")
        }
        let export = try CLI.run(["export", "cacao", "--db", database, "--format", "csv"])
        #expect(export.status == 0 && !export.stdout.contains("\u{1B}"))
        let batch = try CLI.run(["-c", "echo cacao | '\(CLI.executable)' batch - --db '\(database)' --format md"], executable: "/bin/sh")
        #expect(batch.status == 0 && !batch.stdout.contains("\u{1B}") && !batch.stderr.contains("\u{1B}"))
    }

    @Test func aFileNameWithAnEscapeSequenceReachesNoTerminal() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/evil\(Self.escape).jsonl"
        try ("{\"id\": \"a\", \"title\": \"Cacao\", \"body\": \"Le cacao monte.\"}\nnot json\n").write(toFile: file, atomically: true, encoding: .utf8)
        let run = try CLI.run(["index", file, "--db", folder + "/index.sqlite"])
        #expect(run.stderr.contains("evil]2;PWNED.jsonl:2") && !run.stderr.contains("\u{1B}") && !run.stdout.contains("\u{1B}"), "\(run.stderr)")
        let listed = try CLI.run(["search", "cacao", "--db", folder + "/index.sqlite", "--format", "csv", "--fields", "id,origin"])
        #expect(listed.stdout.contains("evil]2;PWNED.jsonl:1") && !listed.stdout.contains("\u{1B}"))
    }

    @Test func everyWritingCommandUpgradesAnOldIndexAndSaysSo() throws {
        for command in [["watch", "run"], ["watch", "add", "c", "cacao"], ["index"]] {
            let (folder, database) = try Self.index()
            try DatabaseQueue(path: database).write { db in
                try db.execute(sql: "DROP TABLE watch_delivered; UPDATE meta SET value = '8' WHERE key = 'schema_version'")
            }
            // Reading commands refuse it and say how to upgrade.
            let search = try CLI.run(["search", "cacao", "--db", database])
            #expect(search.status == 2 && search.stderr.contains("was made by an older depeche (index schema 8); the next `depeche index"))
            let arguments = command == ["index"] ? command + [folder + "/a.jsonl"] : command
            let run = try CLI.run(arguments + ["--db", database])
            #expect(run.stderr.contains("depeche: upgraded the index \(database) in place from schema 8 to 9"), "\(command): \(run.stderr)")
            #expect(try CLI.run(["search", "cacao", "--db", database]).status == 0)
        }
    }
}
