/// The French analysis chain shared by documents and queries (see DESIGN.md):
/// segmentation → elision → case folding → ICU diacritics removal and ligature
/// expansion → Snowball French stems. Like an analyzer in Lucene's analysis package,
/// but fused into one pass per word, because it runs once per token of an archive.
///
/// Not thread-safe (it owns ICU and Snowball objects and a cache): one per connection.
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

    /// Words longer than this (in bytes) are indexed as they are, unstemmed: they are
    /// identifiers, URLs run together or garbage, not French words.
    static let longestStemmedWord = 48
    /// The cache is dropped whole when it reaches this size: simple, and a news
    /// vocabulary's frequent words come back in the next few thousand tokens.
    static let cacheLimit = 200_000

    private let icu: ICUText
    private let stemmer: SnowballStemmer
    private var cache: [String: Forms] = [:]

    public init() throws {
        icu = try ICUText()
        stemmer = try SnowballStemmer(language: "french")
    }

    /// The forms of one word as cut by ``WordSegmenter``.
    public func forms(of word: String) -> Forms {
        if let cached = cache[word] { return cached }
        let computed = analyze(word)
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[word] = computed
        return computed
    }

    private func analyze(_ word: String) -> Forms {
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

    /// The spellings a word stands for: without an elided article first, then joined
    /// (`N’Djamena` → `Djamena`, `NDjamena`), so that it matches both `djamena`
    /// and the common spelling `Ndjamena`. Other apostrophes are dropped (`aujourd’hui`).
    private func spellings(of word: String) -> [String] {
        let parts = word.split(whereSeparator: { $0 == "'" || $0 == "\u{2019}" || $0 == "\u{02BC}" })
        let joined = parts.joined()
        guard parts.count > 1, Self.elisions.contains(parts[0].lowercased()) else { return [joined] }
        return [parts.dropFirst().joined(), joined]
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
        if lowered.utf8.count > Self.longestStemmedWord || lowered.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
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
