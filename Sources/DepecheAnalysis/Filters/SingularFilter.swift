/// Makes the singular of a plural the spelling's primary term, for what Snowball leaves
/// apart: `-x` plurals (`jeux`/`jeu`) and loanwords (`centers` → `center`). Singular and
/// plural are the same form for exact matching (a quoted phrase, `=word`): a reader who
/// quotes `centres de données` wants *centre de données* too. The plural is not kept:
/// no query needs it (queries match stems and singulars), and one term less for every
/// plural makes the index smaller and faster to build.
public struct SingularFilter: TokenFilter {
    /// ``InvariableWords``: no plural to cut.
    static let invariable = Set(InvariableWords.list.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) })

    public init() {}

    public func apply(to word: inout AnalyzedWord) {
        for index in word.spellings.indices where !word.spellings[index].keptAsWritten {
            word.spellings[index].primary = Self.singular(word.spellings[index].folded)
        }
    }

    /// A folded word without its plural mark: a final `s` (not `ss`), or the `x` of
    /// `-ux` (`-eaux`, `-eux`, `-oux`: the French plurals in x), in words of four letters
    /// or more (`centers` → `center`, `jeux` → `jeu`); `-aux` is the plural of `-al`
    /// (`hôpitaux` → `hopital`, `journaux` → `journal`), but for the words of
    /// ``pluralsInAux``. `prix`, `voix`, `paix` are no plurals, nor are the
    /// ``InvariableWords`` (`cours`, `taux`).
    public static func singular(_ folded: String) -> String {
        let bytes = Array(folded.utf8)
        guard bytes.count >= 4, let last = bytes.last, !invariable.contains(folded) else { return folded }
        let previous = bytes[bytes.count - 2]
        if last == UInt8(ascii: "x"), previous == UInt8(ascii: "u"), bytes[bytes.count - 3] == UInt8(ascii: "a"),
           bytes[bytes.count - 4] != UInt8(ascii: "e") {
            return pluralsInAux[folded] ?? String(decoding: bytes.dropLast(3), as: UTF8.self) + "al"
        }
        if (last == UInt8(ascii: "s") && previous != UInt8(ascii: "s")) || (last == UInt8(ascii: "x") && previous == UInt8(ascii: "u")) {
            return String(decoding: bytes.dropLast(), as: UTF8.self)
        }
        return folded
    }

    /// The plurals in `-aux` of words not in `-al`: of `-ail` (`travaux`) and of `-au`
    /// (`tuyaux`), folded.
    static let pluralsInAux = [
        "baux": "bail", "travaux": "travail", "vitraux": "vitrail", "coraux": "corail", "emaux": "email", "soupiraux": "soupirail",
        "tuyaux": "tuyau", "noyaux": "noyau", "joyaux": "joyau", "boyaux": "boyau", "etaux": "etau", "preaux": "preau",
        "gruaux": "gruau", "hoyaux": "hoyau", "aloyaux": "aloyau", "fabliaux": "fabliau",
    ]
}
