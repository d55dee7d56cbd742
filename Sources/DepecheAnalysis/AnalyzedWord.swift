/// One word on its way through the analysis chain (``FrenchAnalyzer/chain``): the
/// spellings it stands for, each filled in by the filters one after the other.
///
///     var word = AnalyzedWord(written: "l’État")
///     for filter in analyzer.chain { filter.apply(to: &word) }
///     word.spellings.map(\.primary)   // ["etat", "letat"]
public struct AnalyzedWord: Equatable, Sendable {
    /// The word as ``WordSegmenter`` cut it.
    public let written: String
    /// What the word stands for: one spelling, or two for an elided name
    /// (``ElisionFilter``). The index terms of the word are those of its spellings.
    public var spellings: [Spelling]

    public init(written: String) {
        self.written = written
        spellings = [Spelling(written: written)]
    }
}

/// One spelling of a word and the terms it gives.
public struct Spelling: Equatable, Sendable {
    /// As written, case and accents kept.
    public var written: String
    /// Lower-cased, accents kept: what Snowball reads (``FoldingFilter``).
    public var lowercased: String
    /// Lower-cased, without diacritics, ligatures expanded (``FoldingFilter``).
    public var folded: String
    /// The term that stands for the spelling in documents and `prefix*` queries: the
    /// folded form, or its singular (``SingularFilter``).
    public var primary: String
    /// The Snowball stems (``StemFilter``), without their ``StemFilter/marker``.
    public var stems: [String]
    /// Indexed and matched as written (folded): function words, numbers, identifiers,
    /// listed loanwords, the joined spelling of an elided name. No singular, no stems.
    public var keptAsWritten = false
    /// Not stemmed, though its singular stands for it: the English plural of a loanword
    /// (``LoanwordFilter``).
    public var unstemmed = false
    /// A place name of ``PlaceNames`` (``NameFilter``): a query matches its folded form
    /// and `variants` only; a document writing it with a capital indexes it as written.
    public var isName = false
    /// Other forms a query for the name matches (its demonyms), folded singulars.
    public var variants: [String] = []

    public init(written: String) {
        self.written = written
        lowercased = written
        folded = written
        primary = written
        stems = []
    }

    /// Written with a capital, as a name is.
    public var isCapitalized: Bool { written.first?.isUppercase == true }

    /// The forms a query for the spelling matches, each with its kind: exact first
    /// (a name written with a capital, ``NameFilter/marker``, and its variants), then
    /// stems, which a name has none of. A quoted phrase and `=word` match the forms that
    /// are not stems.
    ///
    /// A stem is asked both after ``StemFilter/marker`` and bare: a document word whose
    /// stem is its own form indexes it once, bare (``documentTerms``).
    public var queryForms: [(term: String, kind: FormKind)] {
        if isName { return [(NameFilter.marker + folded, .exact)] + variants.map { ($0, .variant) } }
        return [(primary, .exact)] + stems.flatMap { [(StemFilter.marker + $0, FormKind.stem), ($0, .stem)] }
    }

    /// The terms a document indexes at the word's position: a name written with a
    /// capital as written and as a name; any other word its primary term and its stems,
    /// but for a stem that is the primary term itself (`cacao`, `jeu`), which the primary
    /// stands for: one term less for a word Snowball leaves whole, as most short words.
    public var documentTerms: [String] {
        if isName && isCapitalized { return [folded, NameFilter.marker + folded] }
        return [primary] + stems.filter { $0 != primary }.map { StemFilter.marker + $0 }
    }

    /// Adds a stem unless it is there already.
    mutating func addStem(_ stem: String) {
        if !stems.contains(stem) { stems.append(stem) }
    }
}

/// What a query term is to the word asked: its own form (up to case, accents,
/// ligatures, elision and number), a variant a list gives (a name's demonym), or a stem.
/// A search ranks matches through exact forms above the others.
public enum FormKind: Equatable, Sendable {
    case exact, variant, stem
}

/// A step of the analysis chain: reads and changes a word's spellings. The shape of
/// Lucene's `TokenFilter` and tantivy's `TokenFilter`, over one word at a time: the
/// tokenizer (``WordSegmenter``) has already fixed the positions, and no filter may add
/// or remove a position — a filter changes the terms at it (the positions contract).
public protocol TokenFilter {
    func apply(to word: inout AnalyzedWord)
}
