import Foundation
import Testing
@testable import DepecheModel
@testable import DepecheIngest

/// Reads a file with the ingestor, collecting records and problems.
func ingest(_ file: String, mapping: FieldMapping = FieldMapping(), format: InputFormat? = nil) throws -> (records: [Dispatch], problems: [String]) {
    var records: [Dispatch] = []
    var problems: [String] = []
    try Ingestor(mapping: mapping, format: format).read(file: file, record: { records.append($0.dispatch) }, problem: { problems.append($0.description) })
    return (records, problems)
}

@Suite("Ingest: formats and page variants")
struct FormatTests {
    @Test func pageWithoutTickerOrMetaLineTakesAllFromTheDateline() throws {
        let record = try PageParser.parse(String(contentsOfFile: TestSupport.fixture("page-no-ticker-no-meta.txt"), encoding: .utf8), id: "p", file: "p")
        #expect(record.dispatch.title == "Niger : la récolte de mil attendue en hausse dans la région de Maradi")
        #expect(record.dispatch.date == Day(year: 2021, month: 10, day: 12))
        #expect(record.dispatch.source == "ANP")
        #expect(record.dispatch.city == "Maradi")
        #expect(record.dispatch.category == nil)
    }

    @Test func upperCaseAbbreviatedMonthsAndPlainHyphen() throws {
        let record = try PageParser.parse(String(contentsOfFile: TestSupport.fixture("page-upper-month.txt"), encoding: .utf8), id: "p", file: "p")
        #expect(record.dispatch.date == Day(year: 2021, month: 9, day: 3))
        #expect(record.dispatch.city == "ZIGUINCHOR")
        #expect(record.dispatch.source == "APS")
        #expect(record.dispatch.category == "Tourisme")
    }

    @Test func csvWithBOMQuotesEmbeddedNewlinesAndARaggedRow() throws {
        let file = TestSupport.fixture("records.csv")
        let (records, problems) = try ingest(file)
        #expect(records.count == 2)
        #expect(records[0].title == "Port de Dakar : le trafic \"conteneurs\" en hausse")
        #expect(records[0].body == "Premier paragraphe sur le port.\nDeuxième paragraphe, avec une virgule.")
        #expect(records[0].date == Day(year: 2025, month: 7, day: 13))
        #expect(records[0].category == "Économie")
        #expect(records[0].source == "APS")
        #expect(records[0].author == "Rédaction")
        // No id column: the url identifies the record; where it was read is its origin.
        #expect(records[0].id == "https://example.org/port")
        #expect(records[0].origin.description == "\(file):2")
        // date_parsed is empty on that row: the raw date column is not used in its place.
        #expect(records[1].date == nil)
        #expect(records[1].body == "La fête sénégalaise.")
        #expect(problems == ["\(file):5: row has 9 fields, the header has 8; skipped"])
    }

