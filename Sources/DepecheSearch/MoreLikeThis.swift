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
///     let query = try MoreLikeThis.query(for: "orangesum-1911", in: index)   // "=hydroxychloroquine OR =lancet OR …"
public enum MoreLikeThis {
    /// Terms asked, at most.
    public static let terms = 20
    /// A term in more than this share of the dispatches, and more than ``cheapDocuments``
    /// of them, is not asked.
    static let commonestShare = 0.05
    static let cheapDocuments = 1_000.0

    /// The search that answers `similar` for the dispatch stored under `id`: its query, and
    /// `options` with the dispatch (and, unless `sameStory`, its story) left out; the query
    /// is empty when the dispatch shares no distinctive word. Nil when no dispatch has that id.
    public static func search(for id: String, in index: DispatchIndex, options: SearchOptions,
                              sameStory: Bool = false) throws -> (query: String, options: SearchOptions)? {
        guard let found = try query(for: id, in: index, sameStory: sameStory) else { return nil }
        var options = options
        options.synonyms = .none
        options.excludedRowid = found.rowid
        if !sameStory { options.excludedStory = found.story }
        return (found.query, options)
    }

    /// The query, and the dispatch's rowid and story, for the dispatch stored under `id`
    /// (or a duplicate's id); nil when no dispatch has that id. Unless `sameStory`, a term
    /// held by no more dispatches than its story has is not asked: its versions share
    /// their words, which would find nothing once the story is left out.
    public static func query(for id: String, in index: DispatchIndex, sameStory: Bool = false) throws -> (query: String, rowid: Int64, story: Int64)? {
        try index.reading { reader -> (query: String, rowid: Int64, story: Int64)? in
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
            let fewestHolders = sameStory ? 1.0 : Double(try reader.storySize(story))
            var weighted: [(term: String, weight: Double)] = []
            for (term, frequency) in frequencies where (term.count > 2 || term.allSatisfy(\.isNumber)) && !FunctionWordFilter.words.contains(term) {
                let documents = Double(try reader.documents(holding: term))
                // Held by this dispatch alone (or its own duplicates): nothing to share.
                guard documents > fewestHolders, documents <= max(cheapDocuments, rows * commonestShare), documents < rows else { continue }
                weighted.append((term, Double(frequency) * log(rows / documents)))
            }
            let chosen = weighted.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }.prefix(terms)
            guard !chosen.isEmpty else { return ("", rowid, story) }
            // `=term`: the exact form, as indexed (quoted by the query compiler: never syntax).
            return (chosen.map { "=\($0.term)" }.joined(separator: " OR "), rowid, story)
        }
    }
}
