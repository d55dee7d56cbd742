import Foundation

/// How hits are ordered.
public enum SortMode: String, CaseIterable, Sendable {
    /// Relevance blended with recency (``RecencyBlend``).
    case hybrid
    /// bm25 with field weights only.
    case relevance
    /// Newest first; undated last.
    case date
}

/// A passage of a dispatch with the matched words marked.
public struct Snippet: Equatable, Sendable {
    public struct Part: Equatable, Sendable {
        public let text: String
        public let isMatch: Bool

        public init(text: String, isMatch: Bool) {
            self.text = text
            self.isMatch = isMatch
        }
    }

    public let parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// Marker bytes handed to FTS5's snippet() and highlight(): control characters never
    /// found in dispatches (ingest removes them). The one owner of this convention.
    public static let open = "\u{2}", close = "\u{3}"

    /// The parts of a text whose matches are wrapped in ``open`` and ``close``.
    public init(marked: String) {
        var parts: [Part] = []
        for (index, piece) in marked.components(separatedBy: Self.open).enumerated() {
            if index == 0 {
                if !piece.isEmpty { parts.append(Part(text: piece, isMatch: false)) }
                continue
            }
            let halves = piece.components(separatedBy: Self.close)
            parts.append(Part(text: halves[0], isMatch: true))
            let rest = halves.dropFirst().joined()
            if !rest.isEmpty { parts.append(Part(text: rest, isMatch: false)) }
        }
        self.parts = parts
    }

    /// The passage without marks.
    public var plainText: String { parts.map(\.text).joined() }

    /// The passage with each match wrapped in `open` and `close`.
    public func marked(open: String, close: String) -> String {
        parts.map { $0.isMatch ? open + $0.text + close : $0.text }.joined()
    }
}

/// Another dispatch of a hit's story, named in a collapsed list (``Hit/similar``).
public struct StoryMate: Equatable, Sendable {
    public let id: String
    public let source: String?

    public init(id: String, source: String?) {
        self.id = id
        self.source = source
    }
}

/// One search hit.
public struct Hit: Sendable {
    /// 1-based position in the whole ranked list (not the page).
    public let rank: Int
    public let id: String
    public let title: String
    public let date: Day?
    public let dateQuality: DateQuality
    public let source: String?
    public let category: String?
    public let city: String?
    public let url: String?
    public let origin: String
    public let author: String?
    /// The standfirst (chapeau), as stored ("" when the dispatch has none).
    public let standfirst: String
    /// The value the order rests on: blended score (hybrid, 0–1) or bm25 relevance (higher is better).
    public let score: Double
    public let snippet: Snippet
    /// The whole body, when the search asked for it.
    public let body: String?
    /// Its story group (the index's id of the story: every dispatch has one).
    public var story: Int64?
    /// In a collapsed list, the other dispatches of its story that match the search, best
    /// first (the hit is the best-ranked of them).
    public var similar: [StoryMate] = []

    public init(rank: Int, id: String, title: String, date: Day?, dateQuality: DateQuality, source: String?, category: String?,
                city: String?, url: String?, origin: String, score: Double, snippet: Snippet, body: String?, story: Int64? = nil,
                author: String? = nil, standfirst: String = "") {
        self.rank = rank
        self.id = id
        self.title = title
        self.date = date
        self.dateQuality = dateQuality
        self.source = source
        self.category = category
        self.city = city
        self.url = url
        self.origin = origin
        self.score = score
        self.snippet = snippet
        self.body = body
        self.story = story
        self.author = author
        self.standfirst = standfirst
    }
}

/// A corrected query a search proposes ("did you mean"), with its number of hits.
public struct Suggestion: Equatable, Sendable {
    public let query: String
    public let total: Int

    public init(query: String, total: Int) {
        self.query = query
        self.total = total
    }
}

/// What a search says before its first hit: how many there are and how it searched.
public struct SearchSummary: Equatable, Sendable {
    /// All matching dispatches, not only the page returned; with ``totalIsExact`` false,
    /// more than this many.
    public var total: Int
    /// False when counting stopped at ``SearchOptions/exactCountLimit``: more than
    /// ``total`` dispatches match.
    public var totalIsExact = true
    /// True when no dispatch had all the words and any-word matching was used instead.
    public var relaxed: Bool
    /// The synonyms searched beside the words typed (`centre de données` for
    /// `data center`), as the synonym list writes them.
    public var alsoSearched: [String]
    /// Corrected queries that find more, when this one found little (``SearchOptions``
    /// asks for them).
    public var suggestions: [Suggestion] = []
    /// Corrections searched beside the words typed (`--fuzzy`).
    public var nearSpellings: [String] = []
    /// The query as typed, when no dispatch had all its words and the list is that of
    /// its correction instead (`Emanuel Macron` → *emmanuel Macron*); nil otherwise.
    public var correctedFrom: String?
    /// The query the list answers when it is a correction (``correctedFrom``).
    public var correctedQuery: String?
    /// The stories the matches tell, when the list is collapsed to one hit a story (nil
    /// when the count of matches stopped: stories are counted over every match).
    public var stories: Int?

    public init(total: Int, relaxed: Bool = false, alsoSearched: [String] = []) {
        self.total = total
        self.relaxed = relaxed
        self.alsoSearched = alsoSearched
    }
}

/// The answer to a search.
public struct SearchResult: Sendable {
    public let query: String
    public let summary: SearchSummary
    public let hits: [Hit]
    /// True when the time budget ran out: the hits (and the total, when the count was
    /// not finished: 0) are those found by then.
    public var partial = false

    /// All matching dispatches, not only the page returned.
    public var total: Int { summary.total }
    /// True when no dispatch had all the words and any-word matching was used instead.
    public var relaxed: Bool { summary.relaxed }

    public init(query: String, summary: SearchSummary, hits: [Hit], partial: Bool = false) {
        self.query = query
        self.summary = summary
        self.hits = hits
        self.partial = partial
    }
}

/// A dispatch's text with the matches of a query marked, for `show --query`.
public struct HighlightedText: Sendable {
    public let title: Snippet
    public let standfirst: Snippet
    public let body: Snippet

    public init(title: Snippet, standfirst: Snippet, body: Snippet) {
        self.title = title
        self.standfirst = standfirst
        self.body = body
    }
}

/// What receives a search's hits as they are read: the total first, then each hit in
/// rank order, then the end. Output implements it; the search calls it, so that the
/// output stage never calls the search.
public protocol HitSink: AnyObject {
    /// The number of hits (all of them, not the page) and how the query was searched.
    func begin(_ summary: SearchSummary) throws
    func receive(_ hit: Hit) throws
    /// `partial`: the time budget ran out, the hits are those found by then.
    func end(partial: Bool) throws
}
