/// ICU's search folding of the Latin-1 and Latin Extended-A letters (U+00C0–U+017F):
/// the accented letters of French and of most names in French wire copy.
///
/// A text made of them and ASCII is folded with this table instead of ICU's
/// transliterator, whose first opening in a process loads ICU's registry of
/// transliterators (a noticeable share of every command-line search with an accent). The
/// table is ICU's own output ("NFD; [:Nonspacing Mark:] Remove; Lower; Latin-ASCII;
/// NFC", letter by letter: after Lower no Latin-ASCII rule depends on its neighbours),
/// and a test checks every entry against ICU, so both paths give the same terms.
enum LatinFolding {
    /// The folded form of U+00C0 + index.
    static let table: [String] = [
        // U+00C0…U+00CF
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        // U+00D0…U+00DF
        "d", "n", "o", "o", "o", "o", "o", "*", "o", "u", "u", "u", "u", "y", "th", "ss",
        // U+00E0…U+00EF
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        // U+00F0…U+00FF
        "d", "n", "o", "o", "o", "o", "o", "/", "o", "u", "u", "u", "u", "y", "th", "y",
        // U+0100…U+010F
        "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
        // U+0110…U+011F
        "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
        // U+0120…U+012F
        "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
        // U+0130…U+013F
        "i", "i", "ij", "ij", "j", "j", "k", "k", "q", "l", "l", "l", "l", "l", "l", "l",
        // U+0140…U+014F
        "l", "l", "l", "n", "n", "n", "n", "n", "n", "'n", "n", "n", "o", "o", "o", "o",
        // U+0150…U+015F
        "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
        // U+0160…U+016F
        "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
        // U+0170…U+017F
        "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
    ]

    static let range: ClosedRange<UInt32> = 0xC0...0x17F

    /// `text` folded, or nil when it holds a character outside ASCII and ``range``.
    static func fold(_ text: String) -> String? {
        var folded = ""
        folded.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                folded.unicodeScalars.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(value + 0x20)! : scalar)
            } else if range.contains(value) {
                folded += table[Int(value - range.lowerBound)]
            } else {
                return nil
            }
        }
        return folded
    }
}
