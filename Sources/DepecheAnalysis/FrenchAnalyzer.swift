/// The French analysis chain shared by documents and queries (see DESIGN.md):
/// segmentation → elision → case folding → ICU diacritics removal and ligature
/// expansion → Snowball French stems. Like an analyzer in Lucene's analysis package,
/// but fused into one pass per word, because it runs once per token of an archive.
///
/// Not thread-safe (it owns ICU and Snowball objects and a cache): one per connection
/// or thread.
public final class FrenchAnalyzer {
    /// The index terms of one word, by use.
    public struct Forms: Equatable, Sendable {
        /// Indexed for a document: the folded form (singular for a plural) first, then its
        /// stems and, for an elided word, the joined spelling (`l’État` → `etat`, `letat`).
        /// All but the first are colocated at the same position.
        public let document: [String]
        /// Matched for a query word: its stems (alternatives at one position).
        public let query: [String]
        /// Matched for a `prefix*` query word: the folded forms (singular for a plural).
        public let prefix: [String]
    }

    /// Elided articles and conjunctions, lower-cased, as written before an apostrophe.
    static let elisions: Set<String> = ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]

    /// French function words (folded), indexed and matched as written, one term each.
    /// Stemming them only makes collisions (`mais` → `mai`, the month; `entre` → `entr`,
    /// as in `entrer`) and costs a second term for the commonest words of every text.
    static let invariableWords: Set<String> = [
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
    /// (``CompiledQuery/conjunction(_:)`` leaves them out beside other words).
    public static let ubiquitousWords: Set<String> = [
        "de", "a", "la", "le", "et", "en", "un", "les", "une", "des", "du", "dans", "pour", "qui", "est", "sur", "par",
        "au", "que", "il", "ce", "avec", "son", "ete", "plus", "pas", "ont", "se", "cette", "ou", "aux", "ne", "mais", "sont",
    ]

    /// Words longer than this (in bytes) are indexed as they are, unstemmed: they are
    /// identifiers, URLs run together or garbage, not French words.
    static let longestStemmedWord = 48

    private let icu: ICUText
    private let stemmer: SnowballStemmer
    /// The document terms of the words seen, for ``forEachDocumentTerm(of:_:)``.
    private var documentTerms = TermCache()

    public init() throws {
        icu = try ICUText()
        stemmer = try SnowballStemmer(language: "french")
    }

    /// Calls `body` with the document terms of one word (its UTF-8 bytes as cut by
    /// ``WordSegmenter``) and their index (0 for the first, the others are colocated).
    /// `body` returns false to stop; so does this function then.
    func forEachDocumentTerm(of word: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Bool {
        documentTerms.forEachTerm(of: word, compute: { forms(of: String(decoding: word, as: UTF8.self)).document }, body)
    }

    /// The forms of one word as cut by ``WordSegmenter``.
    public func forms(of word: String) -> Forms {
        var document: [String] = []
        var query: [String] = []
        var prefix: [String] = []
        for spelling in spellings(of: word) {
            let (surface, stems) = surfaceAndStems(of: spelling)
            guard !surface.isEmpty else { continue }
            appendNew(surface, to: &document)
            appendNew(surface, to: &prefix)
            for stem in stems where !stem.isEmpty {
                appendNew(stem, to: &document)
                appendNew(stem, to: &query)
            }
        }
        return Forms(document: document, query: query, prefix: prefix)
    }

    /// The spellings a word stands for: without an elided article first, then, for a
    /// name, joined (`N’Djamena` → `Djamena`, `NDjamena`), so that it matches both
    /// `djamena` and the common spelling `Ndjamena`. A name has a capital on either side
    /// of the apostrophe (`N’djamena`, `l’Oréal`); `d’une` or `qu’il` joined would only
    /// add a useless term. Other apostrophes are dropped (`aujourd’hui`).
    private func spellings(of word: String) -> [String] {
        let parts = word.split(whereSeparator: { $0 == "'" || $0 == "\u{2019}" || $0 == "\u{02BC}" })
        let joined = parts.joined()
        guard parts.count > 1, Self.elisions.contains(parts[0].lowercased()) else { return [joined] }
        let isName = parts[0].first?.isUppercase == true || parts[1].first?.isUppercase == true
        return isName ? [parts.dropFirst().joined(), joined] : [parts.dropFirst().joined()]
    }

    /// The folded surface form and the stems of one spelling.
    ///
    /// Up to three stems, each covering a gap of the others:
    /// - DESIGN.md's rule, the Snowball stem of the accented word, folded (`sécurité` → `secur`);
    /// - the Snowball stem of the folded word (`securite` → `securit`), which is what a
    ///   query typed without accents produces, since Snowball French reads accents;
    /// - the folded word without a plural ending (``singular(_:)``), for what Snowball
    ///   leaves apart: `-x` plurals (`jeux`/`jeu`) and loanwords (`centers` → `center`
    ///   while `center` → `cent`).
    private func surfaceAndStems(of spelling: String) -> (String, [String]) {
        let isASCII = spelling.utf8.allSatisfy { $0 < 0x80 }
        let lowered = isASCII ? asciiLowercased(spelling) : icu.lowercase(spelling)
        let surface = isASCII ? lowered : icu.fold(spelling)
        if lowered.utf8.count > Self.longestStemmedWord || lowered.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 })
            || Self.invariableWords.contains(surface) {
            return (surface, [surface])
        }
        var stems: [String] = []
        if isASCII {
            stems.append(stemmer.stem(lowered))
        } else {
            stems.append(icu.fold(stemmer.stem(lowered)))
            appendNew(stemmer.stem(surface), to: &stems)
        }
        // The plural surface form is not kept: its singular stands in its place, and no
        // query needs the plural itself (queries match stems and singulars). One token
        // less for every plural makes the index smaller and faster to build.
        let primary = Self.singular(surface)
        appendNew(primary, to: &stems)
        return (primary, stems)
    }

    /// A folded word without its plural mark: a final `s` (not `ss`) or `x` after a
    /// vowel, in words of four letters or more (`centers` → `center`, `jeux` → `jeu`).
    static func singular(_ folded: String) -> String {
        let bytes = Array(folded.utf8)
        guard bytes.count >= 4, let last = bytes.last else { return folded }
        let previous = bytes[bytes.count - 2]
        let isVowel = [UInt8]("aeiouy".utf8).contains(previous)
        if (last == UInt8(ascii: "s") && previous != UInt8(ascii: "s")) || (last == UInt8(ascii: "x") && isVowel) {
            return String(decoding: bytes.dropLast(), as: UTF8.self)
        }
        return folded
    }

    private func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    private func appendNew(_ term: String, to terms: inout [String]) {
        if !terms.contains(term) { terms.append(term) }
    }
}
