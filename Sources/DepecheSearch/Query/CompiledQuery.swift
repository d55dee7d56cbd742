import Foundation
import DepecheAnalysis
import DepecheIndex
import DepecheModel

/// A parsed query turned into what the index runs: a ``FullTextMatch`` in which every
/// term is a phrase of its own (so FTS5 syntax typed by a person is never syntax), plus
/// metadata filters.
///
///     let query = try CompiledQuery("réforme retraites source:AFP")
///     query.match     // .all([.phrase("réforme"), .phrase("retraites")])
///     query.filters   // [source: AFP]
public struct CompiledQuery: Equatable, Sendable {
    /// The query as typed (or, for a query built by a feature such as `similar`, as it
    /// would be typed), for messages and lists: never parsed again.
    public let text: String
    /// The words asked, or nil for a filters-only query (`source:ACI`).
    public let match: FullTextMatch?
    public let filters: [MetadataFilter]
    /// The any-word form of an all-words query, tried when it finds nothing.
    public let relaxedMatch: FullTextMatch?
    /// The words of the relaxed form, one match each, to count how many of them a
    /// dispatch has.
    public let relaxedTerms: [FullTextMatch]
    /// True when a term is a `prefix*`: FTS5 merges the doclists of every word it
    /// matches anew for each statement, so searches read its matches in one.
    public let hasPrefix: Bool
    /// True when the match is a single phrase (a word, a "quoted phrase", a `prefix*`, in
    /// a field or not) with nothing excluded: bm25 then has one idf, which scales every
    /// score alike (``RelevanceFunction``).
    public let isSinglePhrase: Bool
    /// The match's phrases, in FTS5's order, when the match is nothing but words,
    /// `=words` or "quoted phrases" in no field, all required (FTS5 may still cut one
    /// into several tokens).
    public let conjunctionTexts: [QueryNode.Term]?

    public init(_ query: String) throws {
        try self.init(QueryParser.parse(query), text: query)
    }

    /// The query of a parsed (or built) `node`; `text` says it for messages.
    public init(_ node: QueryNode, text: String) throws {
        self.text = text
        var items: [QueryNode]
        if case .all(let children) = node { items = children } else { items = [node] }
        var filters: [MetadataFilter] = []
        items.removeAll { item in
            switch item {
            case .filter(let field, let value):
                filters.append(MetadataFilter(field: field, values: [value], excluded: false))
                return true
            case .not(.filter(let field, let value)):
                filters.append(MetadataFilter(field: field, values: [value], excluded: true))
                return true
            default:
                return false
            }
        }
        let (positiveParts, negativeParts) = try Self.conjunction(items)
        if positiveParts.isEmpty {
            if !negativeParts.isEmpty {
                throw QueryError(message: "a query needs at least one word that is not excluded", column: 1)
            }
            if filters.isEmpty {
                throw QueryError(message: "nothing to search for: the query has no letters or digits", column: 1)
            }
        }
        self.filters = filters
        hasPrefix = items.contains(where: Self.containsPrefix)
        let match = positiveParts.isEmpty ? nil : FullTextMatch.all(positiveParts, excluding: negativeParts)
        self.match = match
        isSinglePhrase = negativeParts.isEmpty && match?.phrases.count == 1
        let texts = Self.wanted(items).map { item -> QueryNode.Term? in
            guard case .term(let term) = item, term.kind != .prefix, term.field == nil, Self.phrase(term) != nil else { return nil }
            return term
        }
        conjunctionTexts = negativeParts.isEmpty && !texts.isEmpty && !texts.contains(nil) ? texts.compactMap { $0 } : nil
        // Relaxing makes sense for plain words only: an OR the user wrote, or a single
        // term, has nothing to relax.
        let plainWords = items.allSatisfy {
            switch $0 {
            case .term, .not: return true
            default: return false
            }
        }
        let relaxable = plainWords && positiveParts.count > 1
        relaxedMatch = relaxable ? .all([.any(positiveParts)], excluding: negativeParts) : nil
        relaxedTerms = relaxable ? positiveParts : []
    }

