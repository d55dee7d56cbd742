/// The French analysis shared by documents and queries (README, "How French text is analyzed"): a tokenizer,
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
///     analyzer.forms(of: "l’État").document   // ["etat", "letat"]
///
/// Not thread-safe (it owns ICU and Snowball objects and a cache): one per connection
/// or thread.
public final class FrenchAnalyzer {
    /// The index terms of one word, by use.
    public struct Forms: Equatable, Sendable {
        /// Indexed for a document: the folded form (singular for a plural) first, then its
        /// stems other than itself (after ``StemFilter/marker``) and, for an elided name,
        /// the joined spelling (`l’État` → `etat`, `letat`); a capitalized place name as
        /// written and as a name. All but the first are colocated at the same position.
        public let document: [String]
        /// Matched for a query word: its exact terms, then its stems (alternatives at one
        /// position); a name's folded form and variants only.
        public let query: [String]
        /// Matched for a word in quotes or `=word`: the word's own form, singular or
        /// plural, without stems; a name without its variants (`=France` is not *français*).
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
    /// The document terms of the words seen, for ``forEachDocumentTerm(of:counted:_:)``,
    /// and the case evidence of the documents analyzed.
    private var documentTerms = TermCache()
    /// Count how the documents analyzed write their words (``CaseCount``): an index run
    /// asks it of the analyzer that prepares its documents, and takes the counts with
    /// ``takeCaseEvidence()``.
    public var collectsCaseEvidence = false

    public init() throws {
        icu = try ICUText()
        stemmer = try SnowballStemmer(language: "french")
        chain = [ElisionFilter(), FoldingFilter(icu: icu), FunctionWordFilter(), IdentifierFilter(), NameFilter(), LoanwordFilter(),
                 StemFilter(stemmer: stemmer, icu: icu), SingularFilter()]
    }

    /// Calls `body` with the document terms of one word (its UTF-8 bytes as cut by
    /// ``WordSegmenter``) and their index (0 for the first, the others are colocated).
    /// `body` returns false to stop; so does this function then.
    func forEachDocumentTerm(of word: UnsafeBufferPointer<UInt8>, counted: Bool,
                             _ body: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Bool {
        documentTerms.forEachTerm(of: word, counted: counted, compute: { documentTerms(of: String(decoding: word, as: UTF8.self)) }, body)
    }

    /// The case evidence of the documents analyzed since the last call, by each word's
    /// own term (the terms seen capitalized only).
    public func takeCaseEvidence() -> [String: CaseCount] {
        documentTerms.foldEvidence()
        return documentTerms.takeEvidence()
    }

    /// Terms of case evidence waiting for ``takeCaseEvidence()`` (folded when the word
    /// cache was last dropped).
    public var pendingCaseEvidence: Int { documentTerms.evidence.count }

    /// The document terms of one word alone (``Forms/document``), without the query forms
    /// an index run never needs.
    func documentTerms(of written: String) -> [String] {
        terms(of: analyzed(written)) { $0.documentTerms }
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
        return Forms(document: terms(of: word) { $0.documentTerms },
                     query: queryForms(of: word, use: .query).map(\.term),
                     exact: queryForms(of: word, use: .exact).map(\.term),
                     prefix: terms(of: word) { [$0.isName ? $0.folded : $0.primary] })
    }

    /// A word's query forms for `use` (``TermUse/query``: all; ``TermUse/exact``: its own
    /// forms only, no stem and no variant: the word as written), each term once, in order.
    func queryForms(of word: AnalyzedWord, use: TermUse) -> [(term: String, kind: FormKind)] {
        var forms: [(term: String, kind: FormKind)] = []
        for spelling in word.spellings where !spelling.primary.isEmpty {
            for form in spelling.queryForms where !form.term.isEmpty && (use != .exact || form.kind == .exact)
                && !forms.contains(where: { $0.term == form.term }) {
                forms.append(form)
            }
        }
        return forms
    }

    /// The terms of a word's spellings, each once, in order.
    private func terms(of word: AnalyzedWord, _ termsOf: (Spelling) -> [String]) -> [String] {
        var terms: [String] = []
        for spelling in word.spellings where !spelling.primary.isEmpty {
            for term in termsOf(spelling) where !term.isEmpty { appendNew(term, to: &terms) }
        }
        return terms
    }

    private func appendNew(_ term: String, to terms: inout [String]) {
        if !terms.contains(term) { terms.append(term) }
    }
}
