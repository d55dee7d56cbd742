import Foundation
import GRDB
import Testing
@testable import DepecheModel
@testable import DepecheAnalysis
@testable import DepecheIngest
@testable import DepecheIndex
@testable import DepecheIndexing
@testable import DepecheSearch

/// Everything a user of an index can see, as text, so that two indexes can be compared
/// whole: what is stored (rows, duplicates, files), what ranking and filters read (facets,
/// blocks, facet values, column blobs), and what searches and `show` answer.
enum IndexSnapshot {
    static let queries = ["cacao", "Rosatom data center", "Covid-19", "campagne", "pluie -cacao", "Brazzaville"]

    static func of(_ database: String, ids: [String] = []) throws -> [String] {
        let index = try DispatchIndex(path: database, readOnly: true)
        var lines: [String] = try index.read { db in
            let tables = [
                "SELECT id, date, date_quality, source, category, city, author, url, origin, source_file, content_hash, title, standfirst, body FROM dispatches ORDER BY id",
                "SELECT id, origin, source_file, date, date_quality, source, category, city, url FROM duplicates ORDER BY id",
                "SELECT path, size, records, read_options, newest_date FROM sources ORDER BY path",
                "SELECT d.id, f.date, f.date_quality, f.source, f.category, f.length FROM dispatch_facets f JOIN dispatches d USING (rowid) ORDER BY d.id",
                "SELECT field, value FROM facet_values ORDER BY field, value",
                "SELECT source, substr(date, 1, 4), count(*) FROM dispatches GROUP BY 1, 2 ORDER BY 1, 2",
                "SELECT block, hex(lengths), hex(days), hex(sources), hex(categories) FROM dispatch_columns ORDER BY block",
            ]
            return try tables.flatMap { sql in try Row.fetchAll(db, sql: sql).map { "\($0)" } }
        }
        let searcher = Searcher(index: index)
        for query in queries {
            let result = try searcher.search(query, options: SearchOptions())
            lines.append("\(query): \(result.total) " + result.hits.map { "\($0.id)@\($0.date?.description ?? "-")" }.joined(separator: ","))
        }
        for id in ids { lines.append("show \(id): " + (try index.dispatch(id: id).map { "\($0)" } ?? "none")) }
        return lines
    }
}

@Suite("Data safety: what depeche did not make", .serialized)
struct DataSafetyForeignFileTests {
    static func refusal(_ path: String, _ what: String) -> String {
        "depeche: \(path) is \(what); depeche leaves it untouched: give another --db\n"
    }

