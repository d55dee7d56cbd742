import Testing
import Foundation
import GRDB
@testable import DepecheModel
@testable import DepecheAnalysis
@testable import DepecheRanking
@testable import DepecheIndex
@testable import DepecheSearch
@testable import DepecheOutput

@Suite("Search and ranking")
struct SearchTests {
    /// Filler that keeps bodies the same length, so that bm25 compares like with like.
    static let filler = "Les discussions ont porté sur le calendrier des travaux et sur le financement du projet par les partenaires."

    func search(_ database: String, _ query: String, configure: (inout SearchOptions) -> Void = { _ in }) throws -> SearchResult {
        var options = SearchOptions()
        options.limit = 50
        configure(&options)
        return try Searcher(index: DispatchIndex(path: database, readOnly: true)).search(query, options: options)
    }

    @Test func betweenEquallyRelevantDispatchesTheNewerRanksFirst() throws {
        let database = try TestSupport.index(records: [
            ["id": "old", "title": "Port de Kribi", "body": "Un cargo minéralier accoste au port de Kribi. " + Self.filler, "date": "2019-03-01"],
            ["id": "new", "title": "Port de Kribi", "body": "Un navire minéralier accoste au port de Kribi. " + Self.filler, "date": "2021-03-01"],
        ])
        #expect(try search(database, "minéralier Kribi").hits.map(\.id) == ["new", "old"])
        #expect(try search(database, "minéralier Kribi") { $0.sort = .date }.hits.map(\.id) == ["new", "old"])
    }

    @Test func strongOldTitleMatchBeatsFreshPassingMention() throws {
        let database = try TestSupport.index(records: [
            ["id": "title-match", "title": "Rosatom veut construire un data center au Congo",
             "body": "La délégation a rencontré le ministre. " + Self.filler, "date": "2016-05-10"],
            ["id": "passing-mention", "title": "Revue de la semaine économique",
             "body": Self.filler + " Parmi les sujets, un data center évoqué avec Rosatom. " + Self.filler + " " + Self.filler,
             "date": "2020-12-01"],
        ])
        #expect(try search(database, "Rosatom data center").hits.map(\.id) == ["title-match", "passing-mention"])
        #expect(try search(database, "Rosatom data center") { $0.sort = .relevance }.hits.first?.id == "title-match")
        #expect(try search(database, "Rosatom data center") { $0.sort = .date }.hits.first?.id == "passing-mention")
    }

    @Test func filtersOnDatesSourcesAndCategoriesIgnoreCaseAndAccents() throws {
        let database = try TestSupport.index(records: [
            ["id": "a", "title": "Pêche à Kayar", "body": "Les pêcheurs.", "date": "2020-01-05", "source": "APS", "category": "Économie"],
            ["id": "b", "title": "Pêche à Joal", "body": "Les pêcheurs.", "date": "2021-06-05", "source": "AGP", "category": "Société"],
            ["id": "c", "title": "Pêche à Mbour", "body": "Les pêcheurs.", "source": "APS", "category": "societe"],
        ])
        #expect(try search(database, "peche") { $0.filters.since = Day(iso: "2021-01-01") }.hits.map(\.id) == ["b"])
        #expect(try search(database, "peche") { $0.filters.until = Day(iso: "2020-12-31") }.hits.map(\.id) == ["a"])
        #expect(Set(try search(database, "peche") { $0.filters.allow(["aps"], of: .source) }.hits.map(\.id)) == ["a", "c"])
        // Two sources given are alternatives (one filter), not both at once.
        var filters = Filters()
        filters.allow(["aps"], of: .source)
        filters.allow(["afp"], of: .source)
        #expect(filters.metadata == [MetadataFilter(field: .source, values: ["aps", "afp"], excluded: false)])
        #expect(Set(try search(database, "peche category:SOCIETE").hits.map(\.id)) == ["b", "c"])
        #expect(try search(database, "peche -source:aps").hits.map(\.id) == ["b"])
        #expect(try search(database, "source:APS").hits.map(\.id) == ["a", "c"])
    }

    @Test func noDispatchWithEveryWordRelaxesToAnyWordAndSaysSo() throws {
        let database = try TestSupport.index(records: [
            ["id": "a", "title": "Rosatom au Congo", "body": "Une délégation.", "date": "2020-12-10"],
            ["id": "b", "title": "La météo", "body": "Il pleut.", "date": "2020-12-10"],
        ])
        let result = try search(database, "Rosatom pingouin")
        #expect(result.relaxed)
        #expect(result.hits.map(\.id) == ["a"])
        #expect(try !search(database, "Rosatom Congo").relaxed)
        #expect(try search(database, "pingouin manchot").hits.isEmpty)
    }

