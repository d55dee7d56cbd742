import GRDB

/// What storing one dispatch did.
public enum StoreOutcome: Sendable, Equatable {
    case added, updated, unchanged
    /// The same text is already stored under another id; this id now points to it.
    case duplicate(of: String)
}

/// Writes dispatches into an open index connection, keeping the FTS5 external-content
/// table in step with `dispatches` (FTS5 cannot see changes to its content table:
/// the old text must be deleted from it with the values it was indexed with).
struct DispatchWriter {
    let db: Database
    /// True in a bulk build: the length, block and facet values of each dispatch are
    /// left to ``DispatchIndex/fillSummaries(_:)`` at the end, before the new file is
    /// swapped in (nothing reads it until then).
    var deferSummaries = false

    /// Stores a dispatch read from `sourceFile` (an absolute path; nil for stdin);
    /// `hash` is its ``Dispatch/contentHash``, computed by the caller (on the parsing thread).
    func store(_ dispatch: Dispatch, contentHash hash: String, sourceFile: String?) throws -> StoreOutcome {
        if let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT rowid, content_hash FROM dispatches WHERE id = ?"), arguments: [dispatch.id]) {
            let rowid: Int64 = existing["rowid"]
            if existing["content_hash"] == hash { return .unchanged }
            try removeFromFullText(rowid: rowid)
            try db.cachedStatement(sql: """
                UPDATE dispatches SET title = ?, standfirst = ?, body = ?, date = ?, date_quality = ?, source = ?,
                    category = ?, city = ?, author = ?, url = ?, origin = ?, source_file = ?, content_hash = ? WHERE rowid = ?
                """).execute(arguments: fields(of: dispatch, sourceFile: sourceFile, hash: hash) + [rowid])
            try addToFullText(rowid: rowid, dispatch)
            try storeFacets(rowid: rowid, dispatch)
            return .updated
        }
        if let original = try Row.fetchOne(db.cachedStatement(sql: "SELECT rowid, id FROM dispatches WHERE content_hash = ?"), arguments: [hash]) {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO duplicates(id, dispatch_rowid, origin, source_file) VALUES (?, ?, ?, ?)")
                .execute(arguments: [dispatch.id, original["rowid"] as Int64, dispatch.origin.description, sourceFile])
            return .duplicate(of: original["id"])
        }
        try db.cachedStatement(sql: """
            INSERT INTO dispatches(title, standfirst, body, date, date_quality, source, category, city, author, url, origin, source_file, content_hash, id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: fields(of: dispatch, sourceFile: sourceFile, hash: hash) + [dispatch.id])
        let rowid = db.lastInsertedRowID
        try addToFullText(rowid: rowid, dispatch)
        try storeFacets(rowid: rowid, dispatch)
        return .added
    }

    /// Removes what was read from a file that no longer exists: its dispatches and the
    /// duplicate ids it provided. A dispatch also seen in a file that still exists is
    /// kept, under the id and origin of that other file. Returns the dispatches removed.
    func removeSource(_ path: String) throws -> Int {
        try db.execute(sql: "DELETE FROM duplicates WHERE source_file = ?", arguments: [path])
        var removed = 0
        let rows = try Row.fetchAll(db, sql: "SELECT rowid FROM dispatches WHERE source_file = ?", arguments: [path])
        for row in rows {
            let rowid: Int64 = row["rowid"]
            if let survivor = try Row.fetchOne(db, sql: "SELECT id, origin, source_file FROM duplicates WHERE dispatch_rowid = ? LIMIT 1", arguments: [rowid]) {
                try db.execute(sql: "DELETE FROM duplicates WHERE id = ?", arguments: [survivor["id"] as String])
                try db.execute(sql: "UPDATE dispatches SET id = ?, origin = ?, source_file = ? WHERE rowid = ?",
                               arguments: [survivor["id"] as String, survivor["origin"] as String, survivor["source_file"] as String?, rowid])
                continue
            }
            try removeFromFullText(rowid: rowid)
            try db.execute(sql: "DELETE FROM dispatches WHERE rowid = ?", arguments: [rowid])
            try db.execute(sql: "DELETE FROM dispatch_facets WHERE rowid = ?", arguments: [rowid])
            removed += 1
        }
        try db.execute(sql: "DELETE FROM sources WHERE path = ?", arguments: [path])
        return removed
    }

    /// Compacts the full-text index into one segment: once, at the end of a bulk build.
    func optimize() throws {
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts) VALUES ('optimize')")
    }

    private func fields(of dispatch: Dispatch, sourceFile: String?, hash: String) -> StatementArguments {
        [dispatch.title, dispatch.standfirst, dispatch.body, dispatch.date?.description, dispatch.dateQuality.rawValue,
         dispatch.source, dispatch.category, dispatch.city, dispatch.author, dispatch.url, dispatch.origin.description, sourceFile, hash]
    }

    /// The narrow copy of what ranking and filters read (see the schema), with the
    /// dispatch's length in tokens as FTS5 counts them.
    private func storeFacets(rowid: Int64, _ dispatch: Dispatch) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO dispatch_facets(rowid, date, date_quality, source, category, length) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [rowid, dispatch.date?.description, dispatch.dateQuality.rawValue, dispatch.source, dispatch.category,
                                 try tokenCount(of: dispatch)])
        if deferSummaries { return }
        // NULL > date is NULL: an undated dispatch never lowers its block's newest date.
        try db.cachedStatement(sql: """
            INSERT INTO dispatch_blocks(block, newest) VALUES (?1 / \(DispatchIndex.blockSize), ?2)
            ON CONFLICT(block) DO UPDATE SET newest = CASE WHEN newest IS NULL OR excluded.newest > newest THEN excluded.newest ELSE newest END
            """).execute(arguments: [rowid, dispatch.date?.description])
        // OR IGNORE also skips a NULL value (NOT NULL).
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO facet_values(field, value) VALUES ('source', ?), ('category', ?)")
            .execute(arguments: [dispatch.source, dispatch.category])
        // Rebuilt from the facets at the end of the run (BatchWriter.finish).
        try DispatchColumns.invalidate(db, rowid: rowid)
    }

    /// The tokens FTS5 counts in a dispatch: from its terms computed ahead of the insert
    /// (``PreanalyzedDocument``) when they are this dispatch's, else by analyzing it now.
    private func tokenCount(of dispatch: Dispatch) throws -> Int {
        let texts = [dispatch.title, dispatch.standfirst, dispatch.body]
        if let document = PreanalyzedDocument.current, document.analyzes(texts) { return document.tokenCount }
        return PreanalyzedDocument(texts: texts, analyzer: try FrenchAnalyzer()).tokenCount
    }

    private func addToFullText(rowid: Int64, _ dispatch: Dispatch) throws {
        try db.cachedStatement(sql: "INSERT INTO dispatch_fts(rowid, title, standfirst, body) VALUES (?, ?, ?, ?)")
            .execute(arguments: [rowid, dispatch.title, dispatch.standfirst, dispatch.body])
    }

    private func removeFromFullText(rowid: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO dispatch_fts(dispatch_fts, rowid, title, standfirst, body)
            SELECT 'delete', rowid, title, standfirst, body FROM dispatches WHERE rowid = ?
            """).execute(arguments: [rowid])
    }
}
