import DepecheModel

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
    /// the apostrophe (`l’Assemblée` is capitalized; `aujourd’hui`, no elision, in lower
    /// case). On bytes: every word of an index run goes through it.
    init(_ word: UnsafeBufferPointer<UInt8>) {
        var start = 0
        // An elision is a few ASCII letters and an apostrophe (' ’ ʼ) at the start.
        var index = 0
        while index < min(word.count, 7), Self.isASCIILetter(word[index]) { index += 1 }
        if index > 0, index < word.count, let length = Self.apostropheLength(word, at: index) {
            var prefix = ""
            for byte in word[0..<index] { prefix.unicodeScalars.append(Unicode.Scalar(byte | 0x20)) }
            if ElisionFilter.elisions.contains(prefix) { start = index + length }
        }
        guard let (first, firstLength) = Self.scalar(word, at: start) else { self = .other; return }
        if Self.isLowercase(first) { self = .lowercase; return }
        guard first.value >= 0x41 && first.value <= 0x5A || first.value >= 0x80 && first.properties.isUppercase,
              let (second, _) = Self.scalar(word, at: start + firstLength), Self.isLowercase(second) else { self = .other; return }
        self = .capitalized
    }

    /// ASCII first: most letters are.
    private static func isLowercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? scalar.value >= 0x61 && scalar.value <= 0x7A : scalar.properties.isLowercase
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }

    /// The byte length of an apostrophe at `index`, if one stands there.
    private static func apostropheLength(_ word: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        if word[index] == 0x27 { return 1 }
        if index + 2 < word.count, word[index] == 0xE2, word[index + 1] == 0x80, word[index + 2] == 0x99 { return 3 }
        if index + 1 < word.count, word[index] == 0xCA, word[index + 1] == 0xBC { return 2 }
        return nil
    }

    /// The scalar at `index` and its length in bytes.
    private static func scalar(_ word: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        guard index < word.count else { return nil }
        let (value, length) = UTF8Scalars.decode(word, at: index)
        return Unicode.Scalar(value).map { ($0, length) }
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