    @Test func relaxedHitsWithMoreOfTheWordsComeFirst() throws {
        let database = try TestSupport.index(records: [
            // One rare word, very relevant to it alone, and fresh.
            ["id": "one-word", "title": "Kribi Kribi Kribi", "body": "Kribi.", "date": "2021-01-01"],
            ["id": "two-words", "title": "Le port et le cacao", "body": "Un long texte sur le port, le cacao et bien d'autres choses encore.", "date": "2015-01-01"],
            ["id": "unrelated", "title": "Météo", "body": "Il pleut.", "date": "2021-01-01"],
        ])
        let result = try search(database, "Kribi port cacao pingouin")
        #expect(result.relaxed)
        #expect(result.hits.map(\.id) == ["two-words", "one-word"])
        #expect(try search(database, "Kribi port cacao pingouin") { $0.sort = .date }.hits.map(\.id) == ["two-words", "one-word"])
    }

    @Test func snippetsMarkStemmedAndFoldedMatches() throws {
        let database = try TestSupport.index(records: [
            ["id": "a", "title": "Scrutin", "body": "Les élections présidentielles auront lieu en mars.", "date": "2020-12-10"],
        ])
        let snippet = try search(database, "election").hits[0].snippet
        #expect(snippet.marked(open: "[", close: "]").contains("[élections]"))
        #expect(snippet.plainText.contains("Les élections présidentielles"))
        #expect(SnippetMarks.mark.render(snippet).contains("<mark>élections</mark>"))
        #expect(SnippetMarks.mark.render(Snippet(parts: [.init(text: "a<b & c", isMatch: false), .init(text: "d", isMatch: true)])) == "a&lt;b &amp; c<mark>d</mark>")
    }

    @Test func pagingSlicesTheSameOrder() throws {
        let records: [[String: Any]] = (1...12).map { number in
            ["id": "d\(number)", "title": "Campagne cacao \(number)", "body": "La campagne du cacao, étape \(number).",
             "date": "2020-01-\(number < 10 ? "0" : "")\(number)"]
        }
        let database = try TestSupport.index(records: records)
        let all = try search(database, "cacao").hits.map(\.id)
        let second = try search(database, "cacao") { $0.offset = 5; $0.limit = 5 }.hits.map(\.id)
        #expect(all.count == 12)
        #expect(second == Array(all[5..<10]))
        #expect(try search(database, "cacao") { $0.limit = 3 }.total == 12)
    }

    @Test func undatedDispatchesComeLastInDateOrder() throws {
        let database = try TestSupport.index(records: [
            ["id": "undated", "title": "Cacao", "body": "Cacao."],
            ["id": "dated", "title": "Cacao", "body": "Le cacao.", "date": "2019-01-01"],
        ])
        #expect(try search(database, "cacao") { $0.sort = .date }.hits.map(\.id) == ["dated", "undated"])
    }

    @Test func hostileQueriesGiveHitsOrAQueryErrorNeverAnSQLError() throws {
        let database = try TestSupport.index(records: [["id": "a", "title": "L’État et le C++", "body": "data center", "date": "2020-01-01"]])
        for query in ["data-center", "l'État", "C++", "(etat", "\"unbalanced", "*", "NOT", "AND OR", "", "'); DROP TABLE dispatches; --",
                      "title:", "NEAR(a b)", "a:b:c", "^data", "\u{0}", "\u{1}", "\u{1}data", "\"\u{1}data center\"", "\"\"", "-", "--", "((()))", "💥 émoji", "مرحبا", "x*y*", "{title}: x"] {
            do {
                _ = try search(database, query)
            } catch is QueryError {
                continue
            } catch {
                Issue.record("\(query.debugDescription) gave \(error)")
            }
        }
        #expect(try search(database, "data").total == 1)
        // The tokenizer's verbatim marker typed in a query is not a way around analysis.
        #expect(try search(database, "\u{1}DATA").total == 1)
    }

