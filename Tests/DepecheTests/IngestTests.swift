import Foundation
import Testing
@testable import DepecheModel
@testable import DepecheAnalysis
@testable import DepecheIngest

@Suite("Ingest: pages")
struct PageParserTests {
    func parse(_ fixture: String) throws -> IngestRecord {
        let text = try String(contentsOfFile: TestSupport.fixture(fixture), encoding: .utf8)
        return try PageParser.parse(text, id: "page", file: fixture)
    }

    @Test func seedLayoutPageGivesTitleDatelineAndCategory() throws {
        let record = try parse("page-with-ticker.txt")
        let dispatch = record.dispatch
        #expect(dispatch.title == "Tchad : un pont sur le Chari pour désenclaver N’Djamena")
        #expect(dispatch.city == "N’Djamena")
        #expect(dispatch.source == "ACI")
        #expect(dispatch.category == "Infrastructures")
        #expect(dispatch.date == nil)
        #expect(record.yearlessDate?.day == 14 && record.yearlessDate?.month == 3)
    }

    @Test func tickerAndFooterAreNotPartOfTheDispatch() throws {
        let dispatch = try parse("page-with-ticker.txt").dispatch
        #expect(!dispatch.body.contains("Port-Gentil"))
        #expect(!dispatch.title.contains("ACI"))
        #expect(dispatch.body.hasPrefix("N’Djamena, 14 Mars (ACI) – Le gouvernement tchadien"))
        #expect(dispatch.body.hasSuffix("veillera au respect des délais."))
    }

    @Test func yearOfTheMetaLineCompletesTheDateline() throws {
        let record = try parse("page-year-in-meta.txt")
        #expect(record.dispatch.date == Day(year: 2022, month: 2, day: 3))
        #expect(record.dispatch.dateQuality == .explicit)
        #expect(record.dispatch.source == "AIP")
        #expect(record.dispatch.category == "Agriculture")
        #expect(record.yearlessDate == nil)
    }

    @Test func datelineWithYearAndOtherDashes() {
        let parsed = PageParser.parseDateline("Dakar, 1er juillet 2021 (APS) - Le texte")
        #expect(parsed?.city == "Dakar")
        #expect(parsed?.agency == "APS")
        #expect(parsed?.date == .full(Day(year: 2021, month: 7, day: 1)!))
        #expect(PageParser.parseDateline("Le ministre a dit, 12 fois, que") == nil)
    }

    @Test func emptyPageIsAProblemNamingTheFile() {
        do {
            _ = try PageParser.parse("\n\n  \n", id: "x", file: "empty.txt")
            Issue.record("expected a problem")
        } catch {
            #expect("\(error)" == "empty.txt: empty page: no title or body")
        }
    }

    @Test("The shared seed page parses as the issue says", .enabled(if: TestSupport.sharedCorpus != nil, "needs ../shared/corpus"))
    func sharedSeedPage() throws {
        let path = TestSupport.sharedCorpus! + "/seed/000_56b7b411e1511fc9.txt"
        let record = try PageParser.parse(String(contentsOfFile: path, encoding: .utf8), id: "seed", file: path)
        #expect(record.dispatch.title == "Congo/Russie : Des possibilités de coopération dans la création des data center")
        #expect(record.dispatch.city == "Brazzaville")
        #expect(record.dispatch.source == "ACI")
        #expect(record.dispatch.category == "Politique")
        #expect(record.yearlessDate?.day == 9 && record.yearlessDate?.month == 12)
        #expect(!record.dispatch.body.contains("Zuma"))
    }
}

