import DepecheModel
import DepecheAnalysis
import DepecheIndex

/// Runs searches on an index. A search compiles its query (``CompiledQuery``), makes a
/// ``SearchPlan``, counts the matches by the plan's counting route, ranks them with the
/// plan's strategy, and reads the hits of the page a few at a time; every statement is
/// the index's (``IndexReader``).
///
///     let searcher = Searcher(index: try DispatchIndex(path: "depeche.sqlite", readOnly: true))
///     let result = try searcher.search("Rosatom data center")
///     print(result.total, result.hits.map(\.title))
public struct Searcher {
    public let index: DispatchIndex

    /// When a page is read block by block. (Tests lower the limits.)
    var blockReading = BlockReadingLimits()

    public init(index: DispatchIndex) {
        self.index = index
    }

    /// The page of hits of `queryText`.
    public func search(_ queryText: String, options: SearchOptions = SearchOptions()) throws -> SearchResult {
        try search(CompiledQuery(queryText), options: options)
    }

    /// The page of hits of `query`.
    public func search(_ query: CompiledQuery, options: SearchOptions = SearchOptions()) throws -> SearchResult {
        var hits: [Hit] = []
        var summary = SearchSummary(total: 0)
        let partial = try streamHits(query, options: options, limit: options.limit, start: { summary = $0 }, hit: { hits.append($0) })
        return SearchResult(query: query.text, summary: summary, hits: hits, partial: partial)
    }

    /// Hits are read this many at a time.
    static let hitBatch = 32

    /// Calls `start` with the number of hits (and how the query was searched), then
    /// `hit` for each hit in rank order from `options.offset`, `limit` of them (all when
    /// nil), then `newest`, when given, with the newest date among the matches (nil: none
    /// dated). Hits are read a few at a time, so an export of a million hits stays small:
    /// only the hybrid sort keeps its candidates in memory (rowid, relevance and date each).
    /// Returns true when ``SearchOptions/timeBudget`` ran out first: `start` has then been
    /// called (with 0 if the count was not finished) and `hit` for the hits found by then.
    @discardableResult
    public func streamHits(_ query: CompiledQuery, options: SearchOptions, limit: Int?,
                           start: (SearchSummary) throws -> Void, hit: (Hit) throws -> Void,
                           newest: ((Day?) throws -> Void)? = nil) throws -> Bool {
        let page = Page(offset: options.offset, limit: limit)
        var started = false
        // One analyzer for every plan of the search: strict, relaxed, corrected, deeper.
        let analyzer = try FrenchAnalyzer()
        do {
            try index.reading(timeBudget: options.timeBudget) { reader in
                var (plan, count) = try plan(query, options: options, page: page, reader, analyzer: analyzer)
                var nearSpellings: [String] = []
                var suggestions: [Suggestion] = []
                var correctedFrom: String?, correctedQuery: String?
                let found = plan.relaxed ? 0 : count.total
                if options.suggestions || options.fuzzy, let corrections = try corrections(for: query, total: found, reader, analyzer: analyzer) {
                    if options.fuzzy {
                        // The typed words and their corrections, instead of the query alone.
                        (plan, count) = try self.plan(Self.fuzzyQuery(corrections), options: options, page: page, reader, analyzer: analyzer)
                        nearSpellings = corrections.compactMap(\.corrected)
                    } else if let corrected = try correctedSearch(corrections, total: found, options: options, page: page, reader, analyzer: analyzer) {
                        if options.correctsTypos, found == 0 {
                            // No dispatch has the words as typed: the correction's list, said as such.
                            (plan, count) = (corrected.plan, corrected.count)
                            correctedFrom = query.text
                            correctedQuery = corrected.query.text
                        } else {
                            suggestions = [Suggestion(query: corrected.query.text, total: corrected.count.total)]
                        }
                    }
                }
                started = true
                var summary = SearchSummary(total: count.total, relaxed: plan.relaxed, alsoSearched: plan.groups?.alsoSearched ?? [])
                summary.totalIsExact = count.isExact
                summary.suggestions = suggestions
                summary.nearSpellings = nearSpellings
                summary.correctedFrom = correctedFrom
                summary.correctedQuery = correctedQuery
                // Stories are counted over every match: not when counting the matches stopped.
                if options.collapse, count.isExact { summary.stories = try reader.storyCount(plan.selection) }
                try start(summary)
                // A page past the last hit is empty (and ranks cannot overflow below).
                if page.offset < summary.stories ?? count.total {
                    try streamPage(plan, count, hasPrefix: query.hasPrefix, reader, hit)
                }
                if let newest { try newest(newestDay(plan, count, reader)) }
            }
            return false
        } catch is TimeBudgetExhausted {
            if !started { try start(SearchSummary(total: 0)) }
            return true
        }
    }

