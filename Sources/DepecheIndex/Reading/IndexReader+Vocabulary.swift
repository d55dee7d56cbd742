import GRDB
import DepecheModel

extension IndexReader {
    /// The index's terms from `lower` (included) to `upper` (excluded), in order, with the
    /// number of dispatches holding each, at most `limit` (FTS5's `fts5vocab`, which reads
    /// the range of the term index only).
    public func vocabulary(from lower: String, to upper: String, limit: Int) throws -> [(term: String, documents: Int)] {
        try Self.createVocabulary(db)
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT term, doc FROM temp.dispatch_vocabulary WHERE term >= ? AND term < ? LIMIT ?"),
                                arguments: [lower, upper, limit]).map { ($0[0], $0[1]) }
    }

    /// The number of dispatches holding `term` (0 when none).
    public func documents(holding term: String) throws -> Int {
        try Self.createVocabulary(db)
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT doc FROM temp.dispatch_vocabulary WHERE term = ?"), arguments: [term]) ?? 0
    }

    /// The number of dispatches holding `term` (an index term, as it is), counted up to
    /// `limit` only: `fts5vocab` reads a term's whole doclist to count it, this stops at
    /// `limit` rows (a common word held by thousands costs as much as a rare one).
    public func documents(holding term: String, atMost limit: Int) throws -> Int {
        try count(matching: .phrase(FullTextPhrase(term, forms: .term)), upTo: limit - 1)
    }

    /// The words holding `term` (an index term, as it is) as documents write them, with
    /// their accents and case (`emmanuel` → *Emmanuel*), from the first `limit` dispatches
    /// that hold it: a correction is shown as people write the word, not in the index's
    /// folded form. A short snippet each.
    public func writtenForms(of term: String, limit: Int = 5) throws -> [String] {
        let match = FullTextMatch.phrase(FullTextPhrase(term, forms: .term)).fts5
        return try String.fetchAll(db.cachedStatement(sql: """
            SELECT snippet(dispatch_fts, -1, '\(Snippet.open)', '\(Snippet.close)', '', 8)
            FROM dispatch_fts WHERE dispatch_fts MATCH ? LIMIT ?
            """), arguments: [match, limit]).compactMap { marked in
            Snippet(marked: marked).parts.first(where: \.isMatch).map { PlainText.trimmed($0.text) }
        }
    }

    /// `fts5vocab` over the full-text table, in the connection's temporary schema (which a
    /// read-only connection may change), made when first needed.
    private static func createVocabulary(_ db: Database) throws {
        try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.dispatch_vocabulary USING fts5vocab(main, 'dispatch_fts', 'row')")
    }
}
