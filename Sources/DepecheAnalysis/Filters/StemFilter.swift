/// Adds the Snowball French stems of each spelling not kept as written:
/// - the project's rule (README, "How French text is analyzed"): the stem of the accented
///   word, folded (`sécurité` → `secur`);
/// - the stem of the folded word (`securite` → `securit`), which is what a query typed
///   without accents produces, since Snowball French reads accents.
///
/// Stems are indexed and matched with ``marker`` before them, apart from the words
/// themselves: a stem that happens to spell a word (`pen`, the stem of *Pennes*) never
/// matches that word (`Pen`) asked as a name or in quotes.
public struct StemFilter: TokenFilter {
    /// Put before every stem term. Never the first character of a folded word.
    public static let marker = "~"

    let stemmer: SnowballStemmer
    let icu: ICUText

    public init(stemmer: SnowballStemmer, icu: ICUText) {
        self.stemmer = stemmer
        self.icu = icu
    }

    public func apply(to word: inout AnalyzedWord) {
        for index in word.spellings.indices where !word.spellings[index].keptAsWritten && !word.spellings[index].unstemmed {
            let spelling = word.spellings[index]
            // An ASCII spelling was folded by lower-casing: one stem.
            if spelling.written.utf8.allSatisfy({ $0 < 0x80 }) {
                word.spellings[index].addStem(stemmer.stem(spelling.lowercased))
            } else {
                word.spellings[index].addStem(icu.fold(stemmer.stem(spelling.lowercased)))
                word.spellings[index].addStem(stemmer.stem(spelling.folded))
            }
        }
    }
}
