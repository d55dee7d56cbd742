import DepecheAnalysis

/// Sets of expressions that name one concept (`ONU`, `Nations unies`): a query that
/// types one of them also searches the others (``WordGroups``). The shipped sets are
/// ``ConceptList``; a user file adds its own (``init(text:origin:)``).
///
/// Expressions are compared by their words' exact forms (case, accents, elision and
/// number aside, `@` of names dropped), the ubiquitous function words left out as a
/// query leaves them out: `centres de données` is the expression `centre de données`.
///
///     let synonyms = Synonyms.shipped
///     synonyms.matches(inGroups: [["onu"]])   // [0..<1: Nations unies, Organisation des Nations unies]
public struct Synonyms: Sendable {
    /// One expression of a set, by its words' keys.
    struct Entry: Sendable {
        let key: [String]
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
    /// The entries by the key of their first word, longest first.
    private let entries: [String: [Entry]]

    /// No synonyms at all (`--no-synonyms`).
    public static let none = Synonyms(sets: [], analyzer: nil)

    /// The sets shipped with depeche (``ConceptList``).
    public static let shipped: Synonyms = {
        do {
            return try Synonyms(text: ConceptList.text, origin: "the shipped synonym list")
        } catch {
            // The shipped list is tested (ConceptListTests): an error is a build mistake.
            preconditionFailure("\(error)")
        }
    }()

    /// Expressions a line may hold: each is a phrase FTS5 walks for every query that
    /// types one of them.
    public static let mostExpressionsPerSet = 12
    /// Words an expression may hold.
    public static let mostWordsPerExpression = 8

    /// Parses a synonym file: one set per line, its expressions separated by commas
    /// (`data center, centre de données, datacenter`), `#` starting a comment, blank
    /// lines skipped — the equivalence lines of Solr's and Elasticsearch's synonym files.
    /// `origin` names the file in errors (`synonyms.txt:3: …`).
    public init(text: String, origin: String) throws {
        var sets: [[String]] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let expressions = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if expressions.isEmpty { continue }
            func fail(_ problem: String) -> SynonymFileError { SynonymFileError(origin: origin, line: number + 1, problem: problem) }
            if line.contains("=>") {
                throw fail("one-way rules (=>) are not supported: list expressions that mean the same, separated by commas")
            }
            guard expressions.count >= 2 else { throw fail("a line needs two expressions or more, separated by commas") }
            guard expressions.count <= Self.mostExpressionsPerSet else {
                throw fail("\(expressions.count) expressions: a line takes at most \(Self.mostExpressionsPerSet)")
            }
            for expression in expressions {
                let words = WordSegmenter.words(in: expression).count
                if words == 0 { throw fail("\"\(expression)\" has no letters or digits") }
                if words > Self.mostWordsPerExpression {
                    throw fail("\"\(expression)\" has \(words) words: an expression takes at most \(Self.mostWordsPerExpression)")
                }
            }
            sets.append(expressions)
        }
        self.init(sets: sets, analyzer: try FrenchAnalyzer())
    }

    private init(sets: [[String]], analyzer: FrenchAnalyzer?) {
        self.sets = sets
        var entries: [String: [Entry]] = [:]
        if let analyzer {
            for (set, expressions) in sets.enumerated() {
                for written in expressions {
                    let key = Self.key(of: written, analyzer: analyzer)
                    guard let first = key.first else { continue }
                    entries[first, default: []].append(Entry(key: key, written: written, set: set))
                }
            }
        }
        self.entries = entries.mapValues { $0.sorted { $0.key.count > $1.key.count } }
    }

    /// These sets and `other`'s.
    public func adding(_ other: Synonyms) throws -> Synonyms {
        guard !other.sets.isEmpty else { return self }
        guard !sets.isEmpty else { return other }
        // Rebuilt from the texts: keys need an analyzer, and merging is once per command.
        return Synonyms(sets: sets + other.sets, analyzer: try FrenchAnalyzer())
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
    func matches(inGroups groups: [[String]]) -> [Match] {
        guard !entries.isEmpty else { return [] }
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
            let found = first < keys.count ? (entries[keys[first]] ?? []).first { entry in
                let end = first + entry.key.count
                guard end <= keys.count, Array(keys[first..<end]) == entry.key else { return false }
                return end == keys.count || groupOfWord[end] != groupOfWord[end - 1]
            } : nil
            guard let found else { group += 1; continue }
            let lastGroup = groupOfWord[first + found.key.count - 1]
            let sameKey = (entries[keys[first]] ?? []).filter { $0.key == found.key }
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
