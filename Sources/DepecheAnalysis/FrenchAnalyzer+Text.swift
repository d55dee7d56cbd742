/// What a text's terms are wanted for: FTS5 tokenizes documents, queries, `prefix*`
/// query words, and texts whose positions only matter (`highlight()`, `snippet()`).
public enum TermUse {
    case document, query, prefix, positionsOnly
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
            case .document: return forEachDocumentTerm(of: wordBytes) { term, index in emit(term, index > 0, range) }
            case .query, .prefix: break
            }
            let forms = forms(of: String(decoding: wordBytes, as: UTF8.self))
            for (index, term) in (use == .prefix ? forms.prefix : forms.query).enumerated() {
                var term = term
                let goOn = term.withUTF8 { emit($0, index > 0, range) }
                if !goOn { return false }
            }
            return true
        }
    }
}

extension FrenchAnalyzer {
    /// The query terms of `text` when they all stand at one position (the forms of one
    /// word); nil when it has none or several words.
    public func queryTerms(atOnePosition text: String) -> [String]? {
        var terms: [String] = []
        var onePosition = true
        var bytes = text
        bytes.withUTF8 { buffer in
            forEachTerm(in: buffer, for: .query) { term, colocated, _ in
                onePosition = terms.isEmpty || colocated
                terms.append(String(decoding: term, as: UTF8.self))
                return onePosition
            }
        }
        return onePosition && !terms.isEmpty ? terms : nil
    }
}