@Suite("Ingest: dates")
struct FrenchDateTests {
    @Test("Date forms", arguments: [
        ("2020-07-02", "2020-07-02"),
        ("2020-07-02T19:09", "2020-07-02"),
        ("2025-07-13 22:05", "2025-07-13"),
        ("13/07/2025", "2025-07-13"),
        ("13/07/2025 à 22:05", "2025-07-13"),
        ("jeudi 2 juillet 2020", "2020-07-02"),
        ("1er août 2019", "2019-08-01"),
        ("9 DÉCEMBRE 2020", "2020-12-09"),
        ("3 févr. 2021", "2021-02-03"),
    ])
    func fullDates(pair: (String, String)) {
        #expect(FrenchDate.parse(pair.0) == .full(Day(iso: pair.1)!), "\(pair.0)")
    }

    @Test func dayAndMonthWaitForAYear() {
        #expect(FrenchDate.parse("9 Décembre") == .dayAndMonth(day: 9, month: 12))
        #expect(FrenchDate.parse("29 février") == .dayAndMonth(day: 29, month: 2))
    }

    @Test func impossibleOrUnreadableDatesAreNil() {
        #expect(FrenchDate.parse("31/02/2020") == nil)
        #expect(FrenchDate.parse("l'an dernier") == nil)
        #expect(FrenchDate.parse("") == nil)
        #expect(FrenchDate.parse("32 mars 2020") == nil)
    }

    @Test func inferredYearIsTheLatestNotAfterTheReference() {
        let reference = Day(year: 2020, month: 9, day: 27)!
        #expect(FrenchDate.inferYear(day: 9, month: 12, notAfter: reference) == Day(year: 2019, month: 12, day: 9))
        #expect(FrenchDate.inferYear(day: 1, month: 3, notAfter: reference) == Day(year: 2020, month: 3, day: 1))
        #expect(FrenchDate.inferYear(day: 29, month: 2, notAfter: Day(year: 2023, month: 6, day: 1)!) == Day(year: 2020, month: 2, day: 29))
    }

    @Test func dayNumbersRoundTrip() {
        for text in ["1970-01-01", "2000-02-29", "2020-12-09", "1969-07-20"] {
            let day = Day(iso: text)!
            #expect(Day(dayNumber: day.dayNumber) == day)
        }
        #expect(Day(iso: "1970-01-02")!.dayNumber == 1)
    }
}

@Suite("Ingest: JSON records and field mapping")
struct JSONIngestTests {
    func readAll(_ file: String, mapping: FieldMapping = FieldMapping()) throws -> (records: [IngestRecord], problems: [IngestProblem]) {
        var records: [IngestRecord] = []
        var problems: [IngestProblem] = []
        try Ingestor(mapping: mapping).read(file: file, record: { records.append($0) }, problem: { problems.append($0) })
        return (records, problems)
    }

    @Test func frenchAndEnglishColumnNamesAreMapped() throws {
        let (records, _) = try readAll(TestSupport.fixture("records.jsonl"))
        let first = records[0].dispatch
        #expect(first.id == "rec-1")
        #expect(first.title == "Sassou-N’Guesso inaugure un hôpital à Oyo")
        #expect(first.date == Day(year: 2021, month: 5, day: 4))
        #expect(first.category == "Santé")
        #expect(first.author == "Rédaction")
        #expect(first.url == "https://example.org/rec-1")
        let second = records[1].dispatch
        #expect(second.title == "Covid-19 : reprise des vols à Dakar")
        #expect(second.date == Day(year: 2020, month: 6, day: 4))
        #expect(second.category == "Transport")
    }

    @Test func badLinesAreReportedWithFileAndLineAndTheRestIsRead() throws {
        let file = TestSupport.fixture("records.jsonl")
        let (records, problems) = try readAll(file)
        #expect(records.map(\.dispatch.id) == ["rec-1", "rec-2", "rec-4"])
        let messages = problems.map(\.description)
        #expect(messages.contains { $0.hasPrefix("\(file):3: invalid JSON") })
        #expect(messages.contains("\(file):4: unrecognised date 'l'an dernier'; indexed without a date"))
        #expect(messages.contains("\(file):5: no title or body field (columns: foo, id; map one with --field)"))
        #expect(messages.contains("\(file):6: expected a JSON object, found an array"))
        #expect(records[2].dispatch.dateQuality == .missing)
    }

