import Foundation
import GRDB
import DepecheAnalysis

/// A dispatch's index terms computed ahead of its insert, on the thread that parses
/// the files, so that the FTS5 tokenizer on the writing thread only replays them:
/// the French analysis costs as much as SQLite's own work, and this puts it on the
/// second core (docs/PERFORMANCE.md).
///
/// ``BatchWriter/store(_:analyzed:contentHash:sourceFile:)`` binds it with
/// `PreanalyzedDocument.$current.withValue(…)` around the insert. The tokenizer replays a column only when its text is byte for byte the
/// text analyzed; anything else (a delete, another statement) is analyzed as usual.
public final class PreanalyzedDocument: Sendable {
    /// The document being inserted on this thread, if it was analyzed ahead.
    @TaskLocal static var current: PreanalyzedDocument?

    /// The terms of one text, as ``FrenchAnalyzer/forEachTerm(in:for:_:)`` gave them.
    struct Column: Sendable {
        /// One term: its bytes in `terms`, its flags and its word's byte range.
        struct Token: Sendable {
            let termStart: Int32
            let termLength: Int32
            let colocated: Bool
            let start: Int32
            let end: Int32
        }

        let text: String
        let terms: [UInt8]
        let tokens: [Token]

        func replay(context: UnsafeMutableRawPointer?, callback: FTS5TokenCallback) -> CInt {
            terms.withUnsafeBufferPointer { bytes in
                guard let start = bytes.baseAddress else { return ResultCode.SQLITE_OK.rawValue }
                let base = UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)
                for token in tokens {
                    let status = callback(context, token.colocated ? FTS5TokenFlags.colocated.rawValue : 0,
                                          base + Int(token.termStart), token.termLength, token.start, token.end)
                    if status != ResultCode.SQLITE_OK.rawValue { return status }
                }
                return ResultCode.SQLITE_OK.rawValue
            }
        }
    }

    private let columns: [Column]
    /// The tokens FTS5 counts in the document (its length for bm25): one per position,
    /// colocated forms not counted, as FTS5 counts them (a column's first token always).
    let tokenCount: Int
    /// The story signature of the texts (nil: too short to group), from the first term
    /// at each position, the title's, standfirst's and body's words in one run.
    let signature: StorySignature?

    /// Analyzes `texts` (title, standfirst, body) for the index.
    /// Analyzes a dispatch's title, standfirst and body, in that order (the full-text columns').
    public init(texts: [String], analyzer: FrenchAnalyzer) {
        columns = texts.map { text in
            var text = text
            var terms: [UInt8] = []
            var tokens: [Column.Token] = []
            terms.reserveCapacity(text.utf8.count * 2)
            tokens.reserveCapacity(text.utf8.count / 3)
            text.withUTF8 { bytes in
                analyzer.forEachTerm(in: bytes, for: .document) { term, colocated, range in
                    tokens.append(Column.Token(termStart: Int32(terms.count), termLength: Int32(term.count), colocated: colocated,
                                               start: Int32(range.lowerBound), end: Int32(range.upperBound)))
                    terms.append(contentsOf: term)
                    return true
                }
            }
            return Column(text: text, terms: terms, tokens: tokens)
        }
        var count = 0
        var signature = StorySignature.Builder()
        for column in columns {
            column.terms.withUnsafeBufferPointer { terms in
                for (index, token) in column.tokens.enumerated() where !token.colocated || index == 0 {
                    count += 1
                    signature.add(UnsafeBufferPointer(rebasing: terms[Int(token.termStart)..<Int(token.termStart + token.termLength)]))
                }
            }
        }
        tokenCount = count
        self.signature = signature.signature
    }

    /// Whether these are the texts analyzed.
    func analyzes(_ texts: [String]) -> Bool {
        texts.count == columns.count && zip(texts, columns).allSatisfy { $0 == $1.text }
    }

    /// The column whose text is `text`, byte for byte.
    func column(matching text: UnsafeBufferPointer<UInt8>) -> Column? {
        columns.first { column in
            column.text.utf8.count == text.count && column.text.utf8.withContiguousStorageIfAvailable {
                memcmp($0.baseAddress!, text.baseAddress!, text.count) == 0
            } == true
        }
    }
}
