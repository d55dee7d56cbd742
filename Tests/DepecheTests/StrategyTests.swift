import Foundation
import GRDB
import Testing
@testable import DepecheIndex
@testable import DepecheModel
@testable import DepecheRanking
@testable import DepecheSearch

/// Every ranking strategy of a search plan gives the page of one reference order: every
/// match read with its walked bm25 and its date, sorted here in Swift by ``HitOrder`` or
/// ``RecencyBlend`` (as an export over every match would rank it).
@Suite("Search plans: every strategy against one reference")
struct StrategyTests {
    /// 300 dispatches of one block, and, with `blocks`, three blocks of dated ones.
    static let database = try! TestSupport.index(records: SearchTests.mixedRecords(count: 300))

    /// The ids of every match of `query` in the order of `sort`, computed without the search.
    func reference(_ index: DispatchIndex, _ query: String, sort: SortMode, options: SearchOptions) throws -> [String] {
        try index.reading { reader in
            // What the plan selects and how it scores (an export's plan: every match).
            let (plan, count) = try Searcher(index: index).plan(CompiledQuery(query), options: options, page: Page(offset: 0, limit: nil), reader)
            let statistics = count.statistics!
            let candidates = try reader.candidates(plan.selection, statistics: statistics)
            let ids = Dictionary(uniqueKeysWithValues: try Row.fetchAll(reader.db, sql: "SELECT rowid, id FROM dispatches").map { ($0[0] as Int64, $0[1] as String) })
            let ordered: [RecencyBlend.Candidate]
            switch sort {
            case .relevance: ordered = candidates.sorted(by: HitOrder.relevance.sortsBefore)
            case .date: ordered = candidates.sorted(by: HitOrder.date.sortsBefore)
            case .hybrid:
                let blend = RecencyBlend(halfLifeDays: options.halfLifeDays,
                                         floor: RecencyBlend.floor(forMatches: candidates.count, broadFloor: options.recencyFloor))
                ordered = blend.rank(candidates, reference: options.now, relevanceScale: statistics.ceiling).map(\.candidate)
            }
            return ordered.map { ids[$0.rowid]! }
        }
    }

    @Test("Each route gives the reference page", arguments: [
        ("cacao", SortMode.relevance, SearchPlan.Ranking.fromCount),
        ("caf*", .hybrid, .fromCount),
        ("café cacao", .relevance, .byRelevance),
        ("cacao source:aps", .relevance, .byRelevance),
        ("café", .date, .newestFirst(blocksFromMatches: 0)),
        ("café jour", .date, .newestFirst(blocksFromMatches: 0)),
        ("caf*", .date, .newestFirst(blocksFromMatches: nil)),
        ("cacao", .hybrid, .blended(blocksFromMatches: 0)),
        ("café source:afp", .hybrid, .blended(blocksFromMatches: 0)),
        ("title:cacao café", .hybrid, .blended(blocksFromMatches: 0)),
    ])
    func eachRouteGivesTheReferencePage(query: String, sort: SortMode, route: SearchPlan.Ranking) throws {
        let index = try DispatchIndex(path: Self.database, readOnly: true)
        var searcher = Searcher(index: index)
        // Every page of a plain match by blocks: one block here, but the blocks' code path.
        searcher.blockReading.fromMatches = 0
        for (offset, now) in [(0, nil), (7, nil), (3, Day(iso: "2018-03-01"))] as [(Int, Day?)] {
            var options = SearchOptions()
            options.sort = sort
            options.offset = offset
            options.now = now
            let plan = try index.reading { reader in
                try searcher.plan(CompiledQuery(query), options: options, page: Page(offset: offset, limit: 10), reader).0
            }
            #expect(plan.ranking == route, "\(query) by \(sort)")
            let expected = try reference(index, query, sort: sort, options: options)
            #expect(expected.count > offset + 10, "\(query)")
            let page = try searcher.search(query, options: options)
            #expect(page.total == expected.count, "\(query) by \(sort)")
            #expect(page.hits.map(\.id) == Array(expected[offset..<offset + 10]), "\(query) by \(sort) from \(offset)")
        }
    }

    /// 1,100 dispatches, each with `café` and `jour`: more than a count limit of 1,000.
    static let broadDatabase = try! TestSupport.index(records: SearchTests.mixedRecords(count: 1_100))

    @Test("A page's count stops at its limit and says so; the page and its scores are those of an exact count",
          arguments: ["café", "café jour", "café source:afp"])
    func aPageCountStopsAtItsLimit(query: String) throws {
        let searcher = Searcher(index: try DispatchIndex(path: Self.broadDatabase, readOnly: true))
        var options = SearchOptions()
        // The reference day fixed: past the limit it is found among the newest 5% of the
        // limit, not of every match (the only thing a stopped count moves).
        options.now = Day(iso: "2019-06-01")
        let exact = try searcher.search(query, options: options)
        options.exactCountLimit = 1_000
        let bounded = try searcher.search(query, options: options)
        if query.contains("source:") {
            // Filtered: counted with the reference day, every match (550 here, under the limit anyway).
            #expect(bounded.total == exact.total && bounded.summary.totalIsExact)
        } else {
            #expect(exact.total == 1_100 && exact.summary.totalIsExact)
            #expect(bounded.total == 1_000 && !bounded.summary.totalIsExact, "\(query)")
        }
        #expect(bounded.hits.map(\.id) == exact.hits.map(\.id), "\(query)")
        // The same scores, but for rounding: a single word's idf cancels out of its scaled relevance.
        #expect(zip(bounded.hits, exact.hits).allSatisfy { abs($0.score - $1.score) < 1e-12 }, "\(query)")
        // A page reaching past the limit counts every match.
        options.limit = 1_001
        let deep = try searcher.search(query, options: options)
        #expect(deep.total == exact.total && deep.summary.totalIsExact)
    }

