import Foundation
import DepecheAnalysis
import DepecheModel
import DepecheIndex

/// "More like this" (`depeche similar ID`): the terms that tell a dispatch apart — those
/// of the highest tf·idf in it — asked as one OR query, ranked by relevance. Bounded:
/// ``terms`` terms at most, and none held by more than ``commonestShare`` of the
/// dispatches of a large index (a common word's doclist would cost a walk of the whole
/// index and say nothing of the story; below ``cheapDocuments`` holders a term costs
/// little whatever the share).
///
///     let found = try MoreLikeThis.search(for: "orangesum-1911", in: index, options: SearchOptions())
///     // found?.query: =hydroxychloroquine OR =lancet OR …, found?.options: without the dispatch and its story
public enum MoreLikeThis {
    /// Terms asked, at most.
    public static let terms = 20
    /// Terms whose holders are counted, at most: those the dispatch uses most, the longer
    /// first among equals (a count costs a statement, a tenth of a millisecond; the words a
    /// story repeats and its long words hold its distinctive ones).
    static let termsCounted = 80
    /// A term in more than this share of the dispatches, and more than ``cheapDocuments``
    /// of them, is not asked.
    static let commonestShare = 0.05
    static let cheapDocuments = 1_000.0

    /// The search that answers `similar` for the dispatch stored under `id`: its query, and
    /// `options` with the dispatch (and, unless `sameStory`, its story) left out; the query
    /// is nil when the dispatch shares no distinctive word. Nil when no dispatch has that id.
    public static func search(for id: String, in index: DispatchIndex, options: SearchOptions,
                              sameStory: Bool = false) throws -> (query: CompiledQuery?, options: SearchOptions)? {
        guard let found = try query(for: id, in: index, sameStory: sameStory) else { return nil }
        var options = options
        options.synonyms = .none
        options.filters.excludedRowid = found.rowid
        if !sameStory { options.filters.excludedStory = found.story }
        return (found.query, options)
    }

    /// The query, and the dispatch's rowid and story, for the dispatch stored under `id`
    /// (or a duplicate's id); nil when no dispatch has that id. Unless `sameStory`, a term
    /// held by no more dispatches than its story has is not asked: its versions share
    /// their words, which would find nothing once the story is left out.
    public static func query(for id: String, in index: DispatchIndex, sameStory: Bool = false) throws -> (query: CompiledQuery?, rowid: Int64, story: Int64)? {
        try index.reading { reader -> (query: CompiledQuery?, rowid: Int64, story: Int64)? in
            guard let (rowid, story, texts) = try reader.texts(ofDispatch: id) else { return nil }
            let analyzer = try FrenchAnalyzer()
            var frequencies: [String: Int] = [:]
            for text in texts {
                var text = text
                text.withUTF8 { bytes in
                    analyzer.forEachTerm(in: bytes, for: .document) { term, colocated, _ in
                        // A word's own form: its stems are asked by the query anyway.
                        if !colocated { frequencies[String(decoding: term, as: UTF8.self), default: 0] += 1 }
                        return true
                    }
                }
            }
            let rows = Double(try reader.totals().rows)
            let fewestHolders = sameStory ? 1 : try reader.storySize(story)
            // Counting stops past the most holders a term may have: a commoner term is
            // not asked anyway, and its doclist is not read to the end.
            let mostHolders = Int(max(cheapDocuments, rows * commonestShare))
            var weighted: [(term: String, weight: Double)] = []
            let candidates = frequencies.filter { term, _ in (term.count > 2 || term.allSatisfy(\.isNumber)) && !FunctionWordFilter.words.contains(term) }
                .sorted { ($0.value, $0.key.count, $0.key) > ($1.value, $1.key.count, $1.key) }.prefix(termsCounted)
            for (term, frequency) in candidates {
                let documents = try reader.documents(holding: term, atMost: mostHolders + 1)
                // Held by its own story alone (or its duplicates): nothing to share.
                guard documents > fewestHolders, documents <= mostHolders, Double(documents) < rows else { continue }
                weighted.append((term, Double(frequency) * log(rows / Double(documents))))
            }
            let chosen = weighted.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }.prefix(terms)
            guard !chosen.isEmpty else { return (nil, rowid, story) }
            // `=term`: the exact form, as indexed; built as a query, never parsed.
            let words = chosen.map { QueryNode.word($0.term, kind: .exact) }
            let query = try CompiledQuery(words.count == 1 ? words[0] : .any(words), text: chosen.map { "=\($0.term)" }.joined(separator: " OR "))
            return (query, rowid, story)
        }
    }
}
