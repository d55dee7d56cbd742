import Foundation
import GRDB
import Testing
@testable import DepecheAnalysis
@testable import DepecheIndex
@testable import DepecheIndexing
@testable import DepecheSearch
import DepecheModel

/// Story groups (#18): versions of one story share a group; other stories do not.
@Suite("Story groups")
struct StoryGroupTests {
    static let story = """
        La compagnie minière nationale a annoncé mardi la fermeture de son site de Kolwezi pour une durée de trois semaines, \
        après l'effondrement d'une galerie qui a fait quatre blessés parmi les ouvriers. Les autorités provinciales ont \
        ouvert une enquête pour déterminer les causes de l'accident, le deuxième en six mois sur ce site. Selon le \
        directeur de l'exploitation, la production de cuivre reprendra dès que les galeries auront été inspectées par \
        des ingénieurs indépendants venus de Lubumbashi.
        """
    /// The same story with a corrected figure (five injured, not four).
    static let corrected = story.replacingOccurrences(of: "quatre blessés", with: "cinq blessés")
    /// Another story on the same topic, the same day.
    static let otherStory = """
        Les exportations de cuivre de la province du Lualaba ont progressé de douze pour cent au premier semestre, \
        portées par la hausse des cours mondiaux et la mise en service de deux nouvelles usines de traitement. Le \
        gouverneur a salué ces chiffres lors d'une conférence de presse, tout en appelant les entreprises minières à \
        investir davantage dans les routes de la région, où les camions attendent parfois plusieurs jours aux frontières.
        """

    func record(_ id: String, _ title: String, _ body: String, _ date: String) -> [String: Any] {
        ["id": id, "title": title, "body": body, "date": date]
    }

    /// Writes `records` to `file` in `folder` and indexes it into `folder`/index.sqlite.
    func index(_ records: [[String: Any]], as file: String, in folder: String, options: IndexRunOptions = IndexRunOptions()) throws {
        try TestSupport.write(records, to: folder + "/" + file)
        _ = try IndexUpdater.run(paths: [folder + "/" + file], databasePath: folder + "/index.sqlite", options: options)
    }

