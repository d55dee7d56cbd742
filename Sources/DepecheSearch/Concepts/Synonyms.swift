import DepecheAnalysis
import DepecheModel

/// Sets of expressions that name one concept (`ONU`, `Nations unies`): a query that
/// types one of them also searches the others (``WordGroups``). The shipped sets are
/// ``ConceptList``; a user file adds its own (``init(text:origin:)``).
///
/// Expressions are compared by their words' exact forms (case, accents, elision and
/// number aside, `@` of names dropped), the ubiquitous function words left out as a
/// query leaves them out: `centres de données` is the expression `centre de données`.
///
///     let synonyms = Synonyms.shipped
///     synonyms.matches(inGroups: [["onu"]], analyzer: analyzer)   // [0..<1: Nations unies, Organisation des Nations unies]
public struct Synonyms: Sendable {
    /// One expression of a set.
    struct Entry: Sendable {
        let written: String
        let set: Int
    }

    /// A run of a query's word groups that an expression of a set covers, and the set's
    /// other expressions, as written, to search beside it.
    struct Match: Equatable {
        let groups: Range<Int>
        let alternatives: [String]
    }

    /// Each set's expressions, as written.
    let sets: [[String]]
    /// The entries by the ``bucket(ofKeyWord:)`` of their first key word. Keys need the
    /// analyzer, and analyzing every expression of the list cost a quarter of a
    /// command-line search: a search computes the keys of the few entries of its words'
    /// buckets only.
    private let buckets: [String: [Entry]]

    /// No synonyms at all (`--no-synonyms`).
    public static let none = Synonyms(sets: [], buckets: [:])

    /// The sets shipped with depeche (``ConceptList``).
    public static let shipped: Synonyms = {
        do {
            return try Synonyms(text: ConceptList.text, origin: "the shipped synonym list")
        } catch {
            // The shipped list is tested (SynonymTests, theShippedListGivesEachExpressionOneConcept):
            // an error is a build mistake.
            preconditionFailure("\(error)")
        }
    }()

    /// Expressions a line may hold: each is a phrase FTS5 walks for every query that
    /// types one of them.
    public static let mostExpressionsPerSet = 12
    /// Words an expression may hold.
    public static let mostWordsPerExpression = 8
    /// Expressions that may begin with one word: a query analyzes every expression that
    /// begins with one of its words, so that this bounds what a synonym file adds to it.
    public static let mostExpressionsPerWord = 64
    /// The largest synonym file, read whole by every command that searches.
    public static let largestFile = 4 << 20

    /// Parses a synonym file: one set per line, its expressions separated by commas
    /// (`data center, centre de données, datacenter`), `#` starting a comment, blank
    /// lines skipped — the equivalence lines of Solr's and Elasticsearch's synonym files.
    /// `origin` names the file in errors (`synonyms.txt:3: …`).
    public init(text: String, origin: String) throws {
        var sets: [[String]] = []
        var buckets: [String: [Entry]] = [:]
        // Cut on bytes: splitting by characters (grapheme clusters) and Foundation's
        // trimming cost a command-line search more than a millisecond on the shipped list.
        let utf8 = text.utf8
        for (number, rawLine) in TextLines.lines(bytes: utf8).enumerated() {
            let line = rawLine.split(separator: UInt8(ascii: "#"), maxSplits: 1, omittingEmptySubsequences: false).first ?? rawLine[rawLine.startIndex..<rawLine.startIndex]
            let expressions = line.split(separator: UInt8(ascii: ",")).map { PlainText.trimmed(String(Substring(utf8[$0.startIndex..<$0.endIndex]))) }
                .filter { !$0.isEmpty }
            if expressions.isEmpty { continue }
            func fail(_ problem: String) -> SynonymFileError { SynonymFileError(origin: origin, line: number + 1, problem: problem) }
            // A NUL would cut the FTS5 expression short in SQLite's C strings.
            if let control = line.first(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) {
                throw fail("control character U+\(String(format: "%04X", control)): a synonym file is text")
            }
            if zip(line, line.dropFirst()).contains(where: { $0 == UInt8(ascii: "=") && $1 == UInt8(ascii: ">") }) {
                throw fail("one-way rules (=>) are not supported: list expressions that mean the same, separated by commas")
            }
            guard expressions.count >= 2 else { throw fail("a line needs two expressions or more, separated by commas") }
            guard expressions.count <= Self.mostExpressionsPerSet else {
                throw fail("\(expressions.count) expressions: a line takes at most \(Self.mostExpressionsPerSet)")
            }
            for expression in expressions {
                let words = WordSegmenter.words(in: expression)
                guard let word = Self.bucket(ofWords: words) else { throw fail("\"\(expression)\" has no letters or digits") }
                if words.count > Self.mostWordsPerExpression {
                    throw fail("\"\(expression)\" has \(words.count) words: an expression takes at most \(Self.mostWordsPerExpression)")
                }
                buckets[word, default: []].append(Entry(written: expression, set: sets.count))
                if buckets[word]!.count > Self.mostExpressionsPerWord {
                    throw fail("more than \(Self.mostExpressionsPerWord) expressions begin with \"\(word)\": a word may begin at most \(Self.mostExpressionsPerWord)")
                }
            }
            sets.append(expressions)
        }
        self.init(sets: sets, buckets: buckets)
    }

