import DepecheModel

/// What a search asks the full-text index for, as a value: the search builds it (from a
/// parsed query, a word's forms, a dispatch's distinctive terms) and only the index
/// writes it in FTS5's query language, with the tokenizer's markers (``fts5``). Nothing
/// is written as query text to be parsed again, so a word typed or found in a document
/// is never syntax.
///
///     let match = FullTextMatch.all([.phrase(FullTextPhrase("réforme")), .phrase(FullTextPhrase("retraites"))])
///     match.fts5   // (\"réforme\" AND \"retraites\")
public indirect enum FullTextMatch: Hashable, Sendable {
    /// One phrase: a word, or words one after the other.
    case phrase(FullTextPhrase)
    /// Phrases at most `distance` words apart.
    case near([FullTextPhrase], distance: Int)
    /// Every one of the matches, and none of `excluding` (FTS5's NOT is binary: the
    /// exclusions follow the matches wanted).
    case all([FullTextMatch], excluding: [FullTextMatch] = [])
    /// Any of the matches.
    case any([FullTextMatch])

    /// The phrases in FTS5's order, which numbers them for the relevance function and
    /// ``BM25Statistics/Layout``.
    public var phrases: [FullTextPhrase] {
        switch self {
        case .phrase(let phrase): return [phrase]
        case .near(let phrases, _): return phrases
        case .all(let wanted, let excluded): return (wanted + excluded).flatMap(\.phrases)
        case .any(let alternatives): return alternatives.flatMap(\.phrases)
        }
    }

    /// The FTS5 expression: `(a AND b) NOT c`, `(a OR b)`, `NEAR(a b, 10)`; a group of one
    /// is that one.
    var fts5: String {
        switch self {
        case .phrase(let phrase):
            return phrase.fts5
        case .near(let phrases, let distance):
            if phrases.count == 1 { return phrases[0].fts5 }
            return "NEAR(" + phrases.map(\.fts5).joined(separator: " ") + ", \(distance))"
        case .all(let wanted, let excluded):
            var expression = Self.group(wanted, "AND")
            for exclusion in excluded { expression += " NOT " + exclusion.fts5 }
            return expression
        case .any(let alternatives):
            return Self.group(alternatives, "OR")
        }
    }

    private static func group(_ matches: [FullTextMatch], _ operation: String) -> String {
        matches.count == 1 ? matches[0].fts5 : "(" + matches.map(\.fts5).joined(separator: " \(operation) ") + ")"
    }
}

/// A phrase of a ``FullTextMatch``: its text, which forms of its words are asked, and the
/// text column it is limited to (nil: any).
public struct FullTextPhrase: Hashable, Sendable {
    /// Which forms of the phrase's words match.
    public enum Forms: Hashable, Sendable {
        /// The words analyzed as a query's: a word matches its stems too.
        case analyzed
        /// The words' own forms, not their stems (a quoted phrase, an `=word`).
        case own
        /// The words beginning with the text (`prefix*`): surface forms, since a prefix of
        /// a stem means little.
        case prefix
        /// One index term as the analyzer wrote it (a word's form, a stem), not analyzed
        /// again: how a search asks for the forms of a word one by one.
        case term
    }

    public let text: String
    public let forms: Forms
    public let column: TextField?

    public init(_ text: String, forms: Forms = .analyzed, column: TextField? = nil) {
        self.text = text
        self.forms = forms
        self.column = column
    }

    /// `"text"`, `"text"*`, `title : "text"`; quotes doubled, and the tokenizer's marker
    /// first for own forms and index terms (``FrenchTokenizer``).
    var fts5: String {
        var quoted = "\""
        switch forms {
        case .own: quoted.unicodeScalars.append(FrenchTokenizer.exactMarker)
        case .term: quoted.unicodeScalars.append(FrenchTokenizer.verbatimMarker)
        case .analyzed, .prefix: break
        }
        // Doubled scalar by scalar: a quote followed by a combining mark is one Character,
        // which a replacement of Characters would miss.
        for scalar in text.unicodeScalars {
            quoted.unicodeScalars.append(scalar)
            if scalar == "\"" { quoted.unicodeScalars.append(scalar) }
        }
        quoted += "\""
        if forms == .prefix { quoted += "*" }
        return column.map { "\($0.rawValue) : \(quoted)" } ?? quoted
    }
}
