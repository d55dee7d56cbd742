import DepecheAnalysis
import DepecheModel
import DepecheRanking
import DepecheIndex

/// The part of the ranked list a search returns.
struct Page: Sendable {
    /// Hits skipped before the first returned.
    let offset: Int
    /// Hits returned; nil for all (an export).
    let limit: Int?

    /// Hits ranked to answer: `offset + limit` (nil: every one).
    var kept: Int? { limit.map { Self.adding(offset, $0) } }

    init(offset: Int, limit: Int?) {
        self.offset = max(0, offset)
        self.limit = limit.map { max(0, $0) }
    }

    /// `a + b`, or `Int.max` past it: offsets and limits come from the command line.
    static func adding(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}

/// From how many matches the hybrid and date sorts read a page block by block, and how
/// many blocks they read before giving up proving the page early (``BlockScan``).
struct BlockReadingLimits: Sendable {
    /// Fewer matches cost less in one statement than with FTS5 restarted on every block.
    var fromMatches = 5_000
    /// Each block costs a statement, and in an archive not indexed in date order blocks
    /// span years, so that a topic whose best hits are not recent finds no bound low enough.
    var blocksBeforeOneStatement = 32
    /// …or this share of the blocks, when more: a block holds fewer days as the archive
    /// grows (4,096 dispatches are 45 days at 1,000,000 over 30 years, 9 at 5,000,000), and
    /// a fixed number of them gave up on a two-word topic after 9 months at 5,000,000, to
    /// blend its 200,000 matches in one statement (`gilets jaunes`: 472 ms, 80 by blocks).
    var shareOfBlocksBeforeOneStatement = 0.25

    /// How many of `count` blocks are read one by one before the rest in one statement.
    func blocksBeforeOneStatement(of count: Int) -> Int {
        max(blocksBeforeOneStatement, Int(Double(count) * shareOfBlocksBeforeOneStatement))
    }
}

/// How a search runs, decided before it reads a match: what it selects, how it counts
/// (``Counting``) and how it ranks (``Ranking``). A value: counting returns a ``Count``
/// and the ranking strategy reads the plan and that count, nothing else.
///
///     let plan = try SearchPlan(query: try CompiledQuery("cacao"), options: options, page: page, rowids: nil, limits: limits)
///     let count = try plan.count(reader)
///     try plan.strategy.forEachRanked(reader, count) { rowid, score in … }
struct SearchPlan {
    /// How the matches are counted (and bm25's statistics found).
    enum Counting: Equatable {
        /// A single phrase asked alone whose page reads every match anyway: one walk
        /// counts and ranks it (``RankedWhileCounting``).
        case rankedWhileCounting
        /// Every phrase is a word, asked by its forms (``WordGroups``): each group's rows
        /// counted (one FTS5 expression each), the statistics following from those counts.
        case byWordGroups(WordGroups)
        /// bm25's statistics by walking each phrase of the match.
        case byPhraseWalk
        /// No words: the filters' dispatches counted over the facets.
        case filtersOnly
    }

    /// Which strategy ranks the matches.
    enum Ranking: Equatable {
        /// The counting pass ranked the page already.
        case fromCount
        /// The date sort, and queries of filters only: newest first. From
        /// `blocksFromMatches` matches on (nil: never), block by block (``BlockScan``).
        case newestFirst(blocksFromMatches: Int?)
        /// bm25 alone.
        case byRelevance
        /// The hybrid sort (``RecencyBlend``); block by block as for ``newestFirst(blocksFromMatches:)``.
        case blended(blocksFromMatches: Int?)
        /// Any-word matching: by the number of the query's words matched, then the sort.
        case byWordsMatched
    }

    let query: CompiledQuery
    private(set) var options: SearchOptions
    /// The query's words as groups of forms, when it is made of words only.
    let groups: WordGroups?
    let selection: IndexSelection
    let counting: Counting
    let ranking: Ranking
    private(set) var page: Page
    let limits: BlockReadingLimits
    /// True for the any-word form of a query whose words all together matched nothing.
    let relaxed: Bool
    /// Counting stops past this many matches (``SearchOptions/exactCountLimit``), for a
    /// page within it. Never below ``RecencyBlend/broadMatches``: a count that stops is a broad query's,
    /// whose recency floor is the broad floor whatever its exact number.
    let countLimit: Int?

