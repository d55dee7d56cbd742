/// Keeps as written the words that are not French words to stem: those with a digit
/// (`covid19`, `g20`) and those longer than ``longestStemmedWord`` bytes (identifiers,
/// URLs run together, garbage).
public struct IdentifierFilter: TokenFilter {
    /// Words longer than this (in bytes, lower-cased) are indexed as they are.
    public static let longestStemmedWord = 48

    public init() {}

    public func apply(to word: inout AnalyzedWord) {
        for index in word.spellings.indices {
            let lowercased = word.spellings[index].lowercased.utf8
            if lowercased.count > Self.longestStemmedWord || lowercased.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                word.spellings[index].keptAsWritten = true
            }
        }
    }
}
