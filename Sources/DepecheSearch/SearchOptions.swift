import DepecheModel
import DepecheRanking

/// Everything about a search but the query text.
public struct SearchOptions: Sendable {
    public var limit = 10
    public var offset = 0
    public var sort = SortMode.hybrid
    public var halfLifeDays = RecencyBlend.defaultHalfLifeDays
    /// The share of its relevance a very old dispatch keeps in the hybrid sort (0–1).
    public var recencyFloor = RecencyBlend.defaultFloor
    /// Dates, sources, categories, what is new to a saved search, what `similar` leaves
    /// out: the one representation of filters, which a query's own (`source:ACI`) join.
    public var filters = Filters()
    /// The day ages are counted from; by default the matches' reference day, the oldest of
    /// their newest 5% (``RecencyBlend/referenceDay(amongDays:matches:)``).
    public var now: Day?
    /// Fill ``Hit/body`` (exports that list it).
    public var includeBody = false
    /// Compute ``Hit/snippet`` (not needed for a list of ids).
    public var includeSnippet = true
    /// Seconds after which the search stops and answers with what it has found
    /// (``SearchResult/partial``); nil for no limit (an export lists every hit).
    public var timeBudget: Double?
    /// The synonym sets a query of words is expanded with (``Synonyms/none``: none).
    public var synonyms = Synonyms.shipped
    /// Propose corrected queries ("did you mean") when the query finds little.
    public var suggestions = false
    /// With ``suggestions``: when no dispatch has every word as typed and the correction
    /// finds some, list the corrected query's hits instead, said as such
    /// (``SearchSummary/correctedFrom``), as search engines do for a typo.
    public var correctsTypos = false
    /// Search the corrections of the query's words beside them when it finds little
    /// (`--fuzzy`), instead of proposing them.
    public var fuzzy = false
    /// One hit per story (``StoryGroups``): the best-ranked dispatch of each, with the
    /// others that match in ``Hit/similar``; the offset and limit count stories.
    public var collapse = false
    /// Count a page's matches exactly up to this many, and past it say only that there
    /// are more (``SearchSummary/totalIsExact``), as Elasticsearch's `track_total_hits`:
    /// ranking a page of a broad word in an archive in date order reads its newest matches,
    /// and the exact count of the rest was what walked them all. Nil: every match counted
    /// (the default: exports, `-c`, batch and watch lists count exactly).
    public var exactCountLimit: Int?

    /// The limit `depeche search` counts a page's matches to: more than any corpus the
    /// evaluation reads holds, so that no figure of it depends on where counting stops.
    public static let pageCountLimit = 50_000

    public init() {}
}

extension SearchOptions {
    /// The options' filters with those of a query.
    func filters(adding queryFilters: [MetadataFilter]) -> Filters {
        var joined = filters
        joined.metadata = queryFilters + filters.metadata
        return joined
    }
}
