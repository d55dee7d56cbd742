import GRDB

/// The French analyzer registered as an FTS5 custom tokenizer, so that FTS5 stores
/// the original text (for `highlight()` and `snippet()`) while matching analyzed terms.
///
/// Documents get every form of a word (surface, stems, joined spelling) colocated at
/// one position; queries get the stems only, since documents already carry them;
/// `prefix*` queries get the surface forms, because a prefix of a stem means little.
public final class FrenchTokenizer: FTS5CustomTokenizer {
    public static let name = "depeche_french"

    /// Longer "words" (base64 blobs, a binary file's bytes read as text, a 50 MB line
    /// without spaces) are not indexed: nobody searches them, and they would bloat the
    /// index and the word cache. Documents, queries and highlighting skip them alike, so
    /// positions stay aligned.
    static let longestIndexedWord = 128

    private let analyzer: FrenchAnalyzer

    public init(db: Database, arguments: [String]) throws {
        analyzer = try FrenchAnalyzer()
    }

    public func tokenize(
        context: UnsafeMutableRawPointer?,
        tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?,
        nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        guard let pText, nText > 0 else { return ResultCode.SQLITE_OK.rawValue }
        let text = UnsafeBufferPointer(start: UnsafeRawPointer(pText).assumingMemoryBound(to: UInt8.self), count: Int(nText))
        var status = ResultCode.SQLITE_OK.rawValue
        // highlight() and snippet() only count positions and read offsets, so auxiliary
        // tokenization skips the analysis: one token per word is enough.
        let positionsOnly = tokenization.contains(.aux) && !tokenization.contains(.query)
        WordSegmenter.forEachWord(in: text) { range in
            if range.count > Self.longestIndexedWord { return true }
            let start = CInt(range.lowerBound), end = CInt(range.upperBound)
            if positionsOnly {
                status = tokenCallback(context, 0, pText + range.lowerBound, end - start, start, end)
                return status == ResultCode.SQLITE_OK.rawValue
            }
            let word = String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
            let forms = analyzer.forms(of: word)
            let terms: [String]
            if tokenization.contains(.query) {
                terms = tokenization.contains(.prefix) ? forms.prefix : forms.query
            } else {
                terms = forms.document
            }
            for (index, term) in terms.enumerated() {
                let flags = index == 0 ? 0 : FTS5TokenFlags.colocated.rawValue
                status = emit(term, flags: flags, start: start, end: end, context: context, callback: tokenCallback)
                if status != ResultCode.SQLITE_OK.rawValue { return false }
            }
            return true
        }
        return status
    }

    private func emit(_ term: String, flags: CInt, start: CInt, end: CInt, context: UnsafeMutableRawPointer?, callback: FTS5TokenCallback) -> CInt {
        var term = term
        return term.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { token in
                callback(context, flags, token.baseAddress, CInt(token.count), start, end)
            }
        }
    }
}