    /// The story id of each dispatch id.
    func stories(in database: String) throws -> [String: Int64] {
        let queue = try DatabaseQueue(path: database)
        return try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT d.id, s.story FROM dispatches d JOIN story_members s ON s.rowid = d.rowid")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as String, $0["story"] as Int64) })
        }
    }

    func signature(_ text: String) throws -> StorySignature? {
        let analyzer = try FrenchAnalyzer()
        var builder = StorySignature.Builder()
        var text = text
        text.withUTF8 { bytes in
            analyzer.forEachTerm(in: bytes, for: .document) { term, colocated, _ in
                if !colocated { builder.add(term) }
                return true
            }
        }
        return builder.signature
    }

    @Test func aCorrectedFigureKeepsMostOfTheSignatureAndAnotherStoryOnTheTopicShareslittle() throws {
        let original = try #require(try signature(Self.story))
        let corrected = try #require(try signature(Self.corrected))
        let other = try #require(try signature(Self.otherStory))
        #expect(original.similarity(to: original) == 1)
        #expect(original.similarity(to: corrected) >= 0.75)
        #expect(original.similarity(to: other) < 0.1)
        // The encoded form reads back as the same signature.
        #expect(original.encoded.withUnsafeBytes { StorySignature(encoded: $0) } == original)
    }

    @Test func anUpdateThatDoublesAStoryIsContainedInIt() throws {
        let first = try #require(try signature(Self.story))
        let update = try #require(try signature(Self.otherStory + " " + Self.story))
        #expect(first.similarity(to: update) < 0.6)
        #expect(first.containment(with: update) >= 0.6)
    }

    @Test func aOneLineBriefHasNoSignature() throws {
        #expect(try signature("Séisme de magnitude 5 au large de Tokyo.") == nil)
    }

    @Test func versionsOfAStoryAreGroupedAndAnotherStoryOnTheTopicIsNot() throws {
        let database = try TestSupport.index(records: [
            record("a", "Effondrement dans une mine de Kolwezi", Self.story, "2025-08-19"),
            record("b", "Effondrement dans une mine de Kolwezi - actualite.cd", Self.corrected, "2025-08-19"),
            record("c", "Le cuivre du Lualaba en hausse", Self.otherStory, "2025-08-19"),
            // The same words a month later: a recurring text, not the same story.
            record("d", "Effondrement dans une mine de Kolwezi", Self.corrected + " Rappel.", "2025-09-20"),
        ])
        let stories = try stories(in: database)
        #expect(stories["a"] == stories["b"])
        #expect(stories["a"] != stories["c"])
        #expect(stories["a"] != stories["d"])
        #expect(Set(stories.values).count == 3)
    }

    @Test func anIncrementalRunJoinsExistingStoriesAndPruningSplitsThemAgain() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/index.sqlite"
        try index([record("a", "Effondrement à Kolwezi", Self.story, "2025-08-19"),
                   record("c", "Le cuivre du Lualaba en hausse", Self.otherStory, "2025-08-19")], as: "one.jsonl", in: folder)
        try index([record("b", "Effondrement à Kolwezi (bilan corrigé)", Self.corrected, "2025-08-19")], as: "two.jsonl", in: folder)
        var grouped = try stories(in: database)
        #expect(grouped["a"] == grouped["b"] && grouped["a"] != grouped["c"])
        // The first version's file goes: the update is a story of its own again, named by its own rowid.
        try FileManager.default.removeItem(atPath: folder + "/one.jsonl")
        var options = IndexRunOptions()
        options.prune = true
        _ = try IndexUpdater.run(paths: [folder + "/two.jsonl"], databasePath: database, options: options)
        grouped = try stories(in: database)
        #expect(grouped.keys.sorted() == ["b"])
        let queue = try DatabaseQueue(path: database)
        let rowid = try queue.read { try Int64.fetchOne($0, sql: "SELECT rowid FROM dispatches WHERE id = 'b'") }
        #expect(grouped["b"] == rowid)
    }

    /// A daily bulletin of 150 words, `day` of them changed four words at a time.
    static func bulletin(day: Int) -> String {
        let words = ["marché", "cours", "cacao", "café", "coton", "Abidjan", "planteurs", "récolte", "prix", "tonne",
                     "export", "port", "pluie", "saison", "stock", "vente", "achat", "usine", "négoce", "bourse"]
        return (0..<150).map { position in
            position < day * 4 ? "jour\(position / 4)mot\(position % 4)" : "\(words[position % words.count])\(position)"
        }.joined(separator: " ") + "."
    }

    @Test func aBulletinThatChangesAFewWordsADayIsNoSingleStory() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/index.sqlite"
        let days = (1...20).map { record("j\($0)", "Bulletin des marchés", Self.bulletin(day: $0), "2025-03-\(String(format: "%02d", $0))") }
        for (number, day) in days.enumerated() { try index([day], as: "day\(number).jsonl", in: folder) }
        let incremental = try stories(in: database)
        // Each day is similar to the day before, but a story stays similar to its first member.
        #expect(incremental["j1"] == incremental["j2"])
        #expect(incremental["j1"] != incremental["j20"])
        let sizes = Dictionary(grouping: incremental.values, by: { $0 }).values.map(\.count)
        #expect(sizes.count >= 3 && sizes.max()! <= StoryGroups.daysApart, "\(sizes)")
        // A rebuild groups them the same way.
        _ = try IndexUpdater.run(paths: (0..<20).map { folder + "/day\($0).jsonl" }, databasePath: database, options: IndexRunOptions(rebuild: true))
        let rebuilt = try stories(in: database)
        #expect(Set(Dictionary(grouping: rebuilt.keys, by: { rebuilt[$0]! }).values.map { Set($0) })
                == Set(Dictionary(grouping: incremental.keys, by: { incremental[$0]! }).values.map { Set($0) }))
    }

    @Test func aStoryGivenANewTextLeavesItsGroup() throws {
        let folder = try TestSupport.temporaryFolder()
        let database = folder + "/index.sqlite"
        try index([record("a", "Effondrement à Kolwezi", Self.story, "2025-08-19"),
                   record("b", "Effondrement à Kolwezi", Self.corrected, "2025-08-19")], as: "one.jsonl", in: folder)
        #expect(try stories(in: database)["a"] == stories(in: database)["b"])
        try index([record("a", "Effondrement à Kolwezi", Self.story, "2025-08-19"),
                   record("b", "Le cuivre du Lualaba", Self.otherStory, "2025-08-19")], as: "one.jsonl", in: folder)
        let grouped = try stories(in: database)
        #expect(grouped["a"] != grouped["b"])
    }
}

