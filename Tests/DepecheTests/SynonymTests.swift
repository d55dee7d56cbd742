import Foundation
import Testing
@testable import DepecheAnalysis
@testable import DepecheIndex
@testable import DepecheModel
@testable import DepecheSearch

/// Concepts: a query typing one expression of a synonym set also finds the dispatches
/// that write another, below those that write what was typed.
@Suite("Synonyms: the other names of a concept")
struct SynonymTests {
    static var records: [[String: Any]] { [
        ["id": "onu", "title": "L’ONU appelle au cessez-le-feu", "body": "L’ONU demande une trêve.", "date": "2019-01-10"],
        ["id": "nations-unies", "title": "Appel des Nations unies", "body": "Les Nations unies réclament une trêve humanitaire.", "date": "2021-05-01"],
        ["id": "covid", "title": "Covid-19 : nouveau bilan", "body": "Le Covid-19 a fait dix morts.", "date": "2020-04-01"],
        ["id": "coronavirus", "title": "Le coronavirus progresse", "body": "Le coronavirus gagne du terrain.", "date": "2021-02-01"],
        ["id": "republicains", "title": "Les républicains américains au Congrès", "body": "Les républicains votent contre.", "date": "2020-11-01"],
        ["id": "centre-donnees", "title": "Un centre de données à Dakar", "body": "Le centre de données ouvre.", "date": "2022-03-01"],
        ["id": "data-center", "title": "Un data center à Kinshasa", "body": "Le data center ouvre.", "date": "2019-03-01"],
        ["id": "union", "title": "Union douanière", "body": "Une union des douanes.", "date": "2020-10-01"],
    ] }
    static let database = try! TestSupport.index(records: records)

    func search(_ query: String, synonyms: Synonyms = .shipped) throws -> SearchResult {
        var options = SearchOptions()
        options.limit = 20
        options.synonyms = synonyms
        return try Searcher(index: DispatchIndex(path: Self.database, readOnly: true)).search(query, options: options)
    }

    func ids(_ query: String, synonyms: Synonyms = .shipped) throws -> [String] {
        try search(query, synonyms: synonyms).hits.map(\.id)
    }

    @Test func aQueryFindsTheOtherNamesOfItsConceptBelowTheWordsTyped() throws {
        // The synonym-only dispatches are the newer ones: the words typed still come first.
        #expect(try ids("ONU") == ["onu", "nations-unies"])
        #expect(try ids("Nations unies") == ["nations-unies", "onu"])
        #expect(try ids("data center") == ["data-center", "centre-donnees"])
        #expect(try ids("centres de données") == ["centre-donnees", "data-center"])
        #expect(try ids("coronavirus") == ["coronavirus", "covid"])
        // A hyphenated word is one term, and still an expression of its set.
        #expect(try ids("Covid-19") == ["covid", "coronavirus"])
    }

    @Test func withoutSynonymsOnlyTheWordsTypedAreSearched() throws {
        #expect(try ids("ONU", synonyms: .none) == ["onu"])
        #expect(try search("ONU", synonyms: .none).summary.alsoSearched.isEmpty)
    }

    @Test func anExpressionMustBeTypedWholeToBeExpanded() throws {
        // `Les Républicains` is not listed, `Union africaine` needs both words.
        #expect(try ids("républicains") == ["republicains"])
        #expect(try search("union").summary.alsoSearched.isEmpty)
        // Quotes and `=` ask for the words typed only.
        #expect(try ids("\"ONU\"") == ["onu"])
        #expect(try ids("=ONU") == ["onu"])
        #expect(try search("ONU trêve").summary.alsoSearched == ["Nations unies", "Organisation des Nations unies"])
    }

    @Test func theSearchSaysWhatItAlsoSearched() throws {
        #expect(try search("onu").summary.alsoSearched == ["Nations unies", "Organisation des Nations unies"])
        let json = try CLI.run(["search", "ONU", "--db", Self.database, "--format", "json"])
        #expect(json.stdout.contains("\"also_searched\":[\"Nations unies\",\"Organisation des Nations unies\"]"), "\(json.stdout)")
        #expect(json.stderr.isEmpty, "\(json.stderr)")
        let table = try CLI.run(["search", "ONU", "--db", Self.database])
        #expect(table.stdout.contains("\nalso searched: Nations unies, Organisation des Nations unies\n"), "\(table.stdout)")
        let csv = try CLI.run(["search", "ONU", "--db", Self.database, "--format", "ids"])
        #expect(csv.stdout == "onu\nnations-unies\n")
        #expect(csv.stderr == "depeche: also searched: Nations unies, Organisation des Nations unies\n")
        let plain = try CLI.run(["search", "ONU", "--db", Self.database, "--format", "ids", "--no-synonyms"])
        #expect(plain.stdout == "onu\n" && plain.stderr.isEmpty)
    }