    /// Calls `hit` with each hit of `plan`'s page, read ``hitBatch`` at a time.
    private func streamPage(_ plan: SearchPlan, _ count: Count, hasPrefix: Bool, _ reader: IndexReader, _ hit: (Hit) throws -> Void) throws {
        let options = plan.options, page = plan.page
        let reading = HitReading(snippets: options.includeSnippet, bodies: options.includeBody, hasPrefix: hasPrefix)
        if options.collapse {
            let leaders = try storyLeaders(plan: plan, count: count, page: page, reader)
            for start in stride(from: 0, to: leaders.count, by: Self.hitBatch) {
                let batch = Array(leaders[start..<min(start + Self.hitBatch, leaders.count)])
                // The hits come in the batch's order.
                let hits = try reader.hits(batch, firstRank: page.offset + start + 1, selection: plan.selection, reading: reading)
                for (entry, var found) in zip(batch, hits) {
                    found.similar = try reader.storyMates(of: entry.rowid, story: found.story ?? entry.rowid, selection: plan.selection)
                    try hit(found)
                }
            }
            return
        }
        var batch: [(rowid: Int64, score: Double)] = []
        var rank = page.offset
        func flush() throws {
            for found in try reader.hits(batch, firstRank: rank + 1, selection: plan.selection, reading: reading) { try hit(found) }
            rank += batch.count
            batch.removeAll(keepingCapacity: true)
        }
        try plan.strategy.forEachRanked(reader, count) { rowid, score in
            batch.append((rowid, score))
            if batch.count == Self.hitBatch { try flush() }
        }
        try flush()
    }

    /// The date of the first hit of `plan`'s matches sorted newest first (nil: no match,
    /// or none dated), planned from the same analysis of the words.
    private func newestDay(_ plan: SearchPlan, _ count: Count, _ reader: IndexReader) throws -> Day? {
        guard count.total > 0 else { return nil }
        let (newest, countsAgain) = plan.reading(Page(offset: 0, limit: 1), sortedBy: .date)
        let newestCount = countsAgain ? try newest.count(reader) : count
        var first: Int64?
        try newest.strategy.forEachRanked(reader, newestCount) { rowid, _ in if first == nil { first = rowid } }
        guard let first else { return nil }
        // Read as a hit: the date shown, a duplicate's own when the filters selected it.
        let reading = HitReading(snippets: false, bodies: false, hasPrefix: false)
        return try reader.hits([(first, 0)], firstRank: 1, selection: newest.selection, reading: reading).first?.date
    }

    /// Streams the hits of `query` into `sink` (``streamHits(_:options:limit:start:hit:newest:)``),
    /// and returns what was streamed: the caller reads the answer, not the sink's state.
    /// With `newestDate`, the newest date among the matches too (a batch's summary).
    @discardableResult
    public func search(_ query: CompiledQuery, options: SearchOptions, limit: Int?, into sink: some HitSink,
                       newestDate: Bool = false) throws -> StreamedSearch {
        var summary = SearchSummary(total: 0)
        var written = 0
        var newest: Day?
        let partial = try streamHits(query, options: options, limit: limit, start: { started in
            summary = started
            try sink.begin(started)
        }, hit: { hit in
            try sink.receive(hit)
            written += 1
        }, newest: newestDate ? { newest = $0 } : nil)
        try sink.end(partial: partial)
        return StreamedSearch(summary: summary, written: written, partial: partial, newest: newest)
    }

