/// How a collection writes a word: capitalized in the middle of a sentence, or in lower
/// case. A word the documents capitalize nearly every time they write it mid-sentence is
/// a name (`Dati`, `Tshisekedi`, `Philippe`) even when no list knows it, and a search
/// asks it by its own form only, never a stem (`Dati` must not find *dates*).
///
/// An index run counts it (``FrenchAnalyzer/collectsCaseEvidence``) and stores it by the
/// word's own term; a search reads the counts of its words.
public struct CaseCount: Equatable, Sendable {
    /// Written with a capital (then lower case) after the start of a sentence.
    public var capitalized: Int
    /// Written in lower case.
    public var lowercase: Int

    public init(capitalized: Int, lowercase: Int) {
        self.capitalized = capitalized
        self.lowercase = lowercase
    }

    /// Mid-sentence capitals a name needs at least: fewer prove nothing.
    public static let fewestCapitalized = 3
    /// The share of capitals that makes a name: 90%, "nearly every time". `Borne` (the
    /// prime minister) and *une borne* mix, and stay common words.
    public static let nameShare = 0.9

    /// True when the counts say the word is a name.
    public var marksAName: Bool {
        capitalized >= Self.fewestCapitalized && Double(capitalized) >= Self.nameShare * Double(capitalized + lowercase)
    }

    mutating func add(_ other: CaseCount) {
        capitalized += other.capitalized
        lowercase += other.lowercase
    }
}

/// What a word's spelling says of its case, for ``CaseCount``.
enum WordCase {
    /// A capital then a lower-case letter (`Dati`, `État`): not `RDC`, not `A`.
    case capitalized
    /// A lower-case letter first.
    case lowercase
    /// Anything else: all capitals, a digit first, one letter.
    case other

    /// The case of a word as ``WordSegmenter`` cuts it; an elided word by what follows
    /// the apostrophe (`l’Assemblée` is capitalized; `aujourd’hui`, no elision, in lower case).
    init(_ word: UnsafeBufferPointer<UInt8>) {
        guard let first = word.first else { self = .other; return }
        // The fast path of most words: an ASCII letter, and no apostrophe.
        if first >= 0x61 && first <= 0x7A, !word.contains(0x27), !word.contains(0xE2), !word.contains(0xCA) {
            self = .lowercase
            return
        }
        let text = String(decoding: word.prefix(48), as: UTF8.self)
        let parts = text.split(maxSplits: 1, whereSeparator: ElisionFilter.isApostrophe)
        let elided = parts.count > 1 && ElisionFilter.elisions.contains(parts[0].lowercased())
        var iterator = (elided ? parts[1] : text[...]).unicodeScalars.makeIterator()
        guard let leading = iterator.next() else { self = .other; return }
        if leading.properties.isLowercase { self = .lowercase; return }
        guard leading.properties.isUppercase, let second = iterator.next(), second.properties.isLowercase else { self = .other; return }
        self = .capitalized
    }

    /// Whether the word at `start` of `text` begins a sentence: nothing before it but
    /// spaces, quotes, brackets and dashes since the start of the text, a line break, or
    /// `.` `!` `?` `…` `:` (a colon too, for titles: `Congo : Rosatom propose`).
    static func beginsSentence(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var index = start - 1
        while index >= 0 {
            let byte = text[index]
            switch byte {
            case 0x20, 0x09, 0x22, 0x27, 0x28, 0x5B, 0x2D, 0x2A:
                // space, tab, " ' ( [ - *
                index -= 1
            case 0x2E, 0x21, 0x3F, 0x3A, 0x0A, 0x0D:
                // . ! ? : line breaks
                return true
            case 0x80...0xBF:
                // The end of a multi-byte character: the ones skipped or ending a sentence.
                var lead = index
                while lead > 0, text[lead] & 0xC0 == 0x80, index - lead < 3 { lead -= 1 }
                let character = String(decoding: UnsafeBufferPointer(rebasing: text[lead...index]), as: UTF8.self)
                if character == "…" { return true }
                guard ["\u{A0}", "\u{202F}", "«", "“", "‘", "—", "–", "’", "\u{2009}"].contains(character) else { return false }
                index = lead - 1
            default:
                return false
            }
        }
        return true
    }
}
