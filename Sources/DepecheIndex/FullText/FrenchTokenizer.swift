import GRDB
import DepecheAnalysis

/// The French analyzer registered as an FTS5 custom tokenizer, so that FTS5 stores
/// the original text (for `highlight()` and `snippet()`) while matching analyzed terms.
///
/// Documents get every form of a word (surface, stems, joined spelling) colocated at
/// one position; queries get the stems only, since documents already carry them;
/// `prefix*` queries get the surface forms, because a prefix of a stem means little.
/// A document analyzed ahead of time (``PreanalyzedDocument/current``) is replayed.
public final class FrenchTokenizer: FTS5CustomTokenizer {
    public static let name = "depeche_french"

    /// A query string starting with this byte is one term, taken as it is (no analysis):
    /// how a search asks FTS5 for the forms of a word one by one (``FullTextPhrase/Forms/term``).
    ///
    /// Why one by one: the forms of a query word are alternatives at one position
    /// (colocated), and FTS5 walks such a phrase about five times slower than the same
    /// terms joined by OR (measured on `france` at 1,000,000 dispatches). Both match the
    /// same rows, so the OR counts them.
    static let verbatimMarker: Unicode.Scalar = "\u{1}"

    /// A query string starting with this byte is analyzed for exact forms
    /// (``TermUse/exact``): how a search asks for a quoted phrase or an `=word`
    /// (`"\u{2}centres de données"`: their words' own forms, not their stems;
    /// ``FullTextPhrase/Forms/own``).
    static let exactMarker: Unicode.Scalar = "\u{2}"

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
        let use: TermUse
        if tokenization.contains(.query) {
            if text[0] == UInt8(Self.verbatimMarker.value) {
                let term = UnsafeBufferPointer(rebasing: text[1...])
                return term.withMemoryRebound(to: CChar.self) { tokenCallback(context, 0, $0.baseAddress, CInt($0.count), 0, nText) }
            }
            if text[0] == UInt8(Self.exactMarker.value) {
                return tokenize(UnsafeBufferPointer(rebasing: text[1...]), for: .exact, context: context, tokenCallback)
            }
            use = tokenization.contains(.prefix) ? .prefix : .query
        } else if tokenization.contains(.aux) {
            use = .positionsOnly
        } else {
            use = .document
            if let column = PreanalyzedDocument.current?.column(matching: text) {
                return column.replay(context: context, callback: tokenCallback)
            }
        }
        return tokenize(text, for: use, context: context, tokenCallback)
    }

    private func tokenize(_ text: UnsafeBufferPointer<UInt8>, for use: TermUse, context: UnsafeMutableRawPointer?,
                          _ tokenCallback: FTS5TokenCallback) -> CInt {
        var status = ResultCode.SQLITE_OK.rawValue
        analyzer.forEachTerm(in: text, for: use) { term, colocated, range in
            status = term.withMemoryRebound(to: CChar.self) { token in
                tokenCallback(context, colocated ? FTS5TokenFlags.colocated.rawValue : 0, token.baseAddress, CInt(token.count),
                              CInt(range.lowerBound), CInt(range.upperBound))
            }
            return status == ResultCode.SQLITE_OK.rawValue
        }
        return status
    }
}
