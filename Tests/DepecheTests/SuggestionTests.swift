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
        ["id": "rdc-4", "title": "Tshisekedy à Lubumbashi", "body": "Une coquille dans le nom.", "date": "2024-04-02"],
        ["id": "ci-1", "title": "Alassane Ouattara réélu", "body": "Ouattara remporte le scrutin.", "date": "2020-11-01"],
        ["id": "ci-2", "title": "Ouattara à Paris", "body": "Le président Ouattara rencontre Macron.", "date": "2021-01-01"],
        ["id": "hcq-1", "title": "L’hydroxychloroquine en débat", "body": "L’hydroxychloroquine divise.", "date": "2020-06-03"],
        ["id": "hcq-2", "title": "Essai clinique", "body": "Un essai sur l’hydroxychloroquine.", "date": "2020-06-04"],
    ] }
    static let database = try! TestSupport.index(records: records)

    func summary(_ query: String, fuzzy: Bool = false, correctsTypos: Bool = false) throws -> (SearchSummary, [String]) {
        var options = SearchOptions()
        options.suggestions = true
        options.fuzzy = fuzzy
        options.correctsTypos = correctsTypos
        let result = try Searcher(index: DispatchIndex(path: Self.database, readOnly: true)).search(query, options: options)
        return (result.summary, result.hits.map(\.id))
    }

    @Test func misspeltNamesAreCorrectedFromTheIndexVocabulary() throws {
        // Written as the documents write them: accents and case, without an elided article.
        #expect(try summary("Tshisekdi").0.suggestions == [Suggestion(query: "Tshisekedi", total: 3)])
        #expect(try summary("Ouattarra").0.suggestions == [Suggestion(query: "Ouattara", total: 2)])
        #expect(try summary("hydroxichloroquine").0.suggestions == [Suggestion(query: "hydroxychloroquine", total: 2)])
        #expect(try summary("Felix Tshisekdi").0.suggestions == [Suggestion(query: "Felix Tshisekedi", total: 2)])
        // The correct words are kept as typed; the query is corrected one word at a time.
        #expect(try summary("Tshisekdi Kabila").0.suggestions == [Suggestion(query: "Tshisekedi Kabila", total: 1)])
    }

    @Test func aRareWordOfAQueryFoundAsTypedIsNeverCorrected() throws {
        // `Kabila` is held by one dispatch only (a correctly typed rare name): found as
        // typed, it is kept; `Kabilla`, held by none, is corrected.
        #expect(try summary("Kabila").0.suggestions.isEmpty)
        #expect(try summary("Kabilla").0.suggestions == [Suggestion(query: "Kabila", total: 1)])
        // `Tshisekedy` (a typo one dispatch holds) is kept when searched alone, found as
        // typed; with a word no dispatch has beside it, it may be a typo too.
        #expect(try summary("Tshisekedy").0.suggestions.isEmpty)
        #expect(try summary("Tshisekedy Kabila").0.suggestions == [Suggestion(query: "Tshisekedi Kabila", total: 1)])
    }

    @Test func aQueryThatFindsEnoughGetsNoSuggestionAndNoCost() throws {
        #expect(try summary("Tshisekedi").0.suggestions.isEmpty)
        #expect(try summary("zzzqx").0.suggestions.isEmpty)
    }

    @Test func fuzzySearchesTheCorrectionBesideTheWordTyped() throws {
        let (found, ids) = try summary("Tshisekdi", fuzzy: true)
        #expect(found.nearSpellings == ["Tshisekedi"] && found.total == 3)
        #expect(Set(ids) == ["rdc-1", "rdc-2", "rdc-3"])
    }

    @Test func aTypoNoDispatchHasListsTheCorrectionInstead() throws {
        // Any-word fallback ("Kabila" alone) replaced by the correction's full matches.
        let (corrected, ids) = try summary("Tshisekdi Kabila", correctsTypos: true)
        #expect(corrected.correctedFrom == "Tshisekdi Kabila" && corrected.correctedQuery == "Tshisekedi Kabila")
        #expect(!corrected.relaxed && corrected.total == 1 && ids == ["rdc-1"] && corrected.suggestions.isEmpty)
        // A query some dispatch has as typed is never replaced.
        let (kept, _) = try summary("Tshisekedi", correctsTypos: true)
        #expect(kept.correctedFrom == nil && kept.total == 3)
    }

    @Test func aDoubledLetterCostsHalfAndASwapOne() {
        #expect(Suggester.cost("ouattarra", "ouattara") == 0.5)
        #expect(Suggester.cost("tshisekdi", "tshisekedi") == 1)
        #expect(Suggester.cost("tshiskeedi", "tshisekedi") == 1)
        #expect(Suggester.cost("macron", "micron") == 1)
    }

    @Test func suggestionsShowInTheTableAndJSONOnly() throws {
        // The table and JSON list the correction's hits, said as such, and exit 1: no
        // dispatch matches the query as written.
        let table = try CLI.run(["search", "Tshisekdi", "--db", Self.database])
        #expect(table.status == 1)
        #expect(table.stdout.contains("\nno dispatch has every word of \"Tshisekdi\": showing results for \"Tshisekedi\" (--as-typed searches the words as typed)\n"), "\(table.stdout)")
        #expect(table.stdout.contains("rdc-1") && table.stdout.contains("rdc-3"))
        let json = try CLI.run(["search", "Tshisekdi", "--db", Self.database, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(json.status == 1 && object["corrected_from"] as? String == "Tshisekdi" && object["corrected_query"] as? String == "Tshisekedi")
        #expect((object["hits"] as! [[String: Any]]).count == 3 && object["total"] as? Int == 3)
        // As typed: nothing found, the correction proposed.
        let typed = try CLI.run(["search", "Tshisekdi", "--db", Self.database, "--as-typed"])
        #expect(typed.status == 1 && typed.stdout.contains("\ndid you mean: Tshisekedi (3 hits)?\n"), "\(typed.stdout)")
        let typedJSON = try CLI.run(["search", "Tshisekdi", "--db", Self.database, "--format", "json", "--as-typed"])
        #expect(typedJSON.stdout.contains("\"suggestions\":[{\"query\":\"Tshisekedi\",\"total\":3}]"), "\(typedJSON.stdout)")
        #expect(typedJSON.stdout.contains("\"corrected_from\":null"))
        // -c and -q ask about the words as written.
        #expect(try CLI.run(["search", "-c", "Tshisekdi", "--db", Self.database]).stdout == "0\n")
        for format in ["ids", "csv"] {
            let run = try CLI.run(["search", "Tshisekdi", "--db", Self.database, "--format", format])
            #expect(!run.stdout.lowercased().contains("tshisekedi") && !run.stderr.lowercased().contains("tshisekedi"), "\(format)")
        }
        let fuzzy = try CLI.run(["search", "Tshisekdi", "--db", Self.database, "--fuzzy", "--format", "ids"])
        #expect(fuzzy.status == 0 && fuzzy.stdout.split(separator: "\n").count == 3)
    }
}