    @Test func anotherProgramsDatabaseIsNeitherWrittenNorReplacedWhateverTheFlags() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/app.sqlite"
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "CREATE TABLE clients(name); INSERT INTO clients VALUES ('Awa'); CREATE TABLE meta(key, other)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        for arguments in [["index", TestSupport.bundledCorpus, "--db", database], ["index", TestSupport.bundledCorpus, "--db", database, "--rebuild"],
                          ["search", "cacao", "--db", database], ["stats", "--db", database]] {
            let run = try CLI.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr == Self.refusal(database, "an SQLite database that depeche did not make"), "\(arguments)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
    }

    @Test func aFolderACSVFileAndAFIFONamedAsTheIndexAreLeftAlone() throws {
        let folder = try TestSupport.temporaryFolder()
        let directory = folder + "/archive", csv = folder + "/clients.csv", fifo = folder + "/pipe"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "garder".write(toFile: directory + "/note.txt", atomically: true, encoding: .utf8)
        try "nom,ville\nAwa,Dakar\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(mkfifo(fifo, 0o644) == 0)
        for (path, what) in [(directory, "a folder"), (csv, "a file that is not a depeche index"), (fifo, "a device, FIFO or socket")] {
            let run = try CLI.run(["index", TestSupport.bundledCorpus, "--db", path, "--rebuild"])
            #expect(run.status == 2)
            #expect(run.stderr == Self.refusal(path, what))
        }
        #expect(try String(contentsOfFile: directory + "/note.txt", encoding: .utf8) == "garder")
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "nom,ville\nAwa,Dakar\n")
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func onlyADamagedDepecheIndexGetsTheAdviceToRebuild() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/i.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database]).status == 0)
        #expect(IndexFile.kind(at: database) == .depecheIndex)
        let handle = FileHandle(forUpdatingAtPath: database)!
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 100_000))
        try handle.close()
        #expect(IndexFile.kind(at: database) == .depecheIndex, "the mark is in the header, which the damage spared")
        #expect(try CLI.run(["search", "cacao", "--db", database]).stderr.hasSuffix("rebuild it with `depeche index PATH... --rebuild`\n"))
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database, "--rebuild"]).status == 0)
    }

    @Test func anEmptyFileOrAnSQLiteFileWithoutTablesIsTakenAsNew() throws {
        let folder = try TestSupport.temporaryFolder()
        let zero = folder + "/zero.sqlite", bare = folder + "/bare.sqlite"
        _ = FileManager.default.createFile(atPath: zero, contents: Data())
        // What a first build killed by an older depeche could leave: 4,096 bytes, no table.
        try DatabaseQueue(path: bare).writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 1") }
        #expect(try FileManager.default.attributesOfItem(atPath: bare)[.size] as? Int == 4_096)
        #expect(IndexFile.kind(at: bare) == .empty)
        for path in [zero, bare] {
            #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", path]).status == 0)
            #expect(try CLI.run(["search", "Rosatom", "--db", path, "--format", "ids"]).stdout.hasPrefix("001_congo-rosatom"))
        }
    }

    @Test func anIndexIsWrittenThroughASymbolicLinkWhichStays() throws {
        let folder = try TestSupport.temporaryFolder()
        let real = folder + "/real.sqlite", link = folder + "/link.sqlite"
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", real]).status == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", link, "--rebuild"]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(try CLI.run(["search", "Rosatom", "--db", link, "--format", "ids"]).stdout.hasPrefix("001_congo-rosatom"))
    }

    @Test func aMissingInputCreatesNoIndexAndARebuildFromItKeepsTheOldOne() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/nx.sqlite"
        let run = try CLI.run(["index", folder + "/nonexistent", "--db", database])
        #expect(run.status == 2)
        #expect(run.stdout.hasSuffix("; nothing was read, so no index was created\n"), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: database))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)

        #expect(try CLI.run(["index", TestSupport.bundledCorpus, "--db", database]).status == 0)
        let before = try IndexSnapshot.of(database)
        for paths in [[folder + "/typo"], [folder + "/typo", TestSupport.bundledCorpus + "/001_congo-rosatom-centres-de-donnees.txt"]] {
            let rebuild = try CLI.run(["index"] + paths + ["--db", database, "--rebuild"])
            #expect(rebuild.status == 2)
            #expect(rebuild.stdout.contains("the rebuild was abandoned"), "\(rebuild.stdout)")
            #expect(try IndexSnapshot.of(database) == before)
        }
    }
}

@Suite("Data safety: every dispatch with its own metadata", .serialized)
struct DataSafetyMetadataTests {
    @Test func pruningTheOriginalGivesTheSurvivingDuplicateItsOwnMetadata() throws {
        let folder = try TestSupport.temporaryFolder()
        let first = folder + "/A.jsonl", second = folder + "/B.jsonl", database = folder + "/i.sqlite"
        let text = ["title": "Même texte", "body": "Le même corps de dépêche, publié deux fois."]
        try TestSupport.write([text.merging(["id": "a", "date": "2020-01-01", "source": "AFP", "category": "Monde", "url": "https://a.example/1"]) { $1 }], to: first)
        try TestSupport.write([text.merging(["id": "b", "date": "2021-05-05", "source": "APS", "city": "Dakar"]) { $1 }], to: second)
        _ = try IndexUpdater.run(paths: [first, second], databasePath: database, options: IndexRunOptions())
        try FileManager.default.removeItem(atPath: first)
        let report = try IndexUpdater.run(paths: [second], databasePath: database, options: IndexRunOptions(prune: true))
        #expect(report.pruned == 0, "the text lives on under b")
        let index = try DispatchIndex(path: database)
        let kept = try #require(try index.dispatch(id: "b"))
        #expect(kept.date == Day(year: 2021, month: 5, day: 5))
        #expect(kept.source == "APS" && kept.city == "Dakar" && kept.category == nil && kept.url == nil)
        #expect(kept.origin.description == "\(second):1")
        var options = SearchOptions()
        options.filters.allow(["APS"], of: .source)
        #expect(try Searcher(index: index).search("corps", options: options).hits.map(\.id) == ["b"])
        options.filters.metadata = [MetadataFilter(field: .source, values: ["AFP"], excluded: false)]
        #expect(try Searcher(index: index).search("corps", options: options).total == 0)
        options.filters.metadata = []
        options.filters.since = Day(year: 2021, month: 1, day: 1)
        #expect(try Searcher(index: index).search("corps", options: options).hits.map(\.id) == ["b"])
    }