    /// Every line-based reader ends lines at LF, CRLF and a bare CR (#27).
    @Test func everyReaderEndsLinesAtLFCRLFAndBareCR() throws {
        let folder = try TestSupport.temporaryFolder()
        for (name, ending) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
            let csv = folder + "/\(name).csv"
            try "titre,contenu,date\(ending)Cacao,\"Le cacao\(ending)monte.\",2020-03-01\(ending)Café,Le café recule.,2020-03-02\(ending)"
                .write(toFile: csv, atomically: true, encoding: .utf8)
            let table = try ingest(csv)
            #expect(table.records.map(\.title) == ["Cacao", "Café"], "\(name): \(table.problems)")
            #expect(table.records.map { $0.origin.description } == ["\(csv):2", "\(csv):4"], "\(name)")
            let jsonl = folder + "/\(name).jsonl"
            try ("{\"title\": \"Cacao\", \"body\": \"Le cacao monte.\"}\(ending){\"title\": \"Café\", \"body\": \"Le café recule.\"}\(ending)")
                .write(toFile: jsonl, atomically: true, encoding: .utf8)
            let lines = try ingest(jsonl)
            #expect(lines.records.map(\.title) == ["Cacao", "Café"] && lines.records.last?.origin.description == "\(jsonl):2", "\(name): \(lines.problems)")
            let page = folder + "/\(name).txt"
            try ["Cacao : les cours montent", "", "Abidjan, 3 mars 2020 (ACI) - Le cacao monte.", "Les planteurs attendent."].joined(separator: ending)
                .write(toFile: page, atomically: true, encoding: .utf8)
            let parsed = try ingest(page)
            #expect(parsed.records.first?.title == "Cacao : les cours montent", "\(name): \(parsed.problems)")
            #expect(parsed.records.first?.source == "ACI", "\(name)")
        }
    }

    @Test func textLinesCutAtEveryLineEndAndOnlyOnceAtCRLF() {
        #expect(TextLines.lines("a\nb\r\nc\rd") == ["a", "b", "c", "d"])
        #expect(TextLines.lines(bytes: Array("a\r\n\r\nb\r".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["a", "", "b", ""])
        #expect(String(decoding: TextLines.firstLine(of: [0xEF, 0xBB, 0xBF] + Array("query\rx".utf8)), as: UTF8.self) == "query")
    }

    @Test func gzipCSVReadsLikeThePlainFile() throws {
        #expect(try ingest(TestSupport.fixture("records.csv.gz")).records.map(\.title) == ingest(TestSupport.fixture("records.csv")).records.map(\.title))
    }

    @Test func semicolonAndPipeDelimitersAreDetected() throws {
        let semicolon = try ingest(TestSupport.fixture("records-semicolon.csv")).records
        #expect(semicolon.map(\.title) == ["Kinshasa : une nouvelle ligne de bus", "Lubumbashi : pluies diluviennes"])
        #expect(semicolon[1].body == "Des quartiers inondés; des routes coupées.")
        #expect(semicolon[1].category == "Environnement")
        let pipe = try ingest(TestSupport.fixture("records-pipe.csv")).records
        #expect(pipe.map(\.id) == ["501", "502"])
        #expect(pipe[0].title == "Sud-Kivu : reprise des cours à Uvira")
        #expect(pipe[0].body == "Les écoles ont rouvert lundi.\n\nLes parents saluent la décision.")
        #expect(pipe[0].source == "actualite.cd")
        #expect(pipe[1].title == "Guerre | Paix : un débat à Goma")
    }

    @Test func tsvMapsHeadlineTextCategoryAndSaysDatesAreMissing() throws {
        let file = TestSupport.fixture("records.tsv")
        let (records, problems) = try ingest(file)
        #expect(records.map(\.title) == ["Le cacao au plus haut", "Victoire des Lions"])
        #expect(records[0].body == "Les cours du cacao ont atteint un record.")
        #expect(records[0].category == "business")
        #expect(problems == ["\(file):1: no date column (columns: category, headline, text, url); dispatches indexed without dates"])
    }

    @Test func jsonArraysWithParagraphListsAndNonObjects() throws {
        let file = TestSupport.fixture("records-array.json")
        let (records, problems) = try ingest(file)
        #expect(records.map(\.id) == ["a1", "a2"])
        #expect(records[1].body == "Paragraphe un.\n\nParagraphe deux.")
        #expect(records[0].date == Day(year: 2020, month: 1, day: 2))
        #expect(problems == ["\(file): element 3 of the array is not an object"])
    }

    @Test func forcedFormatReadsAnyExtension() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/export.data"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("records-semicolon.csv"), toPath: file)
        #expect(throws: IngestProblem.self) { try ingest(file) }
        #expect(try ingest(file, format: .csv).records.count == 2)
    }

    @Test func truncatedGzipKeepsTheRecordsBeforeTheCutAndSaysSo() throws {
        let folder = try TestSupport.temporaryFolder()
        let lines = (1...2000).map { "{\"id\": \"t\($0)\", \"title\": \"Titre \($0)\", \"body\": \"Texte numéro \($0) du lot.\", \"date\": \"2020-01-01\"}" }
        let plain = folder + "/full.jsonl"
        try lines.joined(separator: "\n").write(toFile: plain, atomically: true, encoding: .utf8)
        let compressed = folder + "/cut.jsonl.gz"
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -n -c '\(plain)' | head -c 9000 > '\(compressed)'"]
        try gzip.run()
        gzip.waitUntilExit()
        var count = 0
        do {
            try Ingestor().read(file: compressed, record: { _ in count += 1 }, problem: { _ in })
            Issue.record("expected the truncation to be reported")
        } catch {
            #expect("\(error)" == "\(compressed): cannot read: truncated gzip data")
        }
        #expect(count > 100 && count < 2000)
    }

    @Test func entitiesAreDecoded() {
        #expect(TextCleaning.decodingEntities("C&ocirc;te d&#8217;Ivoire &amp; S&eacute;n&eacute;gal&nbsp;: &#xE9;t&eacute; &bogus; & co")
            == "Côte d’Ivoire & Sénégal\u{A0}: été &bogus; & co")
    }

    @Test func titleSuffixesAreRemovedOnlyForSiteNames() {
        #expect(TextCleaning.title("Choléra à Mwenga | Actualite.cd") == "Choléra à Mwenga")
        #expect(TextCleaning.title("Guerre | Paix") == "Guerre | Paix")
        #expect(TextCleaning.body("Fin.\nnDébut.\nnon merci") == "Fin.\n\nDébut.\nnon merci")
    }

    @Test func foldersAreWalkedRecursivelyWithGlobsAndLoopsReadOnce() throws {
        let folder = try TestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/a/b", withIntermediateDirectories: true)
        for name in ["a/one.jsonl", "a/b/two.csv", "a/b/skip.csv", "a/notes.md", "a/.hidden.jsonl"] {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data())
        }
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/b/loop", withDestinationPath: folder + "/a")
        let ingestor = try Ingestor()
        let all = ingestor.files(for: [folder], problem: { _ in }).map { $0.replacingOccurrences(of: folder + "/", with: "") }
        #expect(all == ["a/b/skip.csv", "a/b/two.csv", "a/one.jsonl"])
        let chosen = ingestor.files(for: [folder], include: ["*.csv"], exclude: ["skip*"], problem: { _ in })
        #expect(chosen == [folder + "/a/b/two.csv"])
        // A glob with a / is matched under the folder named (and still as a whole path).
        var problems: [IngestProblem] = []
        #expect(ingestor.files(for: [folder + "/a"], include: ["b/*.csv"], problem: { problems.append($0) }) == [folder + "/a/b/skip.csv", folder + "/a/b/two.csv"])
        #expect(ingestor.files(for: [folder], include: ["*/b/two.csv"], problem: { problems.append($0) }) == [folder + "/a/b/two.csv"])
        #expect(problems.isEmpty)
        // A pattern that matches nothing is said; the others still choose.
        let found = ingestor.files(for: [folder], include: ["drc/*.csv", "*.jsonl"], problem: { problems.append($0) })
        #expect(found == [folder + "/a/one.jsonl"])
        #expect(problems.map(\.description) == ["\(folder): --include 'drc/*.csv' matched no file (a glob matches the file name, or with a /, the path under the folder: drc/*.csv)"])
    }

    @Test func anIndexRunWhoseIncludeMatchesNothingSaysSoAndFails() throws {
        let folder = try TestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/drc", withIntermediateDirectories: true)
        try "{\"id\": \"a\", \"title\": \"Kinshasa\", \"body\": \"Texte.\", \"date\": \"2020-01-01\"}\n".write(toFile: folder + "/drc/a.jsonl", atomically: true, encoding: .utf8)
        let run = try CLI.run(["index", folder, "--include", "senegal/*.jsonl", "--db", folder + "/i.sqlite"])
        #expect(run.status == 2 && run.stderr.contains("--include 'senegal/*.jsonl' matched no file"))
        let relative = try CLI.run(["index", folder, "--include", "drc/*.jsonl", "--db", folder + "/i.sqlite"])
        #expect(relative.status == 0 && relative.stdout.contains("1 added"))
    }
}
