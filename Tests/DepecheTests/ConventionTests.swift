import Foundation
import Testing
@testable import depeche
@testable import DepecheIndex
@testable import DepecheModel
@testable import DepecheOutput

/// The command line behaves like grep and ripgrep: exit statuses, a query starting with
/// `-`, `--count`/`--quiet`, `--version`, unknown fields and filters named, the colour
/// and index-path conventions, one-line snippets, safe spreadsheets.
@Suite("Command-line conventions")
struct ConventionTests {
    static var database: String { CommandLineTests.bundledIndex }

    func count(_ arguments: [String]) throws -> (status: Int32, count: Int?, stderr: String) {
        let run = try CLI.run(arguments + ["--db", Self.database, "--count"])
        return (run.status, Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), run.stderr)
    }

    @Test func aCountThatStoppedIsSaidToBeALowerBoundInTheTableAndInJSON() throws {
        var summary = SearchSummary(total: 50_000)
        summary.totalIsExact = false
        let table = TableWriter().render(SearchResult(query: "france", summary: summary, hits: []), elapsed: 0)
        #expect(table.hasPrefix("more than 50000 hits for \"france\""), "\(table)")
        let path = try TestSupport.temporaryFolder() + "/head.json"
        let sink = try TextSink(file: path)
        try HitListWriter(format: .json).begin(query: "france", summary: summary, to: sink)
        try sink.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"total\":50000,\"total_exact\":false,"))
        // --exact-count is a flag among unquoted words (the query is "café jour").
        let database = try TestSupport.index(records: [["id": "a", "title": "Le café du jour", "body": "Café."]])
        let run = try CLI.run(["search", "café", "--exact-count", "jour", "--db", database, "--format", "json"])
        #expect(run.status == 0 && run.stdout.contains("\"total\":1,\"total_exact\":true,"), "\(run.stderr)")
    }

    @Test func aQueryMayStartWithADashBeforeOrAfterItsOptions() throws {
        let all = try #require(try count(["search", "Congo"]).count)
        let excluded = try #require(try count(["search", "-Rosatom Congo"]).count)
        #expect(excluded > 0 && excluded < all)
        #expect(try count(["search", "-Rosatom Congo", "--limit", "1"]).count == excluded)
        #expect(try count(["search", "--limit", "1", "-Rosatom Congo"]).count == excluded)
        #expect(try count(["search", "--", "-Rosatom Congo", "--limit", "1"]).count == excluded)
        // `-c…` is not read as `-c -h …` (which printed the help and exited 0).
        let accented = try CLI.run(["search", "-chômage Congo", "--db", Self.database, "--format", "ids"])
        #expect(accented.status == 0 && !accented.stdout.contains("USAGE"), "\(accented.stdout)")
        // An option's value may start with a dash, and is checked as a value.
        let negative = try CLI.run(["search", "Congo", "--limit", "-1", "--db", Self.database])
        #expect(negative.status == 2)
        #expect(negative.stderr.hasPrefix("depeche: --limit must be between 0 and"), "\(negative.stderr)")
    }

    @Test func datesAreTakenAsTheIndexerReadsThem() throws {
        #expect(try DateArgument.parse("17/03/2020", option: "--since", asEnd: false) == Day(year: 2020, month: 3, day: 17))
        #expect(try DateArgument.parse("1/3/2020", option: "--since", asEnd: false) == Day(year: 2020, month: 3, day: 1))
        #expect(try DateArgument.parse("03/2020", option: "--until", asEnd: true) == Day(year: 2020, month: 3, day: 31))
        #expect(try DateArgument.parse("2020-03", option: "--since", asEnd: false) == Day(year: 2020, month: 3, day: 1))
        let impossible = try CLI.run(["search", "Congo", "--since", "32/01/2020", "--db", Self.database])
        #expect(impossible.status == 2 && impossible.stderr == "depeche: --since 32/01/2020: expected a date as YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY\n")
        let run = try CLI.run(["search", "Congo", "--since", "17/03/2020", "--db", Self.database, "--format", "ids"])
        #expect(run.status == 0 && !run.stdout.isEmpty, "\(run.stderr)")
    }

    @Test func countWithCollapseCountsStoriesAndPruneNeedsNoPath() throws {
        // The bundled corpus tells Rosatom in 3 dispatches, 2 stories (043 updates 001).
        #expect(try CLI.run(["search", "-c", "Rosatom", "--db", Self.database]).stdout == "3\n")
        #expect(try CLI.run(["search", "-c", "Rosatom", "--collapse", "--db", Self.database]).stdout == "2\n")
        let folder = try TestSupport.temporaryFolder()
        try TestSupport.write([["id": "a", "title": "Cacao", "body": "Le cacao monte.", "date": "2020-01-01"]], to: folder + "/a.jsonl")
        try TestSupport.write([["id": "b", "title": "Café", "body": "Le café recule.", "date": "2020-01-01"]], to: folder + "/b.jsonl")
        #expect(try CLI.run(["index", folder + "/a.jsonl", folder + "/b.jsonl", "--db", folder + "/i.sqlite"]).status == 0)
        try FileManager.default.removeItem(atPath: folder + "/a.jsonl")
        let pruned = try CLI.run(["index", "--prune", "--db", folder + "/i.sqlite"])
        #expect(pruned.status == 0 && pruned.stdout.contains("1 pruned"), "\(pruned.stderr)")
    }

    @Test func unquotedWordsAreOneQuery() throws {
        let unquoted = try CLI.run(["search", "Rosatom", "data", "center", "--db", Self.database, "--format", "ids"])
        let quoted = try CLI.run(["search", "Rosatom data center", "--db", Self.database, "--format", "ids"])
        #expect(unquoted.status == 0 && unquoted.stdout == quoted.stdout && !unquoted.stdout.isEmpty, "\(unquoted.stderr)")
        #expect(try CLI.run(["stats", "Rosatom", "nucléaire", "--db", Self.database]).status == 0)
    }

    @Test func argumentsAreReorderedOnlyForQueries() {
        #expect(QueryArguments.normalized(["search", "-Russie Poutine", "--limit", "1"]) == ["search", "--limit=1", "--", "-Russie Poutine"])
        #expect(QueryArguments.normalized(["search", "--", "-x", "-c"]) == ["search", "-c", "--", "-x"])
        #expect(QueryArguments.normalized(["export", "a", "-o", "f.csv", "--excel"]) == ["export", "-o", "f.csv", "--excel", "--", "a"])
        #expect(QueryArguments.normalized(["index", "-", "--db", "x"]) == ["index", "-", "--db", "x"])
        // Unquoted words are one query (#30 item 4).
        #expect(QueryArguments.normalized(["search", "Le", "Pen", "--limit", "1"]) == ["search", "--limit=1", "--", "Le Pen"])
        #expect(QueryArguments.isOption("--no-synonyms") && QueryArguments.isOption("-q"))
        #expect(!QueryArguments.isOption("-Russie") && !QueryArguments.isOption("-1") && !QueryArguments.isOption("-é"))
    }

    @Test func everyFlagOfTheQueryCommandsIsKnownToTakeNoValue() throws {
        for command in QueryArguments.queryCommands {
            let help = try CLI.run([command, "--help"]).stdout
            // An option line without a <value>: "  -c, --count   Print …" or "  --excel   CSV …".
            for line in help.split(separator: "\n") where line.hasPrefix("  -") {
                // An inverted flag shows as "--collapse/--no-collapse".
                let names = line.split(separator: " ").prefix { !$0.isEmpty && $0.first == "-" }
                    .flatMap { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")).split(separator: "/").map(String.init) }
                let takesValue = line.split(separator: " ").dropFirst(names.count).first?.hasPrefix("<") == true
                for name in names where !takesValue {
                    #expect(QueryArguments.flags.contains(name) || name == "--version", "\(command) \(name)")
                }
            }
        }
    }

    /// An any-word fallback is shown and marked, but it is no match of the query as
    /// written: status 1 for every format and command, `-c` counts 0 (#30 item 1).
    @Test func aFallbackListIsShownButExitsOne() throws {
        let query = "Rosatom zzyzxq"
        let table = try CLI.run(["search", query, "--db", Self.database])
        #expect(table.status == 1 && table.stdout.contains("Rosatom"), "\(table.stdout)")
        let json = try CLI.run(["search", query, "--db", Self.database, "--format", "json"])
        #expect(json.status == 1 && json.stdout.contains("\"relaxed\":true"))
        let ids = try CLI.run(["search", query, "--db", Self.database, "--format", "ids"])
        #expect(ids.status == 1 && ids.stdout.contains("001_congo-rosatom-centres-de-donnees"))
        let count = try CLI.run(["search", "-c", query, "--db", Self.database])
        #expect(count.status == 1 && count.stdout == "0\n")
        #expect(try CLI.run(["search", "-q", query, "--db", Self.database]).status == 1)
        #expect(try CLI.run(["search", "-q", "Rosatom", "--db", Self.database]).status == 0)
        let export = try CLI.run(["export", query, "--db", Self.database, "--format", "jsonl"])
        #expect(export.status == 1 && !export.stdout.isEmpty)
        #expect(try CLI.run(["stats", query, "--db", Self.database]).status == 1)
    }

    @Test func exitStatusIsZeroForHitsOneForNoneTwoForErrors() throws {
        #expect(try CLI.run(["search", "Rosatom", "--db", Self.database]).status == 0)
        let none = try CLI.run(["search", "zzzq", "--db", Self.database])
        #expect(none.status == 1 && none.stdout.hasPrefix("0 hits for \"zzzq\""))
        #expect(try CLI.run(["search", "zzzq", "--db", Self.database, "--format", "json"]).status == 1)
        #expect(try CLI.run(["search", "Dakar OR", "--db", Self.database]).status == 2)
        #expect(try CLI.run(["search", "Rosatom", "--db", "/nonexistent/index.sqlite"]).status == 2)
        #expect(try CLI.run(["show", "no-such-id", "--db", Self.database]).status == 2)
        #expect(try CLI.run(["stats", "zzzq", "--db", Self.database]).status == 1)
        #expect(try CLI.run(["stats", "Rosatom", "--db", Self.database]).status == 0)
        #expect(try CLI.run(["stats", "--db", Self.database]).status == 0)
    }

    @Test func countPrintsTheNumberAndQuietNothing() throws {
        let counted = try CLI.run(["search", "Bouenza", "--db", Self.database, "-c"])
        #expect(counted.status == 0 && counted.stdout == "1\n")
        let quiet = try CLI.run(["search", "Rosatom", "--db", Self.database, "-q"])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        let silentMiss = try CLI.run(["search", "zzzq", "--db", Self.database, "--quiet"])
        #expect(silentMiss.status == 1 && silentMiss.stdout.isEmpty && silentMiss.stderr.isEmpty)
        #expect(try CLI.run(["search", "zzzq", "--db", Self.database, "--count"]).stdout == "0\n")
    }

    @Test func anExportThatMatchesNothingWritesNoFile() throws {
        let file = try TestSupport.temporaryFolder() + "/hits.csv"
        let run = try CLI.run(["export", "zzzq", "--db", Self.database, "-o", file])
        #expect(run.status == 1)
        #expect(run.stderr == "depeche: no dispatch matches \"zzzq\"; no file written\n")
        #expect(!FileManager.default.fileExists(atPath: file))
        let toStdout = try CLI.run(["export", "zzzq", "--db", Self.database])
        #expect(toStdout.status == 1 && toStdout.stdout.isEmpty)
        let found = try CLI.run(["export", "Bouenza", "--db", Self.database, "-o", file])
        #expect(found.status == 0 && found.stderr == "depeche: 1 hit written to \(file)\n")
    }

    @Test func versionSaysTheReleaseAndVerboseTheIndexFormat() throws {
        let short = try CLI.run(["--version"])
        #expect(short.status == 0 && short.stdout == "depeche \(Depeche.version)\n")
        let verbose = try CLI.run(["--version", "--verbose"])
        #expect(verbose.stdout.contains("index schema \(DispatchIndex.schemaVersion), French analysis \(DispatchIndex.analyzerVersion)"))
        #expect(verbose.stdout.contains("SQLite 3."))
    }

    @Test func anUnknownFieldIsAQueryErrorWithTheNearestName() throws {
        let typo = try CLI.run(["search", "tilte:Macron", "--db", Self.database])
        #expect(typo.status == 2)
        #expect(typo.stderr == "depeche: query error at column 1: unknown field \"tilte:\" (fields: title:, standfirst:, body:, source:, category:; did you mean title:?)\n")
        let city = try CLI.run(["search", "Congo city:Brazzaville", "--db", Self.database])
        #expect(city.status == 2 && city.stderr.contains("unknown field \"city:\" (fields: title:"), "\(city.stderr)")
        // Words with a colon that are no field stay words.
        for words in ["12:30", "Covid: bilan", "https://aci.cg"] {
            #expect(try CLI.run(["search", words, "--db", Self.database]).status != 2, "\(words)")
        }
    }

    @Test func filtersThatMatchNothingNameTheNearestKnownValues() throws {
        let run = try CLI.run(["search", "Congo", "--source", "AC", "--db", Self.database])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("depeche: no source \"AC\"; sources include ACI"), "\(run.stderr)")
        let inQuery = try CLI.run(["search", "Congo category:Politiq", "--db", Self.database, "--format", "ids"])
        #expect(inQuery.stderr.contains("no category \"Politiq\"; categories include Politique"), "\(inQuery.stderr)")
        let dates = try CLI.run(["search", "Congo", "--since", "2021", "--until", "2020", "--db", Self.database])
        #expect(dates.status == 2 && dates.stderr == "depeche: --since 2021 is after --until 2020: no dispatch can match\n")
    }

    @Test func colourFollowsNoColorAndDumbTerminals() {
        #expect(ColorChoice.auto.style(onTerminal: true, environment: [:]) == .ansi)
        #expect(ColorChoice.auto.style(onTerminal: true, environment: ["NO_COLOR": ""]) == .ansi)
        #expect(ColorChoice.auto.style(onTerminal: true, environment: ["NO_COLOR": "1"]) == .brackets)
        #expect(ColorChoice.auto.style(onTerminal: true, environment: ["TERM": "dumb"]) == .brackets)
        #expect(ColorChoice.auto.style(onTerminal: false, environment: [:]) == .brackets)
        #expect(ColorChoice.always.style(onTerminal: false, environment: ["NO_COLOR": "1", "TERM": "dumb"]) == .ansi)
        #expect(ColorChoice.never.style(onTerminal: true, environment: [:]) == .brackets)
    }

    @Test func theDefaultIndexFollowsHome() throws {
        let home = try TestSupport.temporaryFolder()
        let run = try CLI.run(["stats"], environment: ["HOME": home, "XDG_DATA_HOME": "", "DEPECHE_DB": ""])
        #expect(run.stderr.contains(home + "/.local/share/depeche/index.sqlite"), "\(run.stderr)")
    }

    @Test func theTableHeaderShowsTheQueryAsTyped() throws {
        let run = try CLI.run(["search", "Sassou-N'Guesso \"saison\"", "--db", Self.database])
        #expect(run.stdout.hasPrefix("1 hit for \"Sassou-N'Guesso \"saison\"\" ("), "\(run.stdout)")
    }

    @Test func snippetsAreOneLineAndExcelCellsAreSafe() throws {
        let hit = Hit(rank: 1, id: "x", title: "-2 % en un an", date: nil, dateQuality: .missing, source: "=cmd|' /C calc'!A0",
                      category: nil, city: nil, url: nil, origin: "f:1", score: 0.5,
                      snippet: Snippet(parts: [Snippet.Part(text: "ligne un\nligne deux", isMatch: false)]), body: nil)
        #expect(SnippetMarks.none.render(hit.snippet) == "ligne un ligne deux")
        #expect(HitField.source.spreadsheetText(of: hit) == "'=cmd|' /C calc'!A0")
        #expect(HitField.title.spreadsheetText(of: hit) == "'-2 % en un an")
        #expect(HitField.score.spreadsheetText(of: hit) == "0,5")
        #expect(HitField.id.spreadsheetText(of: hit) == "x")
    }
}