    @Test func controlCharactersAreRemovedAndReportedWithTheRestKept() throws {
        let folder = try TestSupport.temporaryFolder()
        let source = folder + "/nul.jsonl", database = folder + "/i.sqlite"
        try "{\"id\": \"n\", \"title\": \"nul \\u0000 escape\", \"body\": \"avant&#0;après \\u001b]0;titre\\u0007 fin\", \"date\": \"2020-01-01\"}\n"
            .write(toFile: source, atomically: true, encoding: .utf8)
        let report = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        #expect(report.problems.map(\.description) == ["\(source):1: 4 control characters removed (U+0000, U+0007, U+001B)"])
        // Kept and mended: counted as repaired, not as a problem, in the summary too.
        #expect(report.repairCount == 1 && report.problemCount == 0)
        let run = try CLI.run(["index", source, "--db", folder + "/cli.sqlite"])
        #expect(run.status == 0 && run.stdout.hasSuffix("1 added, 0 updated, 0 unchanged, 0 duplicates; 1 repaired\n"), "\(run.stdout)")
        let stored = try #require(try DispatchIndex(path: database).dispatch(id: "n"))
        #expect(stored.title == "nul  escape")
        #expect(stored.body == "avantaprès ]0;titre fin")
        #expect(try Searcher(index: DispatchIndex(path: database)).search("escape").total == 1)
    }

    @Test func invisibleMarksGoBeforeStrayNLinesAreMended() throws {
        let lrm = "\u{200E}"
        let scraped = "\(lrm)\nn\(lrm)\nn\(lrm)« \nn », a dit le ministre.\nn\(lrm)\nn\(lrm)Suite du texte.\nn\(lrm)Fin."
        let mended = TextCleaning.body(PlainText.trimmed(PlainText.withoutInvisibleFormatting(scraped)))
        #expect(mended == "« \n\n », a dit le ministre.\n\nSuite du texte.\n\nFin.")
        #expect(TextCleaning.body("Fin.\nnDébut.\nnon merci\nn'importe") == "Fin.\n\nDébut.\nnon merci\nn'importe")
        #expect(PlainText.withoutControls("a\u{202E}b\u{FEFF}c\u{2066}d\td\n").text == "abcd\td\n")
        // The byte pre-scan sees every one of them, and nothing in ordinary French text.
        for scalar in [0x0, 0x1B, 0x7F, 0x85, 0x9F, 0x200E, 0x200F, 0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF] {
            #expect(PlainText.mayHoldControlsOrFormatting("é\(Character(Unicode.Scalar(scalar)!))’"), "U+\(String(scalar, radix: 16))")
        }
        #expect(!PlainText.mayHoldControlsOrFormatting("L’État « cœur » – 29 750 € … \u{A0}\u{202F}\u{2019}\u{200B}\t\r\n"))
    }

    @Test func aC1ControlWithAWindows1252MeaningBecomesThatCharacter() throws {
        let (text, repair) = PlainText.withoutControls("au c\u{9C}ur, 29 750 \u{80} et \u{90}États-Unis")
        #expect(text == "au cœur, 29 750 € et États-Unis")
        #expect(repair.description == "1 control character removed (U+0090); 2 read as Windows-1252 (U+0080 → €, U+009C → œ)")
    }