/// Collapsed hit lists (#18): one hit per story, pages of stories.
@Suite("Collapsed search")
struct CollapsedSearchTests {
    static let versions = [StoryGroupTests.story, StoryGroupTests.corrected, StoryGroupTests.corrected + " Le site emploie trois cents ouvriers."]
    static let other = StoryGroupTests.otherStory

    /// Story A in three versions (the last the newest), story B in two, story C alone; all
    /// about copper, all matching `cuivre`.
    static func collection() throws -> String {
        var records: [[String: Any]] = []
        for (index, body) in versions.enumerated() {
            records.append(["id": "a\(index + 1)", "title": "Kolwezi : une mine fermée", "body": body, "date": "2025-08-1\(index + 1)", "source": ["ACP", "Radio Okapi", "actualite.cd"][index]])
        }
        for index in 0..<2 {
            records.append(["id": "b\(index + 1)", "title": "Lualaba : le cuivre en hausse", "body": other + String(repeating: " Encore.", count: index), "date": "2025-08-13", "source": "ACP"])
        }
        records.append(["id": "c", "title": "Le cuivre congolais", "body": "Le cuivre congolais part vers la Zambie par la route, où les camions attendent aux frontières plusieurs jours durant.", "date": "2025-07-01"])
        return try TestSupport.index(records: records)
    }

    func search(_ database: String, limit: Int = 10, offset: Int = 0, collapse: Bool = true) throws -> SearchResult {
        var options = SearchOptions()
        options.collapse = collapse
        options.limit = limit
        options.offset = offset
        return try Searcher(index: DispatchIndex(path: database, readOnly: true)).search("cuivre", options: options)
    }

    @Test func aCollapsedListShowsEachStoryOnceWithTheOthersThatMatch() throws {
        let database = try Self.collection()
        let flat = try search(database, collapse: false)
        #expect(flat.total == 6 && flat.hits.count == 6 && flat.summary.stories == nil)
        let collapsed = try search(database)
        #expect(collapsed.total == 6 && collapsed.summary.stories == 3)
        #expect(collapsed.hits.count == 3)
        #expect(Set(collapsed.hits.map { $0.id.prefix(1) }) == ["a", "b", "c"])
        #expect(collapsed.hits.map(\.rank) == [1, 2, 3])
        // Each story is shown by its best-ranked dispatch, the first of its story in the flat list.
        for hit in collapsed.hits {
            let first = flat.hits.first { $0.story == hit.story }
            #expect(first?.id == hit.id)
        }
        let a = try #require(collapsed.hits.first { $0.id.hasPrefix("a") })
        #expect(a.similar.count == 2 && a.similar.allSatisfy { $0.id.hasPrefix("a") && $0.id != a.id })
        #expect(collapsed.hits.first { $0.id == "c" }?.similar == [])
    }

    @Test func collapsedPagesCountStories() throws {
        let database = try Self.collection()
        let all = try search(database).hits.map(\.id)
        let first = try search(database, limit: 2)
        let second = try search(database, limit: 2, offset: 2)
        #expect(first.hits.map(\.id) == Array(all.prefix(2)))
        #expect(second.hits.map(\.id) == [all[2]] && second.hits.map(\.rank) == [3])
        #expect(try search(database, limit: 2, offset: 3).hits.isEmpty)
    }

