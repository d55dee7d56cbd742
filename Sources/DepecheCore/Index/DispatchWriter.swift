import GRDB

/// What storing one dispatch did.
public enum StoreOutcome: Sendable {
    case added, updated, unchanged
    /// The same text is already stored under another id; this id now points to it.
    case duplicate(of: String)
}

/// Writes dispatches into an open index connection, keeping the FTS5 external-content
/// table in step with `dispatches` (FTS5 cannot see changes to its content table:
/// the old text must be deleted from it with the values it was indexed with).
struct DispatchWriter {
    let db: Database

    func store(_ dispatch: Dispatch) throws -> StoreOutcome {
        let hash = dispatch.contentHash
        if let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT rowid, content_hash FROM dispatches WHERE id = ?"), arguments: [dispatch.id]) {
            let rowid: Int64 = existing["rowid"]
            if existing["content_hash"] == hash { return .unchanged }
            try removeFromFullText(rowid: rowid)
            try db.cachedStatement(sql: """
                UPDATE dispatches SET title = ?, standfirst = ?, body = ?, date = ?, date_quality = ?, source = ?,
                    category = ?, city = ?, author = ?, url = ?, origin = ?, content_hash = ? WHERE rowid = ?
                """).execute(arguments: fields(of: dispatch, hash: hash) + [rowid])
            try addToFullText(rowid: rowid, dispatch)
            return .updated
        }
        if let original = try Row.fetchOne(db.cachedStatement(sql: "SELECT rowid, id FROM dispatches WHERE content_hash = ?"), arguments: [hash]) {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO duplicates(id, dispatch_rowid, origin) VALUES (?, ?, ?)")
                .execute(arguments: [dispatch.id, original["rowid"] as Int64, dispatch.origin.description])
            return .duplicate(of: original["id"])
        }
        try db.cachedStatement(sql: """
            INSERT INTO dispatches(title, standfirst, body, date, date_quality, source, category, city, author, url, origin, content_hash, id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: fields(of: dispatch, hash: hash) + [dispatch.id])
        try addToFullText(rowid: db.lastInsertedRowID, dispatch)
        return .added
    }

    /// Compacts the full-text index into one segment: once, at the end of a bulk build.
    func optimize() throws {
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts) VALUES ('optimize')")
    }

    private func fields(of dispatch: Dispatch, hash: String) -> StatementArguments {
        [dispatch.title, dispatch.standfirst, dispatch.body, dispatch.date?.description, dispatch.dateQuality.rawValue,
         dispatch.source, dispatch.category, dispatch.city, dispatch.author, dispatch.url, dispatch.origin.description, hash]
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