    @Test func aNewYearReadsTheFileAgainAndRefreshReadsWithTheStoredOptions() throws {
        let folder = try TestSupport.temporaryFolder()
        let page = folder + "/sans-annee.txt", database = folder + "/i.sqlite"
        try "Le port de Pointe-Noire s'agrandit\n\nPointe-Noire, 9 Décembre (ACI) – Les travaux du quai commencent.\n"
            .write(toFile: page, atomically: true, encoding: .utf8)
        _ = try IndexUpdater.run(paths: [page], databasePath: database, options: IndexRunOptions())
        let inferred = try #require(try DispatchIndex(path: database).dispatch(id: "sans-annee"))
        #expect(inferred.dateQuality == .inferredYear)

        let corrected = try IndexUpdater.run(paths: [page], databasePath: database, options: IndexRunOptions(year: 2020))
        #expect(corrected.filesUnchanged == 0 && corrected.updated == 1)
        let stored = try #require(try DispatchIndex(path: database).dispatch(id: "sans-annee"))
        #expect(stored.date == Day(year: 2020, month: 12, day: 9) && stored.dateQuality == .explicit)
        // The same options again: skipped. A refresh: read again, with --year 2020 still.
        #expect(try IndexUpdater.run(paths: [page], databasePath: database, options: IndexRunOptions(year: 2020)).filesUnchanged == 1)
        let refreshed = try IndexUpdater.run(paths: [], databasePath: database, options: IndexRunOptions(refresh: true))
        #expect(refreshed.filesRead == 1 && refreshed.unchanged == 1)
        #expect(try DispatchIndex(path: database).dispatch(id: "sans-annee")?.date == Day(year: 2020, month: 12, day: 9))
    }

    @Test func aYearWithoutFourDigitsIsRefused() throws {
        let run = try CLI.run(["index", TestSupport.bundledCorpus, "--db", try TestSupport.temporaryFolder() + "/i.sqlite", "--year", "20"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--year 20: give the year with four digits (e.g. 2020)"), "\(run.stderr)")
    }
}

@Suite("Data safety: input", .serialized)
struct DataSafetyInputTests {
    static let csv = "source,theme,titre,date,contenu\nAPS,Politique,\"Le budget voté\",2025-07-13,\"Dakar, le budget est voté.\nDeuxième ligne.\"\nSenego,Sport,Victoire des Lions,2025-07-14,Les Lions gagnent.\n"

    @Test func csvAndTSVOnStandardInputAreReadAsSuchFromTheirHeader() throws {
        let folder = try TestSupport.temporaryFolder()
        let csv = folder + "/input.csv", tsv = folder + "/input.tsv"
        try Self.csv.write(toFile: csv, atomically: true, encoding: .utf8)
        try "titre\tcontenu\tdate\nUn titre\tUn texte sur le cacao\t2024-01-02\n".write(toFile: tsv, atomically: true, encoding: .utf8)
        let database = folder + "/i.sqlite", tabbed = folder + "/t.sqlite"
        let run = try CLI.run(["index", "-", "--db", database], input: csv)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("2 added"), "\(run.stdout)")
        // Without an id or url, the id is derived from the record (its date and a fingerprint).
        #expect(try CLI.run(["search", "Lions", "--db", database, "--format", "ids"]).stdout.hasPrefix("2025-07-14-"))
        #expect(try CLI.run(["search", "Lions", "--db", database, "--format", "csv", "--fields", "origin"]).stdout == "origin\r\n-:4\r\n")
        #expect(try CLI.run(["index", "-", "--db", tabbed], input: tsv).stdout.contains("1 added"))
        #expect(try CLI.run(["search", "cacao", "--db", tabbed, "--format", "ids"]).stdout.hasPrefix("2024-01-02-"))
        // --format is honoured for standard input.
        let forced = try CLI.run(["index", "-", "--db", folder + "/forced.sqlite", "--format", "page"], input: csv)
        #expect(forced.status == 2)
        #expect(forced.stderr.contains("-:1: this page opens with what reads as a CSV header"), "\(forced.stderr)")
    }

    @Test func aPageWhoseTitleLineIsACSVHeaderIsRefusedWithTheReason() throws {
        let folder = try TestSupport.temporaryFolder()
        let page = folder + "/export.txt"
        try Self.csv.write(toFile: page, atomically: true, encoding: .utf8)
        let report = try IndexUpdater.run(paths: [page], databasePath: folder + "/i.sqlite", options: IndexRunOptions())
        #expect(report.stored == 0 && report.failedFiles == 1)
        #expect(report.problems.map(\.description) == [
            "\(page):1: this page opens with what reads as a CSV header (source,theme,titre,date,contenu…); give --format csv to read it as such",
        ])
        #expect(report.outcome == .notCreated)
    }
}