    @Test func gzipFilesReadLikePlainOnes() throws {
        let plain = try readAll(TestSupport.fixture("records.jsonl")).records.map(\.dispatch.title)
        let compressed = try readAll(TestSupport.fixture("records.jsonl.gz")).records.map(\.dispatch.title)
        #expect(plain == compressed)
    }

    @Test func fieldOptionOverridesTheAutomaticChoice() throws {
        let mapping = try FieldMapping(options: ["title=url", "body=titre"])
        let first = try readAll(TestSupport.fixture("records.jsonl"), mapping: mapping).records[0].dispatch
        #expect(first.title == "https://example.org/rec-1")
        #expect(first.body == "Sassou-N’Guesso inaugure un hôpital à Oyo")
    }

    @Test func badFieldOptionsAreUsageErrors() {
        #expect(throws: UsageError.self) { try FieldMapping(options: ["titre"]) }
        #expect((try? FieldMapping(options: ["headline=x"])) == nil)
        do {
            _ = try FieldMapping(options: ["headline=x"])
        } catch {
            #expect("\(error)".hasPrefix("--field headline=x: unknown field 'headline'"))
        }
    }

    @Test func columnNamesMatchWithoutCaseOrAccents() {
        let resolved = FieldMapping().resolve(columns: ["Catégorie", "TITRE", "Date-Parsed", "date", "Texte"])
        #expect(resolved[.category] == "Catégorie")
        #expect(resolved[.title] == "TITRE")
        #expect(resolved[.date] == "Date-Parsed")
        #expect(resolved[.body] == "Texte")
    }

    @Test func windows1252IsDecodedAndReported() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/old.jsonl"
        // "Côte d'Ivoire : élections" in Windows-1252.
        let bytes = Array("{\"title\": \"C".utf8) + [0xF4] + Array("te d'Ivoire : ".utf8) + [0xE9] + Array("lections\", \"date\": \"2001-02-03\"}\n".utf8)
        FileManager.default.createFile(atPath: file, contents: Data(bytes))
        let (records, problems) = try readAll(file)
        #expect(records.first?.dispatch.title == "Côte d'Ivoire : élections")
        #expect(problems.map(\.description) == ["\(file):1: not valid UTF-8; read as Windows-1252"])
    }

    @Test func decomposedAccentsAreNormalizedToNFC() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/nfd.jsonl"
        try "{\"title\": \"E\u{301}tat\", \"body\": \"x\"}\n".write(toFile: file, atomically: true, encoding: .utf8)
        // Compared as bytes: Swift's == already treats both spellings as equal.
        #expect(try readAll(file).records.first.map { Array($0.dispatch.title.utf8) } == Array("\u{C9}tat".utf8))
    }

    @Test func nfcLeavesComposedTypographyAloneAndNormalizesWhatFollowsIt() throws {
        let icu = try ICUText()
        let composed = "« L’État » — 5 € : élections\u{202F}!"
        #expect(ICUText.isSurelyNFC(composed))
        #expect(Array(icu.nfc(composed).utf8) == Array(composed.utf8))
        #expect(Array(icu.nfc("l’E\u{301}tat").utf8) == Array("l’\u{C9}tat".utf8))
        // U+2000 is a singleton that NFC replaces by U+2002.
        #expect(!ICUText.isSurelyNFC("a\u{2000}b"))
        #expect(Array(icu.nfc("a\u{2000}b").utf8) == Array("a\u{2002}b".utf8))
    }

    @Test func missingFileIsAProblemNamingIt() {
        do {
            _ = try readAll("/nonexistent/dispatches.jsonl")
            Issue.record("expected a problem")
        } catch {
            #expect("\(error)" == "/nonexistent/dispatches.jsonl: no such file")
        }
    }
}
