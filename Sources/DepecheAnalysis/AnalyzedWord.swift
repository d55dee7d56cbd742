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
    /// The terms a query word matches, in order (``StemFilter``, ``SingularFilter``);
    /// empty: the primary term alone.
    public var stems: [String]
    /// Indexed and matched as written, unstemmed: function words, numbers, identifiers
    /// (``FunctionWordFilter``, ``IdentifierFilter``). Later filters leave it alone.
    public var keptAsWritten = false

    public init(written: String) {
        self.written = written
        lowercased = written
        folded = written
        primary = written
        stems = []
    }

    /// The terms a query word matches.
    public var queryTerms: [String] { stems.isEmpty ? [primary] : stems }

    /// Adds a stem unless it is there already.
    mutating func addStem(_ stem: String) {
        if !stems.contains(stem) { stems.append(stem) }
    }
}

/// A step of the analysis chain: reads and changes a word's spellings. The shape of
/// Lucene's `TokenFilter` and tantivy's `TokenFilter`, over one word at a time: the
/// tokenizer (``WordSegmenter``) has already fixed the positions, and no filter may add
/// or remove a position — a filter changes the terms at it (the positions contract).
public protocol TokenFilter {
    func apply(to word: inout AnalyzedWord)
}