    @Test func aCollapsedPageWhoseCountStoppedLeavesItsStoriesUncountedAndKeepsItsLeaders() throws {
        let searcher = Searcher(index: try DispatchIndex(path: Self.broadDatabase, readOnly: true))
        var options = SearchOptions()
        options.now = Day(iso: "2019-06-01")
        options.collapse = true
        let exact = try searcher.search("café", options: options)
        options.exactCountLimit = 1_000
        let bounded = try searcher.search("café", options: options)
        #expect(exact.summary.stories != nil && bounded.summary.stories == nil && !bounded.summary.totalIsExact)
        #expect(bounded.hits.map(\.id) == exact.hits.map(\.id) && bounded.hits.count == 10)
    }

    @Test func aLimitBelowTheBroadCountIsRaisedToIt() throws {
        let searcher = Searcher(index: try DispatchIndex(path: Self.broadDatabase, readOnly: true))
        var options = SearchOptions()
        options.exactCountLimit = 10
        let result = try searcher.search("café", options: options)
        #expect(result.total == RecencyBlend.broadMatches && !result.summary.totalIsExact)
    }

    @Test func aQueryOfFiltersOnlyListsItsDispatchesNewestFirst() throws {
        let index = try DispatchIndex(path: Self.database, readOnly: true)
        let plan = try index.reading { reader in
            try Searcher(index: index).plan(CompiledQuery("source:aps"), options: SearchOptions(), page: Page(offset: 0, limit: 10), reader).0
        }
        #expect(plan.counting == .filtersOnly && plan.ranking == .newestFirst(blocksFromMatches: nil))
        var options = SearchOptions()
        options.limit = 200
        let hits = try Searcher(index: index).search("source:aps", options: options).hits
        #expect(hits.count == 150)
        let dates = hits.map { $0.date ?? .distantPast }
        #expect(dates == dates.sorted(by: >))
    }

    @Test func aQueryWhoseWordsNeverMeetIsRankedByTheNumberOfWordsEachDispatchHas() throws {
        let database = try TestSupport.index(records: [
            ["id": "one", "title": "Cacao", "body": "Le cacao.", "date": "2020-01-03"],
            ["id": "two", "title": "Café et sucre", "body": "Le café, le sucre.", "date": "2020-01-01"],
            ["id": "three", "title": "Sucre", "body": "Le sucre.", "date": "2020-01-02"],
        ])
        let index = try DispatchIndex(path: database, readOnly: true)
        let (plan, count) = try index.reading { reader in
            try Searcher(index: index).plan(CompiledQuery("cacao café sucre"), options: SearchOptions(), page: Page(offset: 0, limit: 10), reader)
        }
        #expect(plan.relaxed && plan.ranking == .byWordsMatched && count.total == 3)
        for sort in SortMode.allCases {
            var options = SearchOptions()
            options.sort = sort
            let result = try Searcher(index: index).search("cacao café sucre", options: options)
            #expect(result.relaxed)
            #expect(result.hits.first?.id == "two", "\(sort)")
        }
    }

    @Test func amongDispatchesWithAsManyWordsARelaxedQueryKeepsItsSortOrder() throws {
        // None has both words; each has one. By relevance the title match comes first,
        // by date the newest: the orders HitOrder defines, not the order rows were read.
        let database = try TestSupport.index(records: [
            ["id": "body", "title": "Marchés", "body": "Le cacao recule un peu sur les marchés de Londres cette semaine.", "date": "2020-01-03"],
            ["id": "title", "title": "Cacao", "body": "La récolte avance.", "date": "2020-01-01"],
            ["id": "other", "title": "Café", "body": "Le café recule.", "date": "2020-01-02"],
        ])
        let index = try DispatchIndex(path: database, readOnly: true)
        var options = SearchOptions()
        options.sort = .relevance
        let byRelevance = try Searcher(index: index).search("cacao thé", options: options)
        #expect(byRelevance.relaxed && byRelevance.hits.map(\.id) == ["title", "body"])
        options.sort = .date
        #expect(try Searcher(index: index).search("cacao thé", options: options).hits.map(\.id) == ["body", "title"])
    }

    @Test func theDateOrderIsOneDefinitionInSwiftAndInSQL() throws {
        let index = try DispatchIndex(path: Self.database, readOnly: true)
        var options = SearchOptions()
        options.sort = .date
        options.limit = 1_000
        // One sorted statement (ORDER BY written from HitOrder.date) against the Swift comparator.
        let bySQL = try Searcher(index: index).search("café", options: options).hits.map(\.id)
        #expect(bySQL == (try reference(index, "café", sort: .date, options: options)))
        #expect(IndexSelection.orderBy(.date, day: "day", relevance: "relevance", rowid: "rowid") == "ORDER BY day IS NULL, day DESC, relevance DESC, rowid")
        #expect(IndexSelection.orderBy(.date, day: "d.date", relevance: nil, rowid: "d.rowid") == "ORDER BY d.date IS NULL, d.date DESC, d.rowid")
    }
}
