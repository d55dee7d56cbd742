/// Keeps French function words as written, one unstemmed term each (`mais`, `entre`,
/// `les`): stemming them only makes collisions (`mais` → `mai`, the month; `entre` →
/// `entr`, as in `entrer`) and costs a second term for the commonest words of every text.
public struct FunctionWordFilter: TokenFilter {
    /// French function words, folded.
    public static let words: Set<String> = [
        // articles, determiners
        "le", "la", "les", "un", "une", "des", "du", "de", "au", "aux", "ce", "cet", "cette", "ces",
        "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs",
        "quel", "quelle", "quels", "quelles",
        // pronouns
        "je", "me", "moi", "tu", "te", "toi", "il", "ils", "elle", "elles", "on", "nous", "vous", "se", "soi",
        "lui", "eux", "y", "en", "qui", "que", "quoi", "dont", "ou", "lequel", "laquelle", "lesquels", "lesquelles",
        "celui", "celle", "ceux", "celles", "ceci", "cela", "ca",
        // prepositions
        "a", "dans", "par", "pour", "sur", "sous", "avec", "sans", "chez", "entre", "vers", "contre", "depuis",
        "pendant", "selon", "apres", "avant", "devant", "derriere", "parmi", "malgre", "envers", "lors",
        // conjunctions, adverbs
        "et", "mais", "donc", "ni", "car", "si", "comme", "quand", "lorsque", "puisque", "aussi", "ainsi", "alors",
        "encore", "deja", "tres", "plus", "moins", "tout", "tous", "toute", "toutes", "meme", "memes", "ne", "pas",
        "non", "oui", "peu", "trop", "tant",
        // forms of être and avoir
        "est", "sont", "etait", "etaient", "sera", "seront", "ete", "etre", "ai", "as", "avons", "avez", "ont",
        "avait", "avaient", "aura", "auront", "avoir",
    ]

    /// The function words found in more than half of French news stories (measured on
    /// OrangeSum's 34,652): FTS5's bm25 floors their idf to nothing, so they weigh
    /// nothing in a ranking, and requiring them selects next to nothing
    /// (a search leaves them out beside other words).
    public static let ubiquitous: Set<String> = [
        "de", "a", "la", "le", "et", "en", "un", "les", "une", "des", "du", "dans", "pour", "qui", "est", "sur", "par",
        "au", "que", "il", "ce", "avec", "son", "ete", "plus", "pas", "ont", "se", "cette", "ou", "aux", "ne", "mais", "sont",
    ]

    /// Whether a word as typed or written (`Les`, `été`) is ``ubiquitous``: one fold for
    /// every caller (a query's words, a synonym's expressions).
    public static func isUbiquitous(_ word: String) -> Bool {
        ubiquitous.contains(FrenchAnalyzer.roughFold(word))
    }

    public init() {}

    public func apply(to word: inout AnalyzedWord) {
        for index in word.spellings.indices where Self.words.contains(word.spellings[index].folded) {
            word.spellings[index].keptAsWritten = true
        }
    }
}