    @Test func aUserFileAddsItsSetsToTheShippedOnes() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/synonymes.txt"
        try "# ours\ncessez-le-feu, trêve   # a comment\n\n".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try CLI.run(["search", "trêve", "--db", Self.database, "--format", "ids", "--synonyms", file])
        #expect(run.stdout == "nations-unies\nonu\n" || run.stdout == "onu\nnations-unies\n", "\(run.stdout)")
        #expect(run.stderr == "depeche: also searched: cessez-le-feu\n")
        // The shipped sets still apply, unless --no-synonyms.
        #expect(try CLI.run(["search", "ONU", "--db", Self.database, "--format", "ids", "--synonyms", file]).stdout == "onu\nnations-unies\n")
        #expect(try CLI.run(["search", "ONU", "--db", Self.database, "--format", "ids", "--synonyms", file, "--no-synonyms"]).stdout == "onu\n")
    }

    @Test func aBadSynonymFileIsAnErrorNamingItsLine() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder + "/bad.txt"
        try "ONU, Nations unies\nseul\n".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try CLI.run(["search", "ONU", "--db", Self.database, "--synonyms", file])
        #expect(run.status == 2)
        #expect(run.stderr == "depeche: \(file):2: a line needs two expressions or more, separated by commas\n")
        #expect(throws: SynonymFileError(origin: "f", line: 1, problem: "one-way rules (=>) are not supported: list expressions that mean the same, separated by commas")) {
            try Synonyms(text: "ONU => Nations unies", origin: "f")
        }
        let missing = try CLI.run(["search", "ONU", "--db", Self.database, "--synonyms", folder + "/none.txt"])
        #expect(missing.status == 2 && missing.stderr == "depeche: --synonyms \(folder)/none.txt: no such file\n", "\(missing.stderr)")
    }

    @Test func aControlCharacterInASynonymFileIsAnErrorNamingItsLine() throws {
        let file = try TestSupport.temporaryFolder() + "/nul.txt"
        try "ONU, Nations unies\nRosatom, Ros\u{0}atom\n".write(toFile: file, atomically: true, encoding: .utf8)
        for command in [["search", "Rosatom"], ["stats", "Rosatom"], ["export", "Rosatom"]] {
            let run = try CLI.run(command + ["--db", Self.database, "--synonyms", file])
            #expect(run.status == 2 && run.stderr == "depeche: \(file):2: control character U+0000: a synonym file is text\n", "\(run.stderr)")
        }
    }

    @Test func aQueryReadsOnlyTheExpressionsOfItsOwnWords() throws {
        // 20,000 sets whose words all begin with `fra`: `france` finds none of them to
        // analyze (they shared its bucket when buckets were three letters).
        let text = (0..<20_000).map { "fra\($0)x, autre\($0)y" }.joined(separator: "\n")
        let synonyms = try Synonyms(text: text, origin: "f")
        #expect(synonyms.entries(ofKeyWord: "france").isEmpty)
        #expect(synonyms.entries(ofKeyWord: "fra12x").count == 1)
        // Singular and plural share a bucket.
        let plural = try Synonyms(text: "centres de données, data centers", origin: "f")
        #expect(plural.entries(ofKeyWord: "centre").count == 1 && plural.entries(ofKeyWord: "data").count == 1)
    }

    @Test func aSynonymFileIsBoundedInSizeAndInExpressionsPerWord() throws {
        let crowded = (0...Synonyms.mostExpressionsPerWord).map { "banque \($0), autre \($0)" }.joined(separator: "\n")
        #expect(throws: SynonymFileError(origin: "f", line: Synonyms.mostExpressionsPerWord + 1,
                                         problem: "more than \(Synonyms.mostExpressionsPerWord) expressions begin with \"banque\": a word may begin at most \(Synonyms.mostExpressionsPerWord)")) {
            try Synonyms(text: crowded, origin: "f")
        }
        let file = try TestSupport.temporaryFolder() + "/big.txt"
        try String(repeating: "ONU, Nations unies\n", count: Synonyms.largestFile / 19 + 1).write(toFile: file, atomically: true, encoding: .utf8)
        let run = try CLI.run(["search", "ONU", "--db", Self.database, "--synonyms", file])
        #expect(run.status == 2 && run.stderr == "depeche: --synonyms \(file): too large: over 4 MB of text for a synonym file\n", "\(run.stderr)")
    }

    @Test func theShippedListGivesEachExpressionOneConcept() throws {
        let analyzer = try FrenchAnalyzer()
        var setsOfKey: [[String]: Set<Int>] = [:]
        for (set, expressions) in Synonyms.shipped.sets.enumerated() {
            #expect(expressions.count >= 2)
            for expression in expressions {
                let key = Synonyms.key(of: expression, analyzer: analyzer)
                #expect(!key.isEmpty, "\(expression)")
                setsOfKey[key, default: []].insert(set)
                // Typed as its own words, each expression finds its set (its lookup bucket is right).
                let found = Synonyms.shipped.matches(inGroups: key.map { [$0] }, analyzer: analyzer)
                #expect(found.first?.groups == 0..<key.count, "\(expression)")
            }
        }
        #expect(setsOfKey.filter { $0.value.count > 1 }.isEmpty)
        #expect(Synonyms.shipped.sets.count >= 40)
    }

    @Test func keysCompareWordsByTheirFormsWithoutUbiquitousFunctionWords() throws {
        let analyzer = try FrenchAnalyzer()
        #expect(Synonyms.key(of: "centres de données", analyzer: analyzer) == ["centre", "donnee"])
        #expect(Synonyms.key(of: "Centre de Données", analyzer: analyzer) == ["centre", "donnee"])
        #expect(Synonyms.key(of: "Covid-19", analyzer: analyzer) == ["covid", "19"])
        #expect(Synonyms.key(of: "République démocratique du Congo", analyzer: analyzer) == ["republique", "democratique", "congo"])
        let matches = Synonyms.shipped.matches(inGroups: [["etat"], ["uni"], ["election"]], analyzer: analyzer)
        #expect(matches == [Synonyms.Match(groups: 0..<2, alternatives: ["USA"])])
    }
}
