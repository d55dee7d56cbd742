import Foundation
import Testing
@testable import DepecheIndex
@testable import DepecheModel
@testable import DepecheSearch

/// "Did you mean": a misspelt name corrected from the index's own vocabulary.
@Suite("Did you mean")
struct SuggestionTests {
    static var records: [[String: Any]] { [
        ["id": "rdc-1", "title": "Félix Tshisekedi à Kinshasa", "body": "Le président Tshisekedi a reçu Joseph Kabila.", "date": "2024-01-02"],
        ["id": "rdc-2", "title": "Tshisekedi en visite", "body": "Félix Tshisekedi visite Goma.", "date": "2024-02-02"],
        ["id": "rdc-3", "title": "Discours", "body": "Tshisekedi parle aux députés.", "date": "2024-03-02"],
        ["id": "ci-1", "title": "Alassane Ouattara réélu", "body": "Ouattara remporte le scrutin.", "date": "2020-11-01"],
        ["id": "ci-2", "title": "Ouattara à Paris", "body": "Le président Ouattara rencontre Macron.", "date": "2021-01-01"],
        ["id": "hcq-1", "title": "L’hydroxychloroquine en débat", "body": "L’hydroxychloroquine divise.", "date": "2020-06-03"],
        ["id": "hcq-2", "title": "Essai clinique", "body": "Un essai sur l’hydroxychloroquine.", "date": "2020-06-04"],
    ] }
    static let database = try! TestSupport.index(records: records)

    func summary(_ query: String, fuzzy: Bool = false) throws -> (SearchSummary, [String]) {
        var options = SearchOptions()
        options.suggestions = true
        options.fuzzy = fuzzy
        let result = try Searcher(index: DispatchIndex(path: Self.database, readOnly: true)).search(query, options: options)
        return (result.summary, result.hits.map(\.id))
    }

    @Test func misspeltNamesAreCorrectedFromTheIndexVocabulary() throws {
        #expect(try summary("Tshisekdi").0.suggestions == [Suggestion(query: "tshisekedi", total: 3)])
        #expect(try summary("Ouattarra").0.suggestions == [Suggestion(query: "ouattara", total: 2)])
        #expect(try summary("hydroxichloroquine").0.suggestions == [Suggestion(query: "hydroxychloroquine", total: 2)])
        // The correct words are kept as typed; the query is corrected one word at a time.
        #expect(try summary("Tshisekdi Kabila").0.suggestions == [Suggestion(query: "tshisekedi Kabila", total: 1)])
    }

    @Test func aQueryThatFindsEnoughGetsNoSuggestionAndNoCost() throws {
        #expect(try summary("Tshisekedi").0.suggestions.isEmpty)
        #expect(try summary("zzzqx").0.suggestions.isEmpty)
    }

    @Test func fuzzySearchesTheCorrectionBesideTheWordTyped() throws {
        let (found, ids) = try summary("Tshisekdi", fuzzy: true)
        #expect(found.nearSpellings == ["tshisekedi"] && found.total == 3)
        #expect(Set(ids) == ["rdc-1", "rdc-2", "rdc-3"])
    }

    @Test func aDoubledLetterCostsHalfAndASwapOne() {
        #expect(Suggester.cost("ouattarra", "ouattara") == 0.5)
        #expect(Suggester.cost("tshisekdi", "tshisekedi") == 1)
        #expect(Suggester.cost("tshiskeedi", "tshisekedi") == 1)
        #expect(Suggester.cost("macron", "micron") == 1)
    }

    @Test func suggestionsShowInTheTableAndJSONOnly() throws {
        let table = try CLI.run(["search", "Tshisekdi", "--db", Self.database])
        #expect(table.status == 1)
        #expect(table.stdout.contains("\ndid you mean: tshisekedi (3 hits)?\n"), "\(table.stdout)")
        let json = try CLI.run(["search", "Tshisekdi", "--db", Self.database, "--format", "json"])
        #expect(json.stdout.contains("\"suggestions\":[{\"query\":\"tshisekedi\",\"total\":3}]"), "\(json.stdout)")
        for format in ["ids", "csv"] {
            let run = try CLI.run(["search", "Tshisekdi", "--db", Self.database, "--format", format])
            #expect(!run.stdout.contains("tshisekedi") && !run.stderr.contains("tshisekedi"), "\(format)")
        }
        let fuzzy = try CLI.run(["search", "Tshisekdi", "--db", Self.database, "--fuzzy", "--format", "ids"])
        #expect(fuzzy.status == 0 && fuzzy.stdout.split(separator: "\n").count == 3)
    }
}