    /// Analyzes the query's words with `analyzer` (``WordGroups``); `caseCounts` tells how
    /// the documents write them.
    init(query: CompiledQuery, options: SearchOptions, page: Page, rowids: Range<Int64>?, limits: BlockReadingLimits,
         analyzer: FrenchAnalyzer, caseCounts: ([String]) throws -> [String: CaseCount] = { _ in [:] }) throws {
        let groups = try WordGroups(query, synonyms: options.synonyms, analyzer: analyzer, caseCounts: caseCounts)
        self.init(query: query, options: options, page: page, rowids: rowids, limits: limits, groups: groups)
    }

    /// The plan of a query whose words are analyzed already (`groups`).
    private init(query: CompiledQuery, options: SearchOptions, page: Page, rowids: Range<Int64>?, limits: BlockReadingLimits,
                 groups: WordGroups?) {
        let selection = IndexSelection(match: groups?.match ?? query.match, filters: options.filters(adding: query.filters), rowids: rowids)
        self.query = query
        self.groups = groups
        self.options = options
        self.selection = selection
        self.page = page
        self.limits = limits
        relaxed = false
        countLimit = options.exactCountLimit.map { max($0, RecencyBlend.broadMatches) }.flatMap { limit in
            page.kept.map { $0 <= limit } == true ? limit : nil
        }
        // A page that reads every match in one statement anyway: sorted by relevance
        // alone (no recency bound stops it early), or a `prefix*` (FTS5 merges the
        // doclists of every word it matches anew for each statement).
        let pageReadsEveryMatch = options.sort == .relevance || (options.sort == .hybrid && query.hasPrefix)
        if selection.matchOnly, query.isSinglePhrase, page.kept != nil, pageReadsEveryMatch {
            counting = .rankedWhileCounting
            ranking = .fromCount
            return
        }
        if query.match == nil {
            counting = .filtersOnly
        } else if let groups {
            counting = .byWordGroups(groups)
        } else {
            counting = .byPhraseWalk
        }
        // Blocks pay off for a page (not an export) of many matches of a plain match.
        let blocks = page.kept != nil && !query.hasPrefix ? limits.fromMatches : nil
        switch options.sort {
        case _ where query.match == nil: ranking = .newestFirst(blocksFromMatches: nil)
        case .relevance: ranking = .byRelevance
        case .date: ranking = .newestFirst(blocksFromMatches: blocks)
        case .hybrid: ranking = .blended(blocksFromMatches: blocks)
        }
    }

    /// The same plan for another page (in another sort), and whether that page must be
    /// counted again: a plan whose counting pass ranks the page counted for its own page
    /// only. Planned from the same analysis: the words are not analyzed again.
    func reading(_ other: Page, sortedBy sort: SortMode? = nil) -> (plan: SearchPlan, countsAgain: Bool) {
        var options = self.options
        if let sort { options.sort = sort }
        // A relaxed plan ranks by words matched whatever the sort, which it reads.
        guard ranking == .fromCount || (sort != nil && !relaxed) else {
            var plan = self
            plan.page = other
            plan.options = options
            return (plan, false)
        }
        let plan = SearchPlan(query: query, options: options, page: other, rowids: selection.rowids, limits: limits, groups: groups)
        return (plan, ranking == .fromCount || plan.ranking == .fromCount)
    }

    /// The plan of the any-word form of the query, when it has one.
    func relaxedPlan() -> SearchPlan? {
        guard let match = query.relaxedMatch else { return nil }
        return SearchPlan(relaxing: self, match: match)
    }

    private init(relaxing strict: SearchPlan, match: FullTextMatch) {
        query = strict.query
        options = strict.options
        groups = nil
        selection = strict.selection.matching(match)
        page = strict.page
        limits = strict.limits
        relaxed = true
        countLimit = nil
        counting = .byPhraseWalk
        ranking = .byWordsMatched
    }

    /// The strategy that ranks this plan's matches.
    var strategy: any RankingStrategy {
        switch ranking {
        case .fromCount: return RankedWhileCounting(plan: self)
        case .newestFirst(let blocksFrom): return NewestFirst(plan: self, blocksFromMatches: blocksFrom)
        case .byRelevance: return ByRelevance(plan: self)
        case .blended(let blocksFrom): return Blended(plan: self, blocksFromMatches: blocksFrom)
        case .byWordsMatched: return ByWordsMatched(plan: self)
        }
    }
}

/// One way of ranking a plan's matches: each strategy gives the same order as the full
/// blend (or sort) over every match, as an export computes it, by its own route.
protocol RankingStrategy {
    /// Calls `body` with the rowid and score of each hit of the page, in rank order.
    func forEachRanked(_ reader: IndexReader, _ count: Count, _ body: (Int64, Double) throws -> Void) throws
}