    /// What ``search(_:options:limit:into:newestDate:)`` streamed.
    public struct StreamedSearch: Sendable {
        /// The total and how the query was searched (a total of 0 when the time budget ran
        /// out before the count).
        public let summary: SearchSummary
        /// Hits handed to the sink.
        public let written: Int
        /// The time budget ran out: the hits are those found by then.
        public let partial: Bool
        /// The newest date among the matches, when asked (nil: not asked, none dated, or
        /// the time budget ran out first).
        public let newest: Day?
    }

    /// The best-ranked dispatch of each story of `page` (which counts stories): the matches
    /// are ranked deep enough to hold that many stories — three times as many dispatches
    /// first, four times more each time that falls short — and each story keeps its first.
    /// The deeper pages reuse `plan`'s count (a plan whose count ranks its page is
    /// counted again for the deeper page, from the same analysis of its words).
    func storyLeaders(plan: SearchPlan, count: Count, page: Page, _ reader: IndexReader) throws -> [(rowid: Int64, score: Double)] {
        var depth = page.kept.map { max(32, Page.adding(Page.adding($0, $0), $0)) }
        while true {
            let deeper = Page(offset: 0, limit: depth)
            let (plan, countsAgain) = plan.reading(deeper)
            let count = countsAgain ? try plan.count(reader) : count
            var ranked: [(rowid: Int64, score: Double)] = []
            try plan.strategy.forEachRanked(reader, count) { ranked.append(($0, $1)) }
            var seen: Set<Int64> = []
            var leaders: [(rowid: Int64, score: Double)] = []
            for (entry, story) in zip(ranked, try reader.stories(of: ranked.map(\.rowid))) where seen.insert(story).inserted {
                leaders.append(entry)
            }
            guard let wanted = page.kept, let reached = depth, leaders.count < wanted, reached < count.total else {
                return Array(leaders.dropFirst(page.offset).prefix(page.limit ?? .max))
            }
            depth = Page.adding(Page.adding(reached, reached), Page.adding(reached, reached))
        }
    }

    /// The plan of a query and its count, relaxed to any-word matching when all the
    /// words together match nothing (and the relaxed form matches something: a query
    /// without a hit is not said to be relaxed).
    /// `analyzer` is the search's, shared by its plans (a new one when not given).
    func plan(_ query: CompiledQuery, options: SearchOptions, page: Page, _ reader: IndexReader,
              analyzer: FrenchAnalyzer? = nil) throws -> (SearchPlan, Count) {
        let rowids = try options.filters.since.map { try reader.rowids(datedFrom: $0) }
        let strict = try SearchPlan(query: query, options: options, page: page, rowids: rowids, limits: blockReading,
                                    analyzer: analyzer ?? FrenchAnalyzer(), caseCounts: reader.caseCounts(of:))
        let count = try strict.count(reader)
        guard count.total == 0, let relaxed = strict.relaxedPlan() else { return (strict, count) }
        let relaxedCount = try relaxed.count(reader)
        return relaxedCount.total == 0 ? (strict, count) : (relaxed, relaxedCount)
    }

    /// The title, standfirst and body of the dispatch stored under `id` (or a duplicate's
    /// id) with the words of `query` marked; nil when the query does not match it.
    public func highlight(id: String, query: String) throws -> HighlightedText? {
        guard let match = try CompiledQuery(query).match else { return nil }
        return try index.reading { try $0.highlight(id: id, match: match) }
    }

    /// Statistics of the dispatches a query selects (all of them without a query).
    public func statistics(query: CompiledQuery?, options: SearchOptions = SearchOptions()) throws -> IndexStatistics {
        try index.reading { reader in
            guard let query else {
                return try reader.statistics(IndexSelection(match: nil, filters: options.filters(adding: [])), query: nil, relaxed: false)
            }
            let (plan, _) = try plan(query, options: options, page: Page(offset: 0, limit: nil), reader)
            return try reader.statistics(plan.selection, query: query.text, relaxed: plan.relaxed)
        }
    }
}
