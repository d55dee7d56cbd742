import DepecheAnalysis
import DepecheIndex
import DepecheModel

/// "Did you mean": corrected queries from the index's own vocabulary, for a query of
/// plain words that finds little (``fewHits``). Each word no dispatch holds — or, when no
/// dispatch has every word of the query, that fewer than ``rareWord`` hold (`Emanuel`,
/// a stray spelling) — is compared with the index's terms that begin like it, by a
/// French-aware edit cost (``cost(_:_:)``); the closest, then the most frequent, replaces
/// it, written as the documents write it (accents and case). A rare word of a query that
/// some dispatch has as typed (a name correctly typed: `Mahomes`) is never corrected.
/// Accents cost nothing: the vocabulary is folded, and so is the word.
///
///     try Suggester(reader: reader, analyzer: analyzer).corrections(of: ["Tshisekdi", "Trump"], matched: false)
///     // ["Tshisekedi", nil]
struct Suggester {
    let reader: IndexReader
    let analyzer: FrenchAnalyzer

    /// A query with fewer hits finds little, and gets suggestions.
    static let fewHits = 3
    /// When no dispatch has every word, a word held by fewer dispatches may be a typo too.
    static let rareWord = 3
    /// Terms read at most for one word: the vocabulary between its first two letters and the next.
    static let mostCandidates = 20_000

    /// The corrected form of each word (nil: kept as typed); `matched`: some dispatch has
    /// every word as typed, so that a word the index holds is taken as meant.
    func corrections(of words: [String], matched: Bool) throws -> [String?] {
        try words.map { word in
            guard let own = analyzer.queryForms(atOnePosition: word, use: .exact)?.first?.term, !own.hasPrefix(NameFilter.marker),
                  own.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }), own.count >= 4 else { return nil }
            let held = try reader.documents(holding: own)
            guard held < (matched ? 1 : Self.rareWord), let best = try bestCandidate(for: own, held: held) else { return nil }
            return Self.shown(try reader.writtenForms(of: best), term: best) ?? best
        }
    }

    /// The closest term (then the most frequent) within the word's allowance, held by
    /// more dispatches than the word.
    private func bestCandidate(for word: String, held: Int) throws -> String? {
        let allowance = word.count >= 8 ? 2.0 : word.count >= 5 ? 1.0 : 0.5
        let prefix = String(word.prefix(2))
        guard let last = prefix.unicodeScalars.last, let next = Unicode.Scalar(last.value + 1) else { return nil }
        let upper = String(prefix.dropLast()) + String(Character(next))
        var best: (term: String, cost: Double, documents: Int)?
        for (term, documents) in try reader.vocabulary(from: prefix, to: upper, limit: Self.mostCandidates)
        where documents > held && term != word && abs(term.count - word.count) <= 2 {
            let cost = Self.cost(word, term)
            guard cost <= allowance else { continue }
            if let current = best, current.cost < cost || (current.cost == cost && current.documents >= documents) { continue }
            best = (term, cost, documents)
        }
        return best?.term
    }

    /// A correction as documents write it: in lower case when one of them does (a common
    /// word that began a title: *hydroxychloroquine*, not *Hydroxychloroquine*), as
    /// written otherwise (a name: *Tshisekedi*); without an elided article
    /// (`L’hydroxychloroquine`), unless the term is the joined spelling of a name
    /// (`ndjamena`: *N’Djamena*). Nil when no form is known.
    static func shown(_ forms: [String], term: String) -> String? {
        let bare = forms.map { written -> String in
            guard let bare = ElisionFilter.spellings(of: written).first, FrenchAnalyzer.roughFold(bare) == term else { return written }
            return bare
        }
        return bare.first { $0.first?.isLowercase == true } ?? bare.first
    }

    /// The edit cost from `a` to `b` (folded words): a substitution, insertion, deletion or
    /// swap of neighbours costs 1, but doubling or undoubling a letter (`Ouattarra`,
    /// `Ouattara`) costs half: the commonest slip in French names.
    static func cost(_ a: String, _ b: String) -> Double {
        EditDistance.cost(a, b, doubledLetter: 0.5)
    }
}

extension Searcher {
    /// The words of a query of plain words that found `total` hits, and the correction
    /// of each (nil: kept); nil when the query found enough, is not made of plain words,
    /// or no word has a correction.
    func corrections(for query: CompiledQuery, total: Int, _ reader: IndexReader,
                     analyzer: FrenchAnalyzer) throws -> [(typed: String, corrected: String?)]? {
        guard total < Suggester.fewHits, let terms = query.conjunctionTexts, terms.allSatisfy({ $0.kind == .word }),
              query.filters.isEmpty else { return nil }
        let words = terms.map(\.text)
        let corrections = try Suggester(reader: reader, analyzer: analyzer).corrections(of: words, matched: total > 0)
        guard corrections.contains(where: { $0 != nil }) else { return nil }
        return Array(zip(words, corrections))
    }

    /// The corrected query, planned and counted for `page`, when all its words together
    /// find more than `total`: proposed, or listed in place of the query (one count either way).
    func correctedSearch(_ corrections: [(typed: String, corrected: String?)], total: Int, options: SearchOptions, page: Page,
                         _ reader: IndexReader, analyzer: FrenchAnalyzer) throws -> (query: CompiledQuery, plan: SearchPlan, count: Count)? {
        let corrected = try Self.correctedQuery(corrections)
        let (plan, count) = try plan(corrected, options: options, page: page, reader, analyzer: analyzer)
        return count.total > total && !plan.relaxed ? (corrected, plan, count) : nil
    }

    /// The query with each word replaced by its correction, built as a query (never
    /// written to be parsed): `Tshisekdi Trump` → `Tshisekedi Trump`.
    static func correctedQuery(_ corrections: [(typed: String, corrected: String?)]) throws -> CompiledQuery {
        let words = corrections.map { $0.corrected ?? $0.typed }
        return try CompiledQuery(.all(words.map { QueryNode.word($0) }),
                                 text: words.joined(separator: " "))
    }

    /// The query that asks each corrected word beside the word typed (`--fuzzy`):
    /// `(Tshisekdi OR Tshisekedi) Trump`, built as a query, not written to be parsed.
    static func fuzzyQuery(_ corrections: [(typed: String, corrected: String?)]) throws -> CompiledQuery {
        let words = corrections.map { typed, corrected in corrected.map { .any([.word(typed), .word($0)]) } ?? QueryNode.word(typed) }
        let text = corrections.map { typed, corrected in corrected.map { "(\(typed) OR \($0))" } ?? typed }.joined(separator: " ")
        return try CompiledQuery(.all(words), text: text)
    }
}
