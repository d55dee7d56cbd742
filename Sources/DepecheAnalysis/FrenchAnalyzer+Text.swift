/// What a text's terms are wanted for: FTS5 tokenizes documents, queries, quoted
/// (exact) query phrases, `prefix*` query words, and texts whose positions only matter
/// (`highlight()`, `snippet()`).
public enum TermUse {
    case document, query, exact, prefix, positionsOnly
}

extension FrenchAnalyzer {
    /// Longer "words" (base64 blobs, a binary file's bytes read as text, a 50 MB line
    /// without spaces) are not indexed: nobody searches them, and they would bloat the
    /// index and the word cache. Documents, queries and highlighting skip them alike, so
    /// positions stay aligned.
    static let longestIndexedWord = 128

    /// Calls `emit` with each term of `text` for `use`: its UTF-8 bytes, whether it is
    /// colocated with the previous term (another form of the same word), and the byte
    /// range of its word in `text`. `emit` returns false to stop.
    ///
    /// The one place that turns text into index terms, for the FTS5 tokenizer and for
    /// ``PreanalyzedDocument`` alike: a replayed document must get exactly these terms.
    public func forEachTerm(in text: UnsafeBufferPointer<UInt8>, for use: TermUse,
                     _ emit: (UnsafeBufferPointer<UInt8>, _ colocated: Bool, Range<Int>) -> Bool) {
        WordSegmenter.forEachWord(in: text) { range in
            if range.count > Self.longestIndexedWord { return true }
            let wordBytes = UnsafeBufferPointer(rebasing: text[range])
            // highlight() and snippet() only count positions and read offsets: one
            // token per word, no analysis (every word has a document term: the positions
            // contract of WordSegmenter).
            switch use {
            case .positionsOnly: return emit(wordBytes, false, range)
            case .document:
                let counted = collectsCaseEvidence && Self.countsAsCaseEvidence(wordBytes, in: text, at: range.lowerBound)
                return forEachDocumentTerm(of: wordBytes, counted: counted) { term, index in emit(term, index > 0, range) }
            case .query, .exact, .prefix: break
            }
            let forms = forms(of: String(decoding: wordBytes, as: UTF8.self))
            let terms = use == .prefix ? forms.prefix : use == .exact ? forms.exact : forms.query
            for (index, term) in terms.enumerated() {
                var term = term
                let goOn = term.withUTF8 { emit($0, index > 0, range) }
                if !goOn { return false }
            }
            return true
        }
    }
}

extension FrenchAnalyzer {
    /// Whether a word is evidence of its case (``CaseCount``): in lower case, or
    /// capitalized but not at the start of a sentence (where every word is).
    static func countsAsCaseEvidence(_ word: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        switch WordCase(word) {
        case .lowercase: return true
        case .capitalized: return !WordCase.beginsSentence(text, at: start)
        case .other: return false
        }
    }
}

extension FrenchAnalyzer {
    /// The query terms of `text` and their kinds when `text` is one word: all its forms
    /// (``TermUse/query``) or its exact forms only (``TermUse/exact``); nil when it has
    /// no word or several. The same terms as the tokenizer gives that word.
    public func queryForms(atOnePosition text: String, use: TermUse = .query) -> [(term: String, kind: FormKind)]? {
        let words = WordSegmenter.words(in: text)
        guard words.count == 1, words[0].utf8.count <= Self.longestIndexedWord else { return nil }
        let forms = queryForms(of: analyzed(String(words[0])), use: use)
        return forms.isEmpty ? nil : forms
    }
}

extension FrenchAnalyzer {
    /// A word (as ``WordSegmenter`` cuts it) lower-cased, without an elided article and
    /// with the accents of Latin letters folded (``LatinFolding``), without the chain:
    /// close to the word's own term, for lookups that must not pay for the analysis.
    public static func roughFold(_ word: String) -> String {
        let hasApostrophe = word.contains { ElisionFilter.isApostrophe($0) }
        let spelling = (hasApostrophe ? ElisionFilter.spellings(of: word).first ?? word : word).lowercased()
        return LatinFolding.fold(spelling) ?? spelling
    }
}
