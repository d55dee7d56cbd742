import DepecheAnalysis
import DepecheIndex
import DepecheRanking

/// A query of words asked by their forms: each word becomes a group of single terms
/// joined by OR — its exact forms, a name's variants, its stems — so that FTS5 selects
/// what any form matches and the index's relevance function weighs each instance by the
/// form it matched (``BM25Statistics/Layout``): exact forms first.
///
///     let groups = try WordGroups(query)   // "centres de données"
///     groups?.match   // ("\u{1}centre" OR "\u{1}~centr" OR "\u{1}centr") AND ("\u{1}donnee" OR "\u{1}~don" OR …)
struct WordGroups: Equatable {
    /// How much an instance counts, by the kind of form it matched. An exact form is the
    /// word asked; a stem is a guess (`données` → *don*, `café` → *CAF*); a variant (a
    /// demonym) is the name's own family. Exact forms come first through the tier anyway
    /// (``BM25Statistics/Layout``); these weights order matches within a tier, and matter
    /// little: on the training split, stem weights 0.1, 0.3 and 0.5 gave known-item MRR@10
    /// 0.832, 0.831 and 0.830 and the same topical precision (docs/RELEVANCE.md).
    static let weights: [FormKind: Double] = [.exact: 1, .variant: 0.8, .stem: 0.3]

    /// Each word's FTS5 expression: its terms, verbatim, joined by OR.
    let expressions: [String]
    /// The phrases of ``match`` grouped by word, with their weights.
    let layout: BM25Statistics.Layout

    /// The groups of a query of plain words, `=words` and quoted words, all required, in
    /// no field; nil for any other query (phrases of several words, prefixes, OR, NOT,
    /// NEAR, fields), which FTS5 matches as written.
    init?(_ query: CompiledQuery) throws {
        guard let words = query.conjunctionTexts else { return nil }
        let analyzer = try FrenchAnalyzer()
        var expressions: [String] = []
        var groups: [Int] = [], weights: [Double] = []
        for (group, word) in words.enumerated() {
            guard let forms = analyzer.queryForms(atOnePosition: word.text, use: word.kind == .word ? .query : .exact) else { return nil }
            expressions.append(FrenchTokenizer.verbatimAlternatives(forms.map(\.term)))
            for form in forms {
                groups.append(group)
                weights.append(Self.weights[form.kind] ?? 1)
            }
        }
        self.expressions = expressions
        layout = BM25Statistics.Layout(groups: groups, weights: weights)
    }

    /// The FTS5 expression of the whole query: the groups joined by AND.
    var match: String {
        expressions.count == 1 ? expressions[0] : expressions.map { "(\($0))" }.joined(separator: " AND ")
    }
}
