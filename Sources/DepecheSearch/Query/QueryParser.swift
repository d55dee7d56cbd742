import DepecheAnalysis
import DepecheModel

/// A query as a person typed it, parsed. See ``QueryParser`` for the grammar.
public indirect enum QueryNode: Equatable, Sendable {
    /// A word, a `"phrase"` or a `prefix*`, optionally limited to one text field.
    case term(Term)
    /// `source:ACI`, `category:Politique`: metadata filters, not full-text terms.
    case filter(MetadataField, String)
    /// All must match (words side by side, or `AND`).
    case all([QueryNode])
    /// Any may match (`OR`).
    case any([QueryNode])
    /// Must not match (`-word`, `-"phrase"`, `NOT word`).
    case not(QueryNode)
    /// Words or phrases at most `distance` words apart (`Rosatom NEAR/5 Congo`).
    case near([Term], distance: Int)

    public struct Term: Equatable, Sendable {
        /// `exact`: `=word`, its own form only (as a word in quotes).
        public enum Kind: Equatable, Sendable { case word, phrase, prefix, exact }
        public let text: String
        public let kind: Kind
        public let field: TextField?
    }

    /// A term in no field, as a feature builds it (a correction, a dispatch's term):
    /// what the parser would make of the word typed, without parsing it.
    static func word(_ text: String, kind: Term.Kind = .word) -> QueryNode {
        .term(Term(text: text, kind: kind, field: nil))
    }
}

/// A query the parser cannot make sense of, with the 1-based column of the problem.
public struct QueryError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String
    public let column: Int

    public var description: String { "query error at column \(column): \(message)" }
}

/// Parses the forgiving query grammar (README, "depeche search"):
///
///     query   := any
///     any     := all ("OR" all)*
///     all     := near+                       (words side by side must all match; "AND" is allowed)
///     near    := unary ("NEAR" | "NEAR/" N) unary …   (words or phrases at most N words apart; N = 10)
///     unary   := "-" primary | "NOT" primary | primary
///     primary := "(" any ")" | FIELD ":" (word | phrase) | phrase | word ["*"]
///
/// Operators are upper case only, so the French words `or`, `et`, `not`, `near` stay words.
/// Any other text is words: `data-center`, `l'État`, `C++` are not syntax. An
/// unclosed quote runs to the end of the query. Field names: title/titre,
/// standfirst/chapo, body/texte, source/agence, category/categorie.
public enum QueryParser {
    static let fieldNames: [String: Either] = [
        "title": .text(.title), "titre": .text(.title),
        "standfirst": .text(.standfirst), "chapo": .text(.standfirst),
        "body": .text(.body), "texte": .text(.body),
        "source": .metadata(.source), "agence": .metadata(.source),
        "category": .metadata(.category), "categorie": .metadata(.category), "catégorie": .metadata(.category),
    ]

    enum Either: Equatable { case text(TextField), metadata(MetadataField) }

    /// Parentheses nested deeper than this are refused.
    static let deepestNesting = 32

    /// The distance of a bare `NEAR`, as in FTS5.
    static let defaultNearDistance = 10

