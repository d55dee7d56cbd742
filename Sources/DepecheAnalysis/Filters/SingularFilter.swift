/// Makes the singular of a plural the spelling's primary term and a query term, for
/// what Snowball leaves apart: `-x` plurals (`jeux`/`jeu`) and loanwords (`centers` →
/// `center`, while Snowball gives `center` → `cent`). The plural itself is not kept:
/// no query needs it (queries match stems and singulars), and one term less for every
/// plural makes the index smaller and faster to build.
public struct SingularFilter: TokenFilter {
    public init() {}

    public func apply(to word: inout AnalyzedWord) {
        for index in word.spellings.indices where !word.spellings[index].keptAsWritten {
            let singular = Self.singular(word.spellings[index].folded)
            word.spellings[index].primary = singular
            word.spellings[index].addStem(singular)
        }
    }

    /// A folded word without its plural mark: a final `s` (not `ss`) or `x` after a
    /// vowel, in words of four letters or more (`centers` → `center`, `jeux` → `jeu`).
    public static func singular(_ folded: String) -> String {
        let bytes = Array(folded.utf8)
        guard bytes.count >= 4, let last = bytes.last else { return folded }
        let previous = bytes[bytes.count - 2]
        let isVowel = [UInt8]("aeiouy".utf8).contains(previous)
        if (last == UInt8(ascii: "s") && previous != UInt8(ascii: "s")) || (last == UInt8(ascii: "x") && isVowel) {
            return String(decoding: bytes.dropLast(), as: UTF8.self)
        }
        return folded
    }
}