    @Test func theCommandLineCollapsesTheTableAndSaysSoInJSONAndColumns() throws {
        let database = try Self.collection()
        let table = try CLI.run(["search", "cuivre", "--db", database])
        #expect(table.status == 0 && table.stdout.hasPrefix("6 hits in 3 stories for \"cuivre\""))
        #expect(table.stdout.contains("+2 similar: "))
        let flat = try CLI.run(["search", "cuivre", "--db", database, "--no-collapse"])
        #expect(flat.stdout.hasPrefix("6 hits for \"cuivre\""))
        let json = try CLI.run(["search", "cuivre", "--db", database, "--format", "json", "--collapse"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == 6 && object["stories"] as? Int == 3)
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.count == 3 && hits.allSatisfy { $0["group"] is Int && $0["similar"] is [String] })
        // Scripts read one dispatch a row unless they ask: export does not collapse by default.
        let export = try CLI.run(["export", "cuivre", "--db", database, "--format", "csv", "--fields", "id,group"])
        let rows = export.stdout.split(separator: "\r\n").dropFirst()
        #expect(rows.count == 6)
        let groups = Dictionary(rows.map { row in (String(row.split(separator: ",")[0]), String(row.split(separator: ",")[1])) }, uniquingKeysWith: { a, _ in a })
        #expect(groups["a1"] == groups["a2"] && groups["a1"] == groups["a3"] && groups["a1"] != groups["b1"] && groups["b1"] == groups["b2"])
    }
}

/// `depeche similar` and `show`'s story (#18).
@Suite("More like this")
struct SimilarTests {
    @Test func similarLeavesOutItsOwnStoryUnlessAskedAndRanksTheTopicFirst() throws {
        let database = try CollapsedSearchTests.collection()
        let similar = try CLI.run(["similar", "a1", "--db", database, "--format", "ids"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let ids = similar.stdout.split(separator: "\n").map(String.init)
        #expect(!ids.contains { $0.hasPrefix("a") })
        #expect(ids.first?.hasPrefix("b") == true || ids.first == "c")
        let withStory = try CLI.run(["similar", "a1", "--db", database, "--format", "ids", "--same-story"])
        let all = withStory.stdout.split(separator: "\n").map(String.init)
        #expect(Array(all.prefix(2)).sorted() == ["a2", "a3"] && !all.contains("a1"))
        let table = try CLI.run(["similar", "a1", "--db", database])
        #expect(table.stdout.contains(" similar to a1 ("))
        let missing = try CLI.run(["similar", "zz", "--db", database])
        #expect(missing.status == 2 && missing.stderr == "depeche: no dispatch with id 'zz' in \(database)\n")
    }

    @Test func theTermsAskedAreTheDispatchsDistinctiveOnesAndBounded() throws {
        let database = try CollapsedSearchTests.collection()
        let found = try #require(try MoreLikeThis.query(for: "b1", in: DispatchIndex(path: database, readOnly: true)))
        // Each term asked by its own form (`=term`), as one alternative of the match.
        let phrases = try #require(found.query?.match).phrases
        #expect(phrases.count <= MoreLikeThis.terms && phrases.allSatisfy { $0.forms == .own && $0.column == nil })
        #expect(found.query?.text == phrases.map { "=" + $0.text }.joined(separator: " OR "))
        let terms = phrases.map(\.text)
        // Shared with another dispatch (c): asked; function words never.
        #expect(terms.contains("camions") || terms.contains("camion"))
        #expect(!terms.contains("les") && !terms.contains("de"))
    }

    @Test func showListsTheOtherDispatchesOfItsStory() throws {
        let database = try CollapsedSearchTests.collection()
        let text = try CLI.run(["show", "a1", "--db", database])
        #expect(text.stdout.contains("Same story: 2 other dispatches\n  2025-08-12 · Radio Okapi · a2  Kolwezi : une mine fermée\n"))
        let json = try CLI.run(["show", "c", "--db", database, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["group"] is Int && (object["similar"] as? [Any])?.isEmpty == true)
    }
}