    /// Dispatches of varied length, weight and age about cocoa and coffee.
    static func mixedRecords(count: Int) -> [[String: Any]] {
        (0..<count).map { number in
            let day = Day(dayNumber: Day(year: 2018, month: 1, day: 1)!.dayNumber + number * 7 % 900)
            let cocoa = String(repeating: " Le cacao.", count: number % 4)
            let title = number % 5 == 0 ? "Cacao et café \(number)" : "Marchés \(number)"
            var record: [String: Any] = ["id": "m\(number)", "title": title, "body": "Le café du jour.\(cocoa) " + String(filler.prefix(number % 90))]
            if number % 9 != 0 { record["date"] = day.description }
            if number % 3 == 0 { record["standfirst"] = "Cacao : le point." }
            record["source"] = number % 2 == 0 ? "APS" : "AFP"
            return record
        }
    }

    @Test func relevanceIsFTS5Bm25WithTheFieldWeights() throws {
        let index = try DispatchIndex(path: try TestSupport.index(records: Self.mixedRecords(count: 300)), readOnly: true)
        for query in ["cacao", "café cacao", "\"café du jour\"", "cacao OR marchés", "caf*", "café NEAR/2 jour", "title:cacao café"] {
            let match = try CompiledQuery(query).match!.fts5
            let rows = try index.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT -rank, \(RelevanceFunction.name)(dispatch_fts), \(RelevanceFunction.name)(dispatch_fts, (
                        SELECT \(RelevanceFunction.statisticsName)(dispatch_fts) FROM dispatch_fts WHERE dispatch_fts MATCH ?1 LIMIT 1))
                    FROM dispatch_fts WHERE dispatch_fts MATCH ?1
                    """, arguments: [match])
            }
            #expect(rows.count > 10, "\(query)")
            for row in rows {
                // The same operations in the same order as FTS5's: the same doubles.
                let builtIn: Double = row[0], walking: Double = row[1], givenStatistics: Double = row[2]
                #expect(builtIn == walking && builtIn == givenStatistics, "\(query): \(row)")
            }
        }
    }

    /// The ids and scores of the hybrid sort of every match of `query`, computed here as
    /// ``RecencyBlend`` defines it, from every match's relevance and date.
    func expectedBlend(_ index: DispatchIndex, _ query: String, now: Day? = nil) throws -> [(id: String, score: Double)] {
        try index.reading { reader in
            let (plan, count) = try Searcher(index: index).plan(CompiledQuery(query), options: SearchOptions(), page: Page(offset: 0, limit: nil), reader)
            let statistics = count.statistics!
            let candidates = try reader.candidates(plan.selection, statistics: statistics)
            let ids = Dictionary(uniqueKeysWithValues: try Row.fetchAll(reader.db, sql: "SELECT rowid, id FROM dispatches").map { ($0[0] as Int64, $0[1] as String) })
            // Below the ceiling within each tier of words found in their exact form.
            #expect(candidates.allSatisfy { $0.relevance.truncatingRemainder(dividingBy: statistics.ceiling) < statistics.ceiling })
            let floor = RecencyBlend.floor(forMatches: candidates.count, broadFloor: RecencyBlend.defaultFloor)
            return RecencyBlend(floor: floor).rank(candidates, reference: now, relevanceScale: statistics.ceiling)
                .map { (ids[$0.candidate.rowid]!, $0.score) }
        }
    }

    @Test func theTotalIsTheNumberOfMatchesWhateverTheQueryShape() throws {
        let database = try TestSupport.index(records: Self.mixedRecords(count: 300))
        let index = try DispatchIndex(path: database, readOnly: true)
        // One phrase (counted by the statistics) or several (counted by FTS5).
        for query in ["cacao", "title:cacao", "caf*", "\"café du jour\"", "cacao café", "cacao OR marchés", "café -cacao", "title:marchés café"] {
            let compiled = try CompiledQuery(query)
            let expected = try index.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM dispatch_fts WHERE dispatch_fts MATCH ?", arguments: [compiled.match!.fts5])
            }
            // Relevance alone and a prefix in the hybrid sort: counted by the ranking pass.
            for sort in [SortMode.hybrid, .relevance, .date] {
                #expect(try search(database, query) { $0.sort = sort }.total == expected, "\(query) by \(sort)")
            }
            #expect(expected! > 0, "\(query) matches nothing")
        }
        // With filters, counted over the words' forms when every phrase is a word.
        for (query, source) in [("cacao source:aps", "APS"), ("café jour source:afp", "AFP"), ("\"café du jour\" source:aps", "APS")] {
            let compiled = try CompiledQuery(query)
            let expected = try index.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM dispatch_fts JOIN dispatch_facets d ON d.rowid = dispatch_fts.rowid
                    WHERE dispatch_fts MATCH ? AND d.source = ? AND d.date >= '2018-06-01'
                    """, arguments: [compiled.match!.fts5, source])
            }
            #expect(try search(database, query) { $0.filters.since = Day(iso: "2018-06-01") }.total == expected, "\(query)")
            #expect(expected! > 0, "\(query) matches nothing")
        }
    }

    @Test func rankingBuildsTheColumnsOfABlockLeftWithoutThemFromTheFacets() throws {
        let database = try TestSupport.index(records: Self.mixedRecords(count: 300))
        let queries = [("cacao", SortMode.hybrid), ("café", .date), ("caf*", .relevance), ("café source:aps", .hybrid), ("cacao -category:x", .relevance)]
        func pages() throws -> [[String]] {
            try queries.map { query, sort in
                let result = try search(database, query) { $0.sort = sort; $0.filters.since = Day(iso: "2018-06-01") }
                return ["\(result.total)"] + result.hits.map { "\($0.id) \($0.score)" }
            }
        }
        let stored = try pages()
        // As after an incremental run killed before its end.
        try DispatchIndex(path: database).queue.write { try $0.execute(sql: "DELETE FROM dispatch_columns") }
        #expect(try pages() == stored)
    }

    @Test func wordsAskedByTheirFormsAreCountedWordByWordAndMatchWhatTheQueryMatches() throws {
        let database = try TestSupport.index(records: Self.mixedRecords(count: 300) + [
            ["id": "x1", "title": "L'État à N'Djamena", "body": "Le cœur de l’État. Les marchés de N’Djamena et de Ndjamena."],
            ["id": "x2", "title": "Cœur du marché", "body": "Un état des lieux, les coeurs."],
        ])
        let index = try DispatchIndex(path: database, readOnly: true)
        let analyzer = try FrenchAnalyzer()
        for query in ["cacao", "Café", "\"café\"", "=café", "marchés", "l'État", "N'Djamena", "cœur", "jour", "café jour", "l'État cœur N'Djamena", "le café du jour"] {
            let compiled = try CompiledQuery(query)
            #expect(compiled.conjunctionTexts != nil, "\(query)")
            try index.reading { reader in
                let (plan, count) = try Searcher(index: index).plan(compiled, options: SearchOptions(), page: Page(offset: 0, limit: 10), reader)
                guard let groups = plan.groups, case .byWordGroups = plan.counting else {
                    Issue.record("\(query): not asked by its forms")
                    return
                }
                // The words' forms joined by OR select what the query as typed selects.
                #expect(count.total == (try reader.count(matching: compiled.match!)) && count.total > 0, "\(query)")
                #expect(count.total == (try reader.count(matching: groups.match)), "\(query)")
                // Each word's rows counted alone, the idf from that count.
                let holders = try groups.expressions.map { try reader.count(matching: $0) }
                let rows = try reader.totals().rows
                #expect(count.statistics?.documentCounts == holders, "\(query)")
                #expect(count.statistics?.inverseDocumentFrequencies == holders.map { BM25Statistics.inverseDocumentFrequency(holders: $0, rows: rows) })
                #expect(count.statistics?.layout == groups.layout)
            }
        }
        // Several forms at one position, joined by OR, exact first; words of several positions are walked.
        #expect(analyzer.queryForms(atOnePosition: "marchés")?.map(\.term) == ["marche", "~march", "march"])
        #expect(analyzer.queryForms(atOnePosition: "marchés")?.map(\.kind) == [.exact, .stem, .stem])
        #expect(analyzer.queryForms(atOnePosition: "marchés", use: .exact)?.map(\.term) == ["marche"])
        #expect(analyzer.queryForms(atOnePosition: "N'Djamena")?.count ?? 0 > 1)
        #expect(analyzer.queryForms(atOnePosition: "Covid-19") == nil)
        #expect(FullTextMatch.any([.phrase(FullTextPhrase("marche", forms: .term)), .phrase(FullTextPhrase("~march", forms: .term))]).fts5
                == "(\"\u{1}marche\" OR \"\u{1}~march\")")
    }

    @Test func aSinglePhraseCountedWhileRankedGivesTheHitsAndScoresOfTwoWalks() throws {
        let database = try TestSupport.index(records: Self.mixedRecords(count: 300))
        let searcher = Searcher(index: try DispatchIndex(path: database, readOnly: true))
        // An export streams every match after counting with the statistics: the reference.
        func exported(_ query: String, _ options: SearchOptions) throws -> (total: Int, hits: [Hit]) {
            var total = 0, hits: [Hit] = []
            try searcher.streamHits(CompiledQuery(query), options: options, limit: nil, start: { total = $0.total }, hit: { hits.append($0) })
            return (total, hits)
        }
        for (query, sort) in [("cacao", SortMode.relevance), ("title:cacao", .relevance), ("\"café du jour\"", .relevance), ("caf*", .relevance),
                              ("caf*", .hybrid), ("cac*", .hybrid)] {
            #expect(try CompiledQuery(query).isSinglePhrase)
            var options = SearchOptions()
            options.sort = sort
            let all = try exported(query, options)
            #expect(all.hits.count == all.total && all.total > 10, "\(query)")
            for offset in [0, 7] {
                options.offset = offset
                options.limit = 10
                let page = try searcher.search(query, options: options)
                #expect(page.total == all.total, "\(query) by \(sort)")
                #expect(page.hits.map(\.id) == all.hits[offset..<offset + 10].map(\.id), "\(query) by \(sort) from \(offset)")
                for (hit, expected) in zip(page.hits, all.hits[offset...]) {
                    // Relevance: bm25 scaled by the idf after the walk, which rounds differently
                    // in the last bits; hybrid: relevance over its ceiling, with or without the idf.
                    let tolerance = 1e-12 * max(1, abs(expected.score))
                    #expect(abs(hit.score - expected.score) <= tolerance, "\(query) by \(sort): \(hit.id)")
                }
            }
        }
    }

    @Test func hitsAreReadInBatchesInRankOrderWithTheirSnippets() throws {
        let database = try TestSupport.index(records: Self.mixedRecords(count: 300))
        // A prefix reads each batch in one statement; words one statement per hit.
        for query in ["caf*", "café"] {
            let hits = try search(database, query) { $0.limit = Searcher.hitBatch + 20 }.hits
            #expect(hits.map(\.rank) == Array(1...Searcher.hitBatch + 20))
            #expect(hits.allSatisfy { $0.snippet.parts.contains(where: \.isMatch) }, "\(query)")
            let withoutSnippets = try search(database, query) { $0.limit = Searcher.hitBatch + 20; $0.includeSnippet = false }.hits
            #expect(withoutSnippets.map(\.id) == hits.map(\.id))
            #expect(withoutSnippets.allSatisfy { $0.snippet.parts.isEmpty })
        }
        // Without words: the newest first, the opening of the body as the snippet.
        let filtersOnly = try search(database, "source:aps") { $0.limit = Searcher.hitBatch + 5 }
        #expect(filtersOnly.total == 150 && filtersOnly.hits.count == Searcher.hitBatch + 5)
        #expect(filtersOnly.hits.allSatisfy { $0.source == "APS" && $0.snippet.plainText.hasPrefix("Le café du jour.") })
    }

    @Test func theOnePassHybridSortIsTheBlendOfEveryMatchPageByPage() throws {
        let database = try TestSupport.index(records: Self.mixedRecords(count: 300))
        let index = try DispatchIndex(path: database, readOnly: true)
        for query in ["cacao", "café"] {
            let all = try search(database, query) { $0.limit = 1_000 }
            let expected = try expectedBlend(index, query)
            #expect(all.total == expected.count)
            #expect(all.hits.map(\.id) == expected.map(\.id), "\(query)")
            #expect(all.hits.map(\.score) == expected.map(\.score), "\(query)")
            for offset in [0, 7, 20] {
                let page = try search(database, query) { $0.offset = offset; $0.limit = 10 }
                #expect(page.hits.map(\.id) == Array(all.hits.map(\.id)[offset..<offset + 10]), "\(query) from \(offset)")
                #expect(page.hits.map(\.score) == Array(all.hits.map(\.score)[offset..<offset + 10]))
            }
            var export: [String] = []
            try Searcher(index: index).streamHits(CompiledQuery(query), options: SearchOptions(), limit: nil, start: { _ in }, hit: { export.append($0.id) })
            #expect(export == all.hits.map(\.id))
        }
    }

    static let cocoaBlockCount = DispatchIndex.blockSize * 2 + 600

    /// Three blocks of rowids of dispatches about cocoa, a strong title match now and then,
    /// a few undated; `day` gives the day number of each by its place in the archive.
    static func cocoaBlocks(day: (Int) -> Int) -> [[String: Any]] {
        (0..<cocoaBlockCount).map { number in
            var record: [String: Any] = ["id": "b\(number)", "title": number % 50 == 0 ? "Cacao" : "Marché \(number % 7)",
                                         "body": "Le cacao, lot \(number)" + String(repeating: " et le café", count: number % 5)
                                             + (number < 10 ? " Un ancien entrepôt." : ""),
                                         "source": number % 2 == 0 ? "AFP" : "APS"]
            if number % 97 != 0 { record["date"] = Day(dayNumber: day(number)).description }
            return record
        }
    }

    @Test func aLargerArchiveReadsMoreBlocksBeforeGivingUpForOneStatement() {
        let limits = BlockReadingLimits()
        // 245 blocks at 1,000,000 dispatches, 1,221 at 5,000,000.
        #expect(limits.blocksBeforeOneStatement(of: 100) == 32)
        #expect(limits.blocksBeforeOneStatement(of: 245) == 61)
        #expect(limits.blocksBeforeOneStatement(of: 1_221) == 305)
    }

    /// A searcher reading blocks whatever the number of matches, and one that also gives
    /// them up after the first block for one statement.
    static func blockSearchers(_ index: DispatchIndex) -> (byBlocks: Searcher, givingUp: Searcher) {
        var byBlocks = Searcher(index: index)
        byBlocks.blockReading.fromMatches = 0
        var givingUp = byBlocks
        givingUp.blockReading.blocksBeforeOneStatement = 1
        return (byBlocks, givingUp)
    }

    @Test func theHybridSortReadingBlocksNewestFirstFindsTheBlendOfEveryMatch() throws {
        // Three blocks of rowids, indexed in date order as an archive grows, a few undated,
        // a strong title match now and then.
        let start = Day(year: 2015, month: 1, day: 1)!.dayNumber
        let records = Self.cocoaBlocks { number in start + number / 3 }
        let index = try DispatchIndex(path: try TestSupport.index(records: records), readOnly: true)
        // Giving up after the first block: the rest in one statement, the same page.
        let (byBlocks, givingUp) = Self.blockSearchers(index)
        for (now, offset) in [(nil, 0), (nil, 25), (Day(iso: "2016-06-01"), 0), (Day(iso: "2010-01-01"), 5)] as [(Day?, Int)] {
            var options = SearchOptions()
            options.now = now
            options.offset = offset
            let expected = try expectedBlend(index, "cacao", now: now)
            let result = try byBlocks.search("cacao", options: options)
            #expect(result.total == records.count)
            #expect(result.hits.map(\.id) == Array(expected.map(\.id)[offset..<offset + 10]), "now \(String(describing: now)) from \(offset)")
            #expect(result.hits.map(\.score) == Array(expected.map(\.score)[offset..<offset + 10]))
            #expect(try Searcher(index: index).search("cacao", options: options).hits.map(\.id) == result.hits.map(\.id))
            #expect(try givingUp.search("cacao", options: options).hits.map(\.id) == result.hits.map(\.id))
        }
        // The date sort by blocks stops as early, with the order of one sorted statement.
        for offset in [0, 40] {
            var options = SearchOptions()
            options.sort = .date
            options.offset = offset
            let expected = try Searcher(index: index).search("cacao", options: options).hits.map(\.id)
            #expect(try byBlocks.search("cacao", options: options).hits.map(\.id) == expected)
            #expect(try givingUp.search("cacao", options: options).hits.map(\.id) == expected)
        }
        // The newest matching date: in the newest block for a common word; for a word of
        // the oldest dispatches only, found after reading the newer blocks in vain.
        func newest(_ query: String, sources: [String] = []) throws -> Day? {
            var options = SearchOptions()
            options.filters.allow(sources, of: .source)
            return try index.reading { reader in
                let (plan, _) = try byBlocks.plan(CompiledQuery(query), options: options, page: Page(offset: 0, limit: 10), reader)
                return try BlockScan(reader: reader, selection: plan.selection, limits: byBlocks.blockReading).newestMatchingDate()
            }
        }
        let newestDay = Day(dayNumber: start + (records.count - 1) / 3)
        #expect(try newest("cacao") == newestDay)
        #expect(try newest("cacao", sources: ["aps"]) == newestDay)
        #expect(try newest("ancien") == Day(dayNumber: start + 9 / 3))
        // --since skips the blocks of older dispatches, for the count as for the hits.
        let since = Day(dayNumber: start + DispatchIndex.blockSize / 3 * 2)
        let recent = records.filter { ($0["date"] as? String).flatMap { Day(iso: $0) }.map { $0 >= since } ?? false }
        for searcher in [byBlocks, Searcher(index: index)] {
            var options = SearchOptions()
            options.filters.since = since
            options.limit = recent.count
            let result = try searcher.search("cacao", options: options)
            #expect(result.total == recent.count)
            #expect(Set(result.hits.map(\.id)) == Set(recent.map { $0["id"] as! String }))
        }
    }

    @Test func inAnArchiveNotIndexedInDateOrderBlocksFindTheSameReferenceDayAndPage() throws {
        // Dates scattered over the rowids (files indexed in any order): every block holds
        // recent and old dispatches, so that no block's newest date settles the reference.
        let start = Day(year: 2015, month: 1, day: 1)!.dayNumber
        let records = Self.cocoaBlocks { number in start + number * 7_919 % Self.cocoaBlockCount / 3 }
        let index = try DispatchIndex(path: try TestSupport.index(records: records), readOnly: true)
        let (byBlocks, givingUpEarly) = Self.blockSearchers(index)
        for sources in [[], ["afp"]] as [[String]] {
            let selected = records.filter { sources.isEmpty || ($0["source"] as! String) == "AFP" }
            let days = selected.compactMap { ($0["date"] as? String).flatMap { Day(iso: $0)?.dayNumber } }
            let rank = RecencyBlend.referenceRank(matches: selected.count)
            #expect(rank > 1)
            let reference = Day(dayNumber: days.sorted(by: >)[rank - 1])
            // Counted by blocks, or in one statement once they are given up.
            for searcher in [byBlocks, givingUpEarly] {
                let found = try index.reading { reader in
                    var options = SearchOptions()
                    options.filters.allow(sources, of: .source)
                    let (plan, _) = try searcher.plan(CompiledQuery("cacao"), options: options, page: Page(offset: 0, limit: 10), reader)
                    return try BlockScan(reader: reader, selection: plan.selection, limits: searcher.blockReading).newestMatchingDate(rank: rank)
                }
                #expect(found == reference, "\(sources)")
            }
            // The page: the same by blocks (the reference found first, or by the filtered
            // count) as in one statement, which finds the reference among its rows.
            var options = SearchOptions()
            options.filters.allow(sources, of: .source)
            let expected = try Searcher(index: index).search("cacao", options: options)
            #expect(expected.total == selected.count)
            for searcher in [byBlocks, givingUpEarly] {
                let result = try searcher.search("cacao", options: options)
                #expect(result.hits.map(\.id) == expected.hits.map(\.id), "\(sources)")
                #expect(result.hits.map(\.score) == expected.hits.map(\.score))
            }
        }
    }

    @Test func broadQueriesShowTheLatestWhilePreciseOnesFindOldStories() throws {
        // 1,200 dispatches about cocoa over six years, one of them an old, precise story.
        var records: [[String: Any]] = (0..<1_200).map { number in
            let day = Day(dayNumber: Day(year: 2015, month: 1, day: 1)!.dayNumber + number * 2)
            let extra = String(repeating: " La récolte avance.", count: number % 5)
            return ["id": "c\(number)", "title": "Cacao : point sur la campagne \(number)", "body": "Le cacao du jour.\(extra)", "date": day.description]
        }
        records.append(["id": "old-story", "title": "Cacao : les planteurs de Soubré manifestent", "body": "Les planteurs de Soubré réclament un meilleur prix.",
                        "date": "2015-02-01"])
        let database = try TestSupport.index(records: records)
        let broad = try search(database, "cacao") { $0.limit = 10 }
        #expect(broad.total == 1_201)
        let newestQuarter = Day(dayNumber: Day(year: 2015, month: 1, day: 1)!.dayNumber + 1_200 * 2 * 3 / 4)
        #expect(broad.hits.allSatisfy { $0.date! >= newestQuarter }, "\(broad.hits.map(\.date))")
        #expect(try search(database, "cacao Soubré").hits.first?.id == "old-story")
        // --now moves the reference: the dispatches closest to it come first.
        let earlier = try search(database, "cacao") { $0.limit = 3; $0.now = Day(iso: "2016-01-01") }
        #expect(earlier.hits.allSatisfy { abs($0.date!.dayNumber - Day(iso: "2016-01-01")!.dayNumber) <= 30 }, "\(earlier.hits.map(\.date))")
    }
}