    static func containsPrefix(_ node: QueryNode) -> Bool {
        switch node {
        case .term(let term): return term.kind == .prefix
        case .near(let terms, _): return terms.contains { $0.kind == .prefix }
        case .all(let children), .any(let children): return children.contains(where: containsPrefix)
        case .not(let inner): return containsPrefix(inner)
        case .filter: return false
        }
    }

    /// A term as a phrase of the match; nil when it holds nothing searchable (`*`, `—`).
    /// A phrase or `=word` is matched by its words' own forms, not their stems.
    static func phrase(_ term: QueryNode.Term, in column: TextField? = nil) -> FullTextPhrase? {
        guard WordSegmenter.containsWord(Substring(term.text)) else { return nil }
        let forms: FullTextPhrase.Forms
        switch term.kind {
        case .word: forms = .analyzed
        case .phrase, .exact: forms = .own
        case .prefix: forms = .prefix
        }
        return FullTextPhrase(term.text, forms: forms, column: column)
    }

    /// The matches of the included and of the excluded nodes of an all-must-match group.
    ///
    /// A ubiquitous function word among other words (`des` in `réforme des retraites`) is
    /// left out: most dispatches have it, so requiring it selects next to nothing, and
    /// bm25 gives it no weight, while FTS5 walks its doclist, one of the longest of the
    /// index, for every statement. Rarer function words (`contre`, `selon`) still tell
    /// stories apart and stay. In a phrase it stays (word order), and a query of such
    /// words only keeps them all.
    static func conjunction(_ nodes: [QueryNode]) throws -> (positives: [FullTextMatch], negatives: [FullTextMatch]) {
        var positives: [FullTextMatch] = []
        var negatives: [FullTextMatch] = []
        for node in wanted(nodes) {
            if case .not(let inner) = node {
                if let part = try expression(inner) { negatives.append(part) }
            } else if let part = try expression(node) {
                positives.append(part)
            }
        }
        return (positives, negatives)
    }

    /// The nodes of an all-must-match group that go into its expression (see ``conjunction(_:)``).
    static func wanted(_ nodes: [QueryNode]) -> [QueryNode] {
        nodes.contains { !isUbiquitousWord($0) && !isExclusion($0) } ? nodes.filter { !isUbiquitousWord($0) } : nodes
    }

    /// A plain word, in no field, among ``FunctionWordFilter/ubiquitous``.
    static func isUbiquitousWord(_ node: QueryNode) -> Bool {
        guard case .term(let term) = node, term.kind == .word, term.field == nil else { return false }
        return FunctionWordFilter.isUbiquitous(term.text)
    }

    static func isExclusion(_ node: QueryNode) -> Bool {
        if case .not = node { return true }
        return false
    }

    /// The match of a node, or nil when it holds nothing searchable (`*`, `—`).
    static func expression(_ node: QueryNode) throws -> FullTextMatch? {
        switch node {
        case .term(let term):
            return phrase(term, in: term.field).map(FullTextMatch.phrase)
        case .near(let terms, let distance):
            let phrases = terms.compactMap { phrase($0) }
            if phrases.count < 2 { return phrases.first.map(FullTextMatch.phrase) }
            return .near(phrases, distance: distance)
        case .filter(let field, _):
            throw QueryError(message: "\(field.rawValue): filters apply to the whole query; they cannot stand inside OR, NOT or parentheses", column: 1)
        case .all(let children):
            let (positives, negatives) = try conjunction(children)
            guard !positives.isEmpty else {
                if negatives.isEmpty { return nil }
                throw QueryError(message: "a group needs at least one word that is not excluded", column: 1)
            }
            return .all(positives, excluding: negatives)
        case .any(let children):
            let alternatives = try children.compactMap(expression)
            if alternatives.isEmpty { return nil }
            return .any(alternatives)
        case .not:
            throw QueryError(message: "an exclusion cannot be an alternative of OR; write it beside the other words", column: 1)
        }
    }
}
