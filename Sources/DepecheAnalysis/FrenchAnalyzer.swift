/// The French analysis shared by documents and queries (see DESIGN.md): a tokenizer,
/// ``WordSegmenter``, which fixes the words and their positions, then a chain of token
/// filters over each word, composed in ``chain`` — the shape of Lucene's
/// `Tokenizer → TokenFilter` chain and tantivy's `TextAnalyzer`:
///
///     ElisionFilter → FoldingFilter → FunctionWordFilter → IdentifierFilter → NameFilter
///         → LoanwordFilter → StemFilter → SingularFilter
///
/// A word's filtered spellings become its ``Forms``: the document terms (colocated at
/// the word's position), the query terms and the `prefix*` terms. Documents analyze each
/// distinct word once (a cache of its terms), on the thread that parses the files.
///
///     let analyzer = try FrenchAnalyzer()
///     analyzer.forms(of: "l’État").document   // ["etat", "~etat", "letat"]
///
/// Not thread-safe (it owns ICU and Snowball objects and a cache): one per connection
/// or thread.
public final class FrenchAnalyzer {
    /// The index terms of one word, by use.
    public struct Forms: Equatable, Sendable {
        /// Indexed for a document: the folded form (singular for a plural) first, then its
        /// stems (after ``StemFilter/marker``) and, for an elided name, the joined spelling
        /// (`l’État` → `etat`, `~etat`, `letat`); a capitalized place name as written. All
        /// but the first are colocated at the same position.
        public let document: [String]
        /// Matched for a query word: its exact terms, then its stems (alternatives at one
        /// position); a name's folded form and variants only.
        public let query: [String]
        /// Matched for a word in quotes or `=word`: the word's own form, singular or
        /// plural, without stems; a name with its variants.
        public let exact: [String]
        /// Matched for a `prefix*` query word: the folded forms (singular for a plural).
        public let prefix: [String]

        public init(document: [String], query: [String], exact: [String], prefix: [String]) {
            self.document = document
            self.query = query
            self.exact = exact
            self.prefix = prefix
        }
    }

    /// The filters every word goes through, in order.
    public let chain: [any TokenFilter]
    private let icu: ICUText
    private let stemmer: SnowballStemmer
    /// The document terms of the words seen, for ``forEachDocumentTerm(of:_:)``.
    private var documentTerms = TermCache()

    public init() throws {
        icu = try ICUText()
        stemmer = try SnowballStemmer(language: "french")
        chain = [ElisionFilter(), FoldingFilter(icu: icu), FunctionWordFilter(), IdentifierFilter(), NameFilter(), LoanwordFilter(),
                 StemFilter(stemmer: stemmer, icu: icu), SingularFilter()]
    }

    /// Calls `body` with the document terms of one word (its UTF-8 bytes as cut by
    /// ``WordSegmenter``) and their index (0 for the first, the others are colocated).
    /// `body` returns false to stop; so does this function then.
    func forEachDocumentTerm(of word: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Bool {
        documentTerms.forEachTerm(of: word, compute: { documentTerms(of: String(decoding: word, as: UTF8.self)) }, body)
    }

    /// The document terms of one word alone (``Forms/document``), without the query forms
    /// an index run never needs.
    func documentTerms(of written: String) -> [String] {
        var terms: [String] = []
        for spelling in analyzed(written).spellings where !spelling.primary.isEmpty {
            for term in spelling.documentTerms where !term.isEmpty { appendNew(term, to: &terms) }
        }
        return terms
    }

    /// A word through the chain.
    func analyzed(_ written: String) -> AnalyzedWord {
        var word = AnalyzedWord(written: written)
        for filter in chain { filter.apply(to: &word) }
        return word
    }

    /// The forms of one word as cut by ``WordSegmenter``.
    public func forms(of written: String) -> Forms {
        let word = analyzed(written)
        var document: [String] = []
        var query: [String] = []
        var exact: [String] = []
        var prefix: [String] = []
        for spelling in word.spellings where !spelling.primary.isEmpty {
            for term in spelling.documentTerms where !term.isEmpty { appendNew(term, to: &document) }
            for term in spelling.queryTerms where !term.isEmpty { appendNew(term, to: &query) }
            for term in spelling.exactTerms where !term.isEmpty { appendNew(term, to: &exact) }
            appendNew(spelling.isName ? spelling.folded : spelling.primary, to: &prefix)
        }
        return Forms(document: document, query: query, exact: exact, prefix: prefix)
    }

    private func appendNew(_ term: String, to terms: inout [String]) {
        if !terms.contains(term) { terms.append(term) }
    }
}