    public static func parse(_ query: String) throws -> QueryNode {
        // Before any work: tokenizing a pasted megabyte took seconds before the word cap
        // could refuse it.
        guard query.utf8.count <= longestQueryText else {
            throw QueryError(message: "too long: a query takes at most \(longestQueryText >> 10) KB (and \(largestQuery) words)", column: 1)
        }
        // Control characters (NUL above all, which would cut the FTS5 expression short in
        // SQLite's C strings) mean nothing in a query: they separate words like spaces.
        var cleaned = String.UnicodeScalarView()
        for scalar in query.unicodeScalars {
            cleaned.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        var tokens = try tokenize(String(cleaned))
        guard !tokens.isEmpty else { throw QueryError(message: "empty query: type words to search for", column: 1) }
        try checkCost(tokens)
        tokens.reverse()
        var parser = Parser(tokens: tokens)
        return try parser.parseAny()
    }

    /// Words a query may hold (in phrases too): each is a term FTS5 reads the postings of,
    /// and a 100 KB paste of words took minutes.
    public static let largestQuery = 64
    /// Bytes a query's text may hold: 64 long words and their operators fit many times.
    public static let longestQueryText = 8 << 10
    /// `prefix*` terms a query may hold: each is merged from every term it begins.
    public static let mostPrefixes = 8
    /// Letters or digits a prefix needs: a one-letter prefix begins a large part of the
    /// vocabulary (`a*`, and eight two-letter prefixes, were the slowest queries of the
    /// hostile-query check on OrangeSum, by far).
    public static let shortestPrefix = 3

    /// Refuses, with the cap named, a query whose cost has no useful bound.
    static func checkCost(_ tokens: [Token]) throws {
        var words = 0, prefixes = 0
        for token in tokens {
            guard case .term(_, _, let text, let kind) = token.kind else { continue }
            words += max(1, WordSegmenter.words(in: text).count)
            if words > largestQuery {
                throw QueryError(message: "too many words: a query takes at most \(largestQuery)", column: token.column)
            }
            guard kind == .prefix else { continue }
            prefixes += 1
            if prefixes > mostPrefixes {
                throw QueryError(message: "too many prefixes: a query takes at most \(mostPrefixes) words ending in *", column: token.column)
            }
            let letters = text.unicodeScalars.filter { WordSegmenter.isWordCharacter($0.value) }.count
            // A prefix of no letters at all is dropped like any term without them.
            if letters > 0, letters < shortestPrefix {
                throw QueryError(message: "\(text)*: a prefix needs at least \(shortestPrefix) letters or digits", column: token.column)
            }
        }
    }

    /// Recursive descent over the tokens, kept reversed so that the next one is `last`.
    struct Parser {
        var tokens: [Token]

        mutating func parseAny() throws -> QueryNode {
            var alternatives = [try parseAll(after: nil)]
            while let token = tokens.last, token.kind == .or {
                tokens.removeLast()
                alternatives.append(try parseAll(after: token))
            }
            return alternatives.count == 1 ? alternatives[0] : .any(alternatives)
        }

        /// Open parentheses around the current position.
        var depth = 0

        /// `orToken` is the OR before this group, for the message when the group is empty.
        mutating func parseAll(after orToken: Token?) throws -> QueryNode {
            var items: [QueryNode] = []
            while let token = tokens.last {
                if token.kind == .close, depth == 0 { throw QueryError(message: "unmatched ')'", column: token.column) }
                if token.kind == .or || token.kind == .close { break }
                if token.kind == .and {
                    tokens.removeLast()
                    guard !items.isEmpty, let next = tokens.last, next.kind != .or, next.kind != .close, next.kind != .and else {
                        throw QueryError(message: "AND needs a term on each side", column: token.column)
                    }
                    continue
                }
                if case .near(let distance) = token.kind {
                    tokens.removeLast()
                    guard let next = tokens.last, case .term(false, nil, _, _) = next.kind, case .term(let right) = try parsePrimary() else {
                        throw QueryError(message: "NEAR needs a word or phrase on each side", column: token.column)
                    }
                    switch items.last {
                    case .near(let terms, distance)?:
                        // a NEAR b NEAR c: one group.
                        items[items.count - 1] = .near(terms + [right], distance: distance)
                    case .term(let left)? where left.field == nil:
                        items[items.count - 1] = .near([left, right], distance: distance)
                    default:
                        throw QueryError(message: "NEAR needs a word or phrase on each side", column: token.column)
                    }
                    continue
                }
                items.append(try parseUnary())
            }
            guard !items.isEmpty else {
                if let orToken { throw QueryError(message: "OR needs a term after it", column: orToken.column) }
                if let next = tokens.last, next.kind == .or { throw QueryError(message: "OR needs a term before it", column: next.column) }
                if let next = tokens.last { throw QueryError(message: "empty parentheses", column: next.column) }
                throw QueryError(message: "empty query: type words to search for", column: 1)
            }
            return items.count == 1 ? items[0] : .all(items)
        }

        mutating func parseUnary() throws -> QueryNode {
            guard let token = tokens.last else { throw QueryError(message: "a term is missing at the end", column: 1) }
            if token.kind == .not {
                tokens.removeLast()
                guard let next = tokens.last, next.kind != .or, next.kind != .and, next.kind != .close, next.kind != .not else {
                    throw QueryError(message: "NOT needs a term after it", column: token.column)
                }
                return .not(try parsePrimary())
            }
            return try parsePrimary()
        }

        mutating func parsePrimary() throws -> QueryNode {
            let token = tokens.removeLast()
            switch token.kind {
            case .open:
                // The descent recurses once per parenthesis: bound it, the stack is not.
                guard depth < QueryParser.deepestNesting else {
                    throw QueryError(message: "more than \(QueryParser.deepestNesting) nested parentheses", column: token.column)
                }
                depth += 1
                defer { depth -= 1 }
                let inner = try parseAny()
                guard let close = tokens.last, close.kind == .close else {
                    throw QueryError(message: "'(' is never closed", column: token.column)
                }
                tokens.removeLast()
                return inner
            case .term(let negated, let fieldName, let text, let kind):
                let node: QueryNode
                switch fieldName.flatMap({ QueryParser.fieldNames[$0] }) {
                case .metadata(let field):
                    guard !text.isEmpty else { throw QueryError(message: "\(fieldName!): needs a value", column: token.column) }
                    node = .filter(field, text)
                case .text(let field):
                    node = .term(.init(text: text, kind: kind, field: field))
                case nil:
                    node = .term(.init(text: text, kind: kind, field: nil))
                }
                return negated ? .not(node) : node
            default:
                throw QueryError(message: "unexpected \(token.kind)", column: token.column)
            }
        }
    }
}
