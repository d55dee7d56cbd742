import DepecheModel

/// Splits UTF-8 text into words, in the byte offsets FTS5 wants for highlighting.
///
/// A word starts with a letter or a digit and goes on through letters, digits and
/// combining marks. An apostrophe (' ’ ʼ) followed by a letter or a digit stays inside
/// the word, so that elision (`l’État`) and names (`N’Djamena`) can be handled as a whole
/// by the analyzer; hyphens and every other character separate words (`Covid-19` →
/// `Covid`, `19`).
///
/// The positions contract: every word gives at least one document term, so that
/// highlighting, which counts words without analyzing them, counts the positions the
/// index holds. A word that starts with a letter or a digit (never a mark, an apostrophe
/// or a variation selector like the U+FE0F of `❤️`), and whose every apostrophe is
/// followed by one, keeps a letter or a digit through folding.
public enum WordSegmenter {
    /// Calls `body` with the byte range of each word, in order; `body` returns false to stop.
    public static func forEachWord(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Bool) {
        var index = 0
        let end = text.count
        while index < end {
            let (scalar, length) = UTF8Scalars.decode(text, at: index)
            guard isWordStart(scalar) else {
                index += length
                continue
            }
            let start = index
            index += length
            while index < end {
                let (next, nextLength) = UTF8Scalars.decode(text, at: index)
                if isWordCharacter(next) {
                    index += nextLength
                } else if isApostrophe(next), index + nextLength < end,
                          isWordStart(UTF8Scalars.decode(text, at: index + nextLength).scalar) {
                    index += nextLength
                } else {
                    break
                }
            }
            if !body(start..<index) { return }
        }
    }

    /// The words of a Swift string, for tests and for the query parser.
    public static func words(in text: String) -> [Substring] {
        var text = text
        var ranges: [Range<Int>] = []
        text.withUTF8 { bytes in forEachWord(in: bytes) { ranges.append($0); return true } }
        let utf8 = text.utf8
        return ranges.map { range in
            let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let upper = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
            return text[lower..<upper]
        }
    }

    /// True when the text holds at least one word, i.e. something the index can match.
    public static func containsWord(_ text: Substring) -> Bool {
        text.unicodeScalars.contains { isWordStart($0.value) }
    }

    /// A letter or a digit: what a word starts with. Letters by general category, since
    /// Unicode's Alphabetic property also covers combining marks (U+0345, Indic vowel
    /// signs) that folding removes; the apostrophe ʼ (a modifier letter) is no start.
    public static func isWordStart(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return isWordCharacter(scalar) }
        guard let value = Unicode.Scalar(scalar), !isApostrophe(scalar) else { return false }
        switch value.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .letterNumber: return true
        default: return false
        }
    }

    public static func isApostrophe(_ scalar: UInt32) -> Bool {
        scalar == 0x27 || scalar == 0x2019 || scalar == 0x02BC
    }

    public static func isWordCharacter(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 {
            return (scalar >= 0x61 && scalar <= 0x7A) || (scalar >= 0x41 && scalar <= 0x5A) || (scalar >= 0x30 && scalar <= 0x39)
        }
        guard let value = Unicode.Scalar(scalar) else { return false }
        let properties = value.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