@Suite("Recency blend")
struct RecencyBlendTests {
    let blend = RecencyBlend(halfLifeDays: 30, floor: 0.5)

    @Test func recencyHalvesItsBoostEveryHalfLifeAndNeverGoesBelowTheFloor() {
        #expect(blend.recency(ageInDays: 0) == 1)
        #expect(abs(blend.recency(ageInDays: 30) - 0.75) < 1e-9)
        #expect(blend.recency(ageInDays: 100_000) >= 0.5)
        #expect(blend.recency(ageInDays: nil) == 0.5)
        #expect(blend.recency(ageInDays: -5) == 1)
    }

    @Test func ageIsCountedFromTheNewestCandidate() {
        let candidates = [
            RecencyBlend.Candidate(rowid: 1, relevance: 10, date: Day(iso: "2016-01-01")),
            RecencyBlend.Candidate(rowid: 2, relevance: 10, date: Day(iso: "2016-03-01")),
        ]
        let ranked = blend.rank(candidates, reference: nil, relevanceScale: 20)
        #expect(ranked.map(\.candidate.rowid) == [2, 1])
        // Half the ceiling, below squarely: counted as 0.5 / 0.9 of the tier's room.
        let part = 0.5 / RecencyBlend.squarelyAbout
        #expect(abs(ranked[0].score - part) < 1e-12)
        #expect(abs(ranked[1].score - part * blend.recency(ageInDays: 60)) < 1e-12)
    }

