/// Lower-cases each spelling (French rules, accents kept: what Snowball reads) and
/// folds it (no diacritics, ligatures expanded: `Cœur` → `coeur`, `État` → `etat`).
/// ASCII spellings, most of them, skip ICU.
public struct FoldingFilter: TokenFilter {
    let icu: ICUText

    public init(icu: ICUText) {
        self.icu = icu
    }

    public func apply(to word: inout AnalyzedWord) {
        for index in word.spellings.indices {
            let written = word.spellings[index].written
            let isASCII = written.utf8.allSatisfy { $0 < 0x80 }
            let lowercased = isASCII ? Self.asciiLowercased(written) : icu.lowercase(written)
            word.spellings[index].lowercased = lowercased
            word.spellings[index].folded = isASCII ? lowercased : icu.fold(written)
            word.spellings[index].primary = word.spellings[index].folded
        }
    }

    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