    private init(sets: [[String]], buckets: [String: [Entry]]) {
        self.sets = sets
        self.buckets = buckets
    }

    /// The bucket of an expression of `words`: that of its first word that is not
    /// ubiquitous (`la` of `La France insoumise`), else of its first, folded roughly (no
    /// analyzer); nil for no word.
    private static func bucket(ofWords words: [Substring]) -> String? {
        let content = words.first { !FunctionWordFilter.isUbiquitous(String($0)) }
        return (content ?? words.first).map { bucket(ofKeyWord: FrenchAnalyzer.roughFold(String($0))) }
    }

    /// These sets and `other`'s: its buckets joined to these, its sets numbered after them
    /// (no expression analyzed again).
    public func adding(_ other: Synonyms) -> Synonyms {
        var buckets = self.buckets
        for (word, entries) in other.buckets {
            buckets[word, default: []] += entries.map { Entry(written: $0.written, set: $0.set + sets.count) }
        }
        return Synonyms(sets: sets + other.sets, buckets: buckets)
    }

    /// A key word's singular: the same for a word's key (its folded singular, a name
    /// without its `@`) and its rough fold (``FrenchAnalyzer/roughFold(_:)``), which has
    /// no singular yet. The whole word, not its first letters: a query analyzes the
    /// entries of its words' buckets, and 100,000 sets whose words began with `fra` made
    /// `france` analyze them all (docs/RELIABILITY.md).
    static func bucket(ofKeyWord word: String) -> String {
        SingularFilter.singular(word)
    }

    /// The entries a query word whose key is `word` reads (its bucket's).
    func entries(ofKeyWord word: String) -> [Entry] {
        buckets[Self.bucket(ofKeyWord: word)] ?? []
    }

    /// The keys of an expression's words: each word's first exact form, without the
    /// marker of a name; the ubiquitous function words left out (unless it has no other).
    static func key(of text: String, analyzer: FrenchAnalyzer) -> [String] {
        let words = WordSegmenter.words(in: text).compactMap { word -> String? in
            guard let term = analyzer.queryForms(atOnePosition: String(word), use: .exact)?.first?.term else { return nil }
            return term.hasPrefix(NameFilter.marker) ? String(term.dropFirst(NameFilter.marker.count)) : term
        }
        let content = words.filter { !FunctionWordFilter.ubiquitous.contains($0) }
        return content.isEmpty ? words : content
    }

    /// The runs of `groups` (each group's word keys, in the query's order) that an
    /// expression covers whole — from the first word of a group to the last of a group —
    /// taken left to right, the longest at each place, with their sets' other
    /// expressions (of every set the expression belongs to).
    func matches(inGroups groups: [[String]], analyzer: FrenchAnalyzer) -> [Match] {
        guard !buckets.isEmpty else { return [] }
        let keys = groups.flatMap { $0 }
        let groupOfWord = groups.enumerated().flatMap { group, words in Array(repeating: group, count: words.count) }
        // The index of each group's first word, and one past the last word.
        var groupStarts: [Int] = []
        var start = 0
        for words in groups { groupStarts.append(start); start += words.count }
        var matches: [Match] = []
        var group = 0
        while group < groups.count {
            let first = groupStarts[group]
            guard first < keys.count else { group += 1; continue }
            let candidates = entries(ofKeyWord: keys[first])
                .map { (entry: $0, key: Self.key(of: $0.written, analyzer: analyzer)) }
                .filter { $0.key.first == keys[first] }
                .sorted { $0.key.count > $1.key.count }
            let found = candidates.first { candidate in
                let end = first + candidate.key.count
                guard end <= keys.count, Array(keys[first..<end]) == candidate.key else { return false }
                return end == keys.count || groupOfWord[end] != groupOfWord[end - 1]
            }
            guard let found else { group += 1; continue }
            let lastGroup = groupOfWord[first + found.key.count - 1]
            let sameKey = candidates.filter { $0.key == found.key }.map(\.entry)
            let setsOfKey = Set(sameKey.map(\.set))
            var alternatives: [String] = []
            for set in setsOfKey.sorted() {
                for written in sets[set] where !alternatives.contains(written) && !sameKey.contains(where: { $0.written == written && $0.set == set }) {
                    alternatives.append(written)
                }
            }
            if !alternatives.isEmpty { matches.append(Match(groups: group..<(lastGroup + 1), alternatives: alternatives)) }
            group = lastGroup + 1
        }
        return matches
    }
}

/// A synonym file that cannot be read as one: where, and what is wrong.
public struct SynonymFileError: Error, Equatable, CustomStringConvertible {
    public let origin: String
    public let line: Int
    public let problem: String

    public var description: String { "\(origin):\(line): \(problem)" }
}