@Suite("Data safety: export targets", .serialized)
struct DataSafetyExportTests {
    @Test func exportWritesThroughASymbolicLinkAndIntoAFIFOWithoutReplacingThem() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = CommandLineTests.bundledIndex
        let real = folder + "/real.csv", link = folder + "/link.csv", fifo = folder + "/pipe"
        try "ancien".write(toFile: real, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(try CLI.run(["export", "cacao", "--db", database, "-o", link, "--fields", "id"]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        // CSV lines end with CRLF (RFC 4180).
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "id\r\n022_cote-divoire-cacao-prix\r\n")

        #expect(mkfifo(fifo, 0o644) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [fifo]
        let out = Pipe()
        reader.standardOutput = out
        try reader.run()
        #expect(try CLI.run(["export", "cacao", "--db", database, "-o", fifo, "--fields", "id"]).status == 0)
        let read = out.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        #expect(String(decoding: read, as: UTF8.self) == "id\r\n022_cote-divoire-cacao-prix\r\n")
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }
}

@Suite("Data safety: positions")
struct DataSafetyPositionsTests {
    static let heart = "{\"id\": \"h\", \"title\": \"Conseil\", \"body\": \"Le ❤️ ministre annonce la réforme des retraites.\", \"date\": \"2020-01-01\"}"

    @Test func aWordMadeOnlyOfAVariationSelectorTakesNoPosition() throws {
        let folder = try TestSupport.temporaryFolder()
        try Self.heart.write(toFile: folder + "/h.jsonl", atomically: true, encoding: .utf8)
        let database = folder + "/i.sqlite"
        _ = try IndexUpdater.run(paths: [folder + "/h.jsonl"], databasePath: database, options: IndexRunOptions())
        let run = try CLI.run(["search", "réforme", "--db", database, "--color", "never"])
        #expect(run.stdout.contains("Le ❤️ ministre annonce la [réforme] des retraites."), "\(run.stdout)")
        let both = try Searcher(index: DispatchIndex(path: database)).search("réforme ❤️")
        #expect(both.total == 1 && !both.relaxed)
    }

    /// The positions contract: highlighting counts exactly the positions that carry
    /// document terms, whatever the text.
    @Test func highlightingCountsThePositionsTheIndexHoldsForRandomText() throws {
        let analyzer = try FrenchAnalyzer()
        let pieces = ["\u{FE0F}", "\u{301}", "❤️", "👍🏽", "e\u{301}", "l’", "d'", "ʼ", "'", "مرحبا", "שלום", "日本", "ﬁ", "Œuvre", " ", "-", "19",
                      "\u{200D}", "\u{20DD}", "a", "État", "\u{0}", "\u{202E}", "x\u{FE0F}", "\u{E0100}", "ß", "\u{1F1EB}\u{1F1F7}",
                      "\u{345}", "\u{93E}", "\u{640}", "ʹ", "ˆ", "l’\u{301}", "qu’", "Ⅻ", "٣", "\u{2019}\u{2019}", "ǅ", "ﷺ"]
        var generator = SeededGenerator(state: 15)
        for _ in 0..<5_000 {
            var text = (0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            var positions = 0, documentPositions = 0, queryPositions = 0
            text.withUTF8 { bytes in
                analyzer.forEachTerm(in: bytes, for: .positionsOnly) { _, _, _ in positions += 1; return true }
                analyzer.forEachTerm(in: bytes, for: .document) { _, colocated, _ in
                    if !colocated { documentPositions += 1 }
                    return true
                }
                analyzer.forEachTerm(in: bytes, for: .query) { _, colocated, _ in
                    if !colocated { queryPositions += 1 }
                    return true
                }
            }
            // Highlighting, documents and phrase queries count the same positions, and
            // bm25's length of a document is that count.
            #expect(positions == documentPositions, "\(text.debugDescription)")
            #expect(positions == queryPositions, "\(text.debugDescription)")
            #expect(PreanalyzedDocument(texts: [text], analyzer: analyzer).tokenCount == positions, "\(text.debugDescription)")
        }
    }
}
