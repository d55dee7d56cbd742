import DepecheAnalysis
import DepecheIndex
import DepecheRanking

/// A query of words asked by their forms: each word becomes a group of index terms
/// (``FullTextPhrase/Forms/term``) joined by OR — its exact forms, a name's variants, its stems — so that FTS5 selects
/// what any form matches and the index's relevance function weighs each instance by the
/// form it matched (``BM25Statistics/Layout``): exact forms first. A run of words that
/// a synonym set names (``Synonyms``) adds the set's other expressions to each of its
/// groups, as phrases of their own forms.
///
///     let groups = try WordGroups(query, synonyms: .shipped)   // "centres de données"
///     groups?.match   // .all([.any([centre, ~centr, …, "data center"]), .any([donnee, …, "data center"])])
///     groups?.alsoSearched   // ["data center", "data centre", "datacenter"]
struct WordGroups: Equatable {
    /// How much an instance counts, and the tier points its group earns, by the kind of
    /// form it matched. An exact form is the word asked; a stem is a guess (`données` →
    /// *don*, `café` → *CAF*); a variant (a demonym) is the name's own family; a synonym
    /// is another name of the concept. Exact forms come first through the tier
    /// (``BM25Statistics/Layout``), synonyms next; the weights order matches within a
    /// tier, and matter little: on the training split, stem weights 0.1, 0.3 and 0.5 gave
    /// known-item MRR@10 0.832, 0.831 and 0.830 and the same topical precision
    /// (docs/RELEVANCE.md).
    enum Form {
        case exact, variant, stem, synonym

        init(_ kind: FormKind) {
            switch kind {
            case .exact: self = .exact
            case .variant: self = .variant
            case .stem: self = .stem
            }
        }

        var weight: Double {
            switch self {
            case .exact: return 1
            case .variant, .synonym: return 0.8
            case .stem: return 0.3
            }
        }

        /// A synonym stands for the words typed, below them: `ONU` first, then the
        /// dispatches that write only *Nations unies*.
        var tierPoints: Int {
            switch self {
            case .exact: return BM25Statistics.Layout.mostPointsPerGroup
            case .synonym: return 1
            case .variant, .stem: return 0
            }
        }
    }

    /// Synonym phrases a query may add (each is walked by FTS5 once per group it covers).
    static let mostSynonymPhrases = 24

    /// Each word's match: any of its terms (and synonym phrases).
    let expressions: [FullTextMatch]
    /// The phrases of ``match`` grouped by word, with their weights.
    let layout: BM25Statistics.Layout
    /// The synonyms searched beside the words typed, as the list writes them.
    let alsoSearched: [String]

    /// The groups of a query of plain words, `=words` and quoted phrases, all required, in
    /// no field; nil for any other query (prefixes, OR, NOT, NEAR, fields), which FTS5
    /// matches as written. A one-word term is asked by its forms; a term of several
    /// words (`Covid-19`, a quoted phrase) is one phrase, as FTS5 reads it.
    ///
    /// A word the documents write capitalized nearly every time (`caseCounts` gives how
    /// they write the words' own terms: ``CaseCount/marksAName``) is a name, asked
    /// without its stems, as a listed name is: `Dati` does not find *dates*.
    init?(_ query: CompiledQuery, synonyms: Synonyms, analyzer: FrenchAnalyzer,
          caseCounts: ([String]) throws -> [String: CaseCount] = { _ in [:] }) throws {
        guard let terms = query.conjunctionTexts else { return nil }
        let termForms = terms.map { term in
            analyzer.queryForms(atOnePosition: term.text, use: term.kind == .word ? .query : .exact)
        }
        // The own terms of the words that have stems: the candidates for a learned name.
        let candidates = termForms.compactMap { forms -> String? in
            guard let forms, forms.contains(where: { $0.kind == .stem }) else { return nil }
            return forms.first { $0.kind == .exact }?.term
        }
        let counts = candidates.isEmpty ? [:] : try caseCounts(candidates)
        var phrases: [[(phrase: FullTextPhrase, form: Form)]] = []
        var keys: [[String]] = []
        for (term, forms) in zip(terms, termForms) {
            if var forms {
                if let own = forms.first(where: { $0.kind == .exact }), counts[own.term]?.marksAName == true {
                    forms.removeAll { $0.kind == .stem }
                }
                phrases.append(forms.map { (FullTextPhrase($0.term, forms: .term), Form($0.kind)) })
            } else if let phrase = CompiledQuery.phrase(term) {
                phrases.append([(phrase, .exact)])
            } else {
                return nil
            }
            // Only plain words are expanded: quotes and `=` ask for the words typed. A joined
            // compound has the synonyms of its cut writing (`covid19`: those of `Covid-19`).
            let written = LetterDigitCompound.split(term.text).map { $0.0 + " " + $0.1 } ?? term.text
            keys.append(term.kind == .word ? Synonyms.key(of: written, analyzer: analyzer) : ["\u{0}"])
        }
        for compound in LetterDigitCompound.all(in: terms) {
            for phrase in compound.otherForms(analyzer: analyzer) {
                for group in compound.groups { phrases[group].append((phrase, .exact)) }
            }
        }
        var alsoSearched: [String] = []
        var added = 0
        for match in synonyms.matches(inGroups: keys, analyzer: analyzer) {
            for alternative in match.alternatives where added + match.groups.count <= Self.mostSynonymPhrases {
                guard let phrase = CompiledQuery.phrase(QueryNode.Term(text: alternative, kind: .phrase, field: nil)) else { continue }
                for group in match.groups { phrases[group].append((phrase, .synonym)) }
                added += match.groups.count
                alsoSearched.append(alternative)
            }
        }
        var groups: [Int] = [], weights: [Double] = [], tiers: [Int] = []
        for (group, forms) in phrases.enumerated() {
            for form in forms {
                groups.append(group)
                weights.append(form.form.weight)
                tiers.append(form.form.tierPoints)
            }
        }
        expressions = phrases.map { .any($0.map { .phrase($0.phrase) }) }
        layout = BM25Statistics.Layout(groups: groups, weights: weights, tiers: tiers)
        self.alsoSearched = alsoSearched
    }