    @Test func theFloorFallsFromOneForPreciseQueriesToTheBroadFloor() {
        #expect(RecencyBlend.floor(forMatches: 0, broadFloor: 0.7) == 1)
        #expect(RecencyBlend.floor(forMatches: 30, broadFloor: 0.7) == 1)
        #expect(abs(RecencyBlend.floor(forMatches: 173, broadFloor: 0.7) - 0.85) < 0.01)
        #expect(RecencyBlend.floor(forMatches: 1_000, broadFloor: 0.7) == 0.7)
        #expect(RecencyBlend.floor(forMatches: 50_000, broadFloor: 0.7) == 0.7)
    }

    @Test func amongMatchesSquarelyAboutTheQueryTheNewerComesFirst() {
        // Both above 90% of the ceiling (20): squarely about it, the newer first although weaker.
        let squarely = [
            RecencyBlend.Candidate(rowid: 1, relevance: 19.5, date: Day(iso: "2019-01-01")),
            RecencyBlend.Candidate(rowid: 2, relevance: 18.2, date: Day(iso: "2020-01-01")),
        ]
        #expect(blend.rank(squarely, reference: nil, relevanceScale: 20).map(\.candidate.rowid) == [2, 1])
        // A newer match below it does not pass an old one squarely about it by its age alone
        // when the floor keeps enough of the old one's relevance.
        let passing = [
            RecencyBlend.Candidate(rowid: 1, relevance: 19.5, date: Day(iso: "2019-01-01")),
            RecencyBlend.Candidate(rowid: 2, relevance: 8, date: Day(iso: "2020-01-01")),
        ]
        #expect(blend.rank(passing, reference: nil, relevanceScale: 20).map(\.candidate.rowid) == [1, 2])
        // Without dates (or with a floor of 1) the order is relevance's.
        let undated = squarely.map { RecencyBlend.Candidate(rowid: $0.rowid, relevance: $0.relevance, date: nil) }
        #expect(blend.rank(undated, reference: nil, relevanceScale: 20).map(\.candidate.rowid) == [1, 2])
    }

    @Test func aMatchTwiceAsStrongSurvivesAnyAge() {
        let candidates = [
            RecencyBlend.Candidate(rowid: 1, relevance: 20.1, date: Day(iso: "2000-01-01")),
            RecencyBlend.Candidate(rowid: 2, relevance: 10, date: Day(iso: "2020-01-01")),
        ]
        #expect(blend.rank(candidates, reference: nil, relevanceScale: 30).map(\.candidate.rowid) == [1, 2])
    }
}
