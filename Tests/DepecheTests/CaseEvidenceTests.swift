import Foundation
import Testing
@testable import DepecheAnalysis
@testable import DepecheIndex
@testable import DepecheModel
@testable import DepecheSearch

/// Names the index learns: a word the documents capitalize in mid-sentence nearly every
/// time is asked without its stems, as a listed name is.
@Suite("Case evidence: names the index learns")
struct CaseEvidenceTests {
    func wordCase(_ word: String) -> WordCase {
        var word = word
        return word.withUTF8 { WordCase($0) }
    }

    func beginsSentence(_ text: String, before word: String) -> Bool {
        var text = text
        let start = text.utf8.count - text.components(separatedBy: word).last!.utf8.count - word.utf8.count
        return text.withUTF8 { WordCase.beginsSentence($0, at: start) }
    }

    @Test func aWordIsCapitalizedLowerCaseOrNeitherAfterItsElision() {
        #expect(wordCase("Dati") == .capitalized)
        #expect(wordCase("État") == .capitalized)
        #expect(wordCase("l’Assemblée") == .capitalized)
        #expect(wordCase("N'Djamena") == .capitalized)
        #expect(wordCase("aujourd’hui") == .lowercase)
        #expect(wordCase("dates") == .lowercase)
        #expect(wordCase("élection") == .lowercase)
        #expect(wordCase("RDC") == .other)
        #expect(wordCase("A") == .other)
        #expect(wordCase("2020") == .other)
    }

    @Test func aSentenceBeginsAfterItsEndPunctuationOrTheStartOfTheText() {
        #expect(beginsSentence("Dati parle", before: "Dati"))
        #expect(beginsSentence("Il part. Dati reste", before: "Dati"))
        #expect(beginsSentence("Il part ! « Dati reste", before: "Dati"))
        #expect(beginsSentence("Congo : Rosatom", before: "Rosatom"))
        #expect(beginsSentence("fin\n\nDati", before: "Dati"))
        #expect(!beginsSentence("la ministre Dati", before: "Dati"))
        #expect(!beginsSentence("selon « Dati", before: "Dati"))
        #expect(!beginsSentence("Dakar (APS) – Le", before: "Le"))
    }

    @Test func anIndexingAnalyzerCountsCapitalsInMidSentenceAndLowerCase() throws {
        let analyzer = try FrenchAnalyzer()
        analyzer.collectsCaseEvidence = true
        var text = "Rachida Dati parle. Dati répond à la ministre Dati sur les dates et l’Europe, l’Europe."
        text.withUTF8 { bytes in analyzer.forEachTerm(in: bytes, for: .document) { _, _, _ in true } }
        let evidence = analyzer.takeCaseEvidence()
        // `Dati répond` begins a sentence; `dates` is never capitalized and is not kept.
        #expect(evidence["dati"] == CaseCount(capitalized: 2, lowercase: 0))
        #expect(evidence["europe"] == CaseCount(capitalized: 2, lowercase: 0))
        #expect(evidence["date"] == nil)
        #expect(analyzer.takeCaseEvidence().isEmpty)
        // Queries and other analyzers count nothing.
        let other = try FrenchAnalyzer()
        text.withUTF8 { bytes in other.forEachTerm(in: bytes, for: .document) { _, _, _ in true } }
        #expect(other.takeCaseEvidence().isEmpty)
    }

    @Test func aNameIsCapitalizedNineTimesInTenAtLeastThreeTimes() {
        #expect(CaseCount(capitalized: 470, lowercase: 1).marksAName)
        #expect(CaseCount(capitalized: 9, lowercase: 1).marksAName)
        #expect(!CaseCount(capitalized: 2, lowercase: 0).marksAName)
        #expect(!CaseCount(capitalized: 298, lowercase: 108).marksAName)
    }

    static var records: [[String: Any]] { [
        ["id": "dati-1", "title": "Municipales à Paris", "body": "La maire Rachida Dati a présenté sa liste.", "date": "2020-01-02"],
        ["id": "dati-2", "title": "Conseil de Paris", "body": "Selon Rachida Dati, le budget est faux.", "date": "2020-01-03"],
        ["id": "dati-3", "title": "Débat", "body": "Un débat oppose Hidalgo et Dati ce soir.", "date": "2020-01-04"],
        ["id": "dates", "title": "Les dates du scrutin", "body": "Les dates du vote sont connues.", "date": "2020-02-01"],
        ["id": "marine-1", "title": "Meeting", "body": "La candidate Marine Le Pen parle.", "date": "2020-01-05"],
        ["id": "marine-2", "title": "Sondage", "body": "Selon Marine Le Pen, tout va mal.", "date": "2020-01-06"],
        ["id": "marine-3", "title": "Campagne", "body": "Une réunion de Marine Le Pen.", "date": "2020-01-07"],
        ["id": "marine-4", "title": "Défense", "body": "La marine nationale recrute.", "date": "2020-01-08"],
        ["id": "marins", "title": "Les marins", "body": "Les marins rentrent au port.", "date": "2020-03-01"],
    ] }
    static let database = try! TestSupport.index(records: records)

    func ids(_ query: String) throws -> [String] {
        var options = SearchOptions()
        options.limit = 20
        options.sort = .date
        return try Searcher(index: DispatchIndex(path: Self.database, readOnly: true)).search(query, options: options).hits.map(\.id)
    }

    @Test func aWordTheDocumentsCapitalizeIsSearchedWithoutItsStems() throws {
        let counts = try DispatchIndex(path: Self.database, readOnly: true).reading { try $0.caseCounts(of: ["dati", "marine", "date"]) }
        #expect(counts["dati"] == CaseCount(capitalized: 3, lowercase: 0))
        #expect(counts["marine"] == CaseCount(capitalized: 3, lowercase: 1))
        #expect(counts["date"] == nil)
        // `Dati` and `dates` share the stem `dat`: the name no longer finds the dates.
        #expect(try ids("Dati") == ["dati-3", "dati-2", "dati-1"])
        #expect(try ids("dati") == ["dati-3", "dati-2", "dati-1"])
        // `Marine` is also the navy in lower case: a common word, stems and all (*marins*).
        #expect(try ids("marine").contains("marins"))
    }
}