    /// The match of the whole query: every group.
    var match: FullTextMatch { .all(expressions) }
}

/// A word of letters then digits, written in one (`covid19`, `COP21`, `G7`), hyphenated
/// (`Covid-19`) or spaced (`covid 19`, `COP 21`): one word whichever way it is written.
/// The tokenizer cuts at the hyphen or the space and keeps `covid19` whole, so each
/// writing asks for the other beside itself, as an exact form: the joined term for the
/// cut one, the phrase for the joined one (a synonym covering its groups would rank
/// below the word typed).
struct LetterDigitCompound: Equatable {
    let letters: String
    let digits: String
    /// The groups it is asked in: one for `covid19` or `Covid-19`, two for `covid 19`.
    let groups: [Int]
    /// Written joined: the phrase is the other form; cut: the joined term.
    let joined: Bool

    /// The compounds among the terms of a conjunction, in order: a term that is one
    /// (`covid19`, `Covid-19`, `"covid 19"`), or a plain word of letters followed by a plain word of digits.
    static func all(in terms: [QueryNode.Term]) -> [LetterDigitCompound] {
        var found: [LetterDigitCompound] = []
        for (index, term) in terms.enumerated() {
            let words = WordSegmenter.words(in: term.text).map(String.init)
            if words.count == 1, let (letters, digits) = split(words[0]) {
                found.append(LetterDigitCompound(letters: letters, digits: digits, groups: [index], joined: true))
            } else if words.count == 2, isLetters(words[0]), isDigits(words[1]) {
                found.append(LetterDigitCompound(letters: words[0], digits: words[1], groups: [index], joined: false))
            } else if words.count == 1, term.kind == .word, isLetters(words[0]), index + 1 < terms.count, terms[index + 1].kind == .word,
                      case let next = WordSegmenter.words(in: terms[index + 1].text), next.count == 1, isDigits(String(next[0])) {
                found.append(LetterDigitCompound(letters: words[0], digits: String(next[0]), groups: [index, index + 1], joined: false))
            }
        }
        return found
    }

    /// The phrases of the writing not typed: `covid 19` for `covid19`, the joined term's
    /// own forms for the others.
    func otherForms(analyzer: FrenchAnalyzer) -> [FullTextPhrase] {
        guard !joined else { return [FullTextPhrase(letters + " " + digits, forms: .own)] }
        let own = analyzer.queryForms(atOnePosition: letters + digits, use: .exact) ?? []
        return own.map { FullTextPhrase($0.term, forms: .term) }
    }

    /// A word's letters and digits, when it is letters then digits.
    static func split(_ word: String) -> (String, String)? {
        guard let firstDigit = word.firstIndex(where: \.isASCIIDigit) else { return nil }
        let letters = String(word[..<firstDigit]), digits = String(word[firstDigit...])
        return isLetters(letters) && isDigits(digits) ? (letters, digits) : nil
    }

    static func isLetters(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy(\.isLetter) }
    static func isDigits(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy(\.isASCIIDigit) }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
