import GRDB
import DepecheAnalysis
import DepecheModel

/// What storing one dispatch did.
public enum StoreOutcome: Sendable, Equatable {
    case added, updated, unchanged
    /// The same text is already stored under another id; this id now points to it.
    case duplicate(of: String)
    /// The id names another dispatch read from another file (two exports numbering their
    /// rows from 1): both are kept, this one under `storedAs`.
    case addedBeside(id: String, storedAs: String, otherFile: String)
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
    /// The index run storing it (`meta.index_run`): a dispatch added, or given a new text,
    /// is new to the saved searches run before it (``SavedSearch``).
    var run = 0

    /// Stores a dispatch read from `sourceFile` (an absolute path; nil for stdin);
    /// `hash` is its ``Dispatch/contentHash``, computed by the caller (on the parsing thread).
    func store(_ dispatch: Dispatch, contentHash hash: String, sourceFile: String?) throws -> StoreOutcome {
        var dispatch = dispatch
        if dispatch.id.isEmpty { dispatch.id = dispatch.derivedID(contentHash: hash) }
        if let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT rowid, content_hash, title, \(Self.metadataColumns) FROM dispatches WHERE id = ?"),
                                           arguments: [dispatch.id]) {
            let rowid: Int64 = existing["rowid"]
            if let otherFile = Self.otherRecord(existing, than: dispatch, contentHash: hash, sourceFile: sourceFile) {
                let given = dispatch.id
                dispatch.id = given + "~" + dispatch.derivedID(contentHash: hash)
                switch try store(dispatch, contentHash: hash, sourceFile: sourceFile) {
                case .added: return .addedBeside(id: given, storedAs: dispatch.id, otherFile: otherFile)
                case let outcome: return outcome
                }
            }
            if existing["content_hash"] == hash {
                // Same text; the date, source… may still have changed (a file read again
                // with another --year, a corrected export): those are stored without
                // touching the full text.
                let metadata = Self.metadata(of: dispatch, sourceFile: sourceFile)
                let stored = Self.metadata(in: existing)
                if stored == metadata { return .unchanged }
                try db.cachedStatement(sql: "UPDATE dispatches SET \(Self.metadataAssignments) WHERE rowid = ?")
                    .execute(arguments: StatementArguments(metadata) + [rowid])
                try storeFacets(rowid: rowid, dispatch)
                // The same record read from another file (a copy, a later export) is not
                // a changed record: only where it was last read moved.
                let located = Self.metadataNames.count - 2
                return stored.prefix(located) == metadata.prefix(located) ? .unchanged : .updated
            }
            try removeFromFullText(rowid: rowid)
            try StoryGroups(db: db, deferred: deferSummaries).remove(rowid)
            try db.cachedStatement(sql: """
                UPDATE dispatches SET title = ?, standfirst = ?, body = ?, date = ?, date_quality = ?, source = ?,
                    category = ?, city = ?, author = ?, url = ?, origin = ?, source_file = ?, content_hash = ?, changed_run = ? WHERE rowid = ?
                """).execute(arguments: fields(of: dispatch, sourceFile: sourceFile, hash: hash) + [run, rowid])
            try addToFullText(rowid: rowid, dispatch)
            let analysis = try analysis(of: dispatch)
            try storeFacets(rowid: rowid, dispatch, analysis: analysis)
            try StoryGroups(db: db, deferred: deferSummaries).add(rowid, day: dispatch.date?.dayNumber, signature: analysis.signature)
            return .updated
        }
        if let original = try Row.fetchOne(db.cachedStatement(sql: "SELECT rowid, id FROM dispatches WHERE content_hash = ?"), arguments: [hash]) {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO duplicates(dispatch_rowid, \(Self.metadataColumns), id) VALUES (?, \(Self.metadataPlaces), ?)")
                .execute(arguments: [original["rowid"] as Int64] + StatementArguments(Self.metadata(of: dispatch, sourceFile: sourceFile)) + [dispatch.id])
            // A duplicate is found by its own source and category (IndexSelection).
            try recordFacetValues(of: dispatch)
            return .duplicate(of: original["id"])
        }
        try db.cachedStatement(sql: """
            INSERT INTO dispatches(title, standfirst, body, date, date_quality, source, category, city, author, url, origin, source_file,
                                   content_hash, id, added_run, changed_run)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: fields(of: dispatch, sourceFile: sourceFile, hash: hash) + [dispatch.id, run, run])
        let rowid = db.lastInsertedRowID
        try addToFullText(rowid: rowid, dispatch)
        let analysis = try analysis(of: dispatch)
        try storeFacets(rowid: rowid, dispatch, analysis: analysis)
        try StoryGroups(db: db, deferred: deferSummaries).add(rowid, day: dispatch.date?.dayNumber, signature: analysis.signature)
        return .added
    }

    /// The file of the stored dispatch `existing` when it is another record than
    /// `dispatch` under the same id: read from another file (or standard input), with
    /// another text, and neither the same url nor the same title (an update keeps one).
    /// nil when storing `dispatch` updates it.
    private static func otherRecord(_ existing: Row, than dispatch: Dispatch, contentHash: String, sourceFile: String?) -> String? {
        let storedFile: String? = existing["source_file"]
        guard storedFile != sourceFile, existing["content_hash"] != contentHash else { return nil }
        if let url = dispatch.url, url == existing["url"] { return nil }
        if dispatch.title == existing["title"] { return nil }
        return storedFile ?? "standard input"
    }

    /// Removes what was read from a file that no longer exists: its dispatches and the
    /// duplicate ids it provided. A dispatch also seen in a file that still exists is
    /// kept, under the id, origin and metadata (date, source…) of that other record.
    /// Returns the dispatches removed.
    func removeSource(_ path: String) throws -> Int {
        try db.execute(sql: "DELETE FROM duplicates WHERE source_file = ?", arguments: [path])
        var removed = 0
        let rows = try Row.fetchAll(db, sql: "SELECT rowid FROM dispatches WHERE source_file = ?", arguments: [path])
        for row in rows {
            let rowid: Int64 = row["rowid"]
            if let survivor = try Row.fetchOne(db, sql: "SELECT id, \(Self.metadataColumns) FROM duplicates WHERE dispatch_rowid = ? ORDER BY id LIMIT 1",
                                               arguments: [rowid]) {
                try promote(survivor, to: rowid)
                continue
            }
            try removeFromFullText(rowid: rowid)
            try StoryGroups(db: db, deferred: deferSummaries).remove(rowid)
            try db.execute(sql: "DELETE FROM dispatches WHERE rowid = ?", arguments: [rowid])
            try db.execute(sql: "DELETE FROM dispatch_facets WHERE rowid = ?", arguments: [rowid])
            removed += 1
        }
        try db.execute(sql: "DELETE FROM sources WHERE path = ?", arguments: [path])
        return removed
    }

    /// Puts a duplicate's id, origin and, when known, its own metadata on the dispatch it
    /// duplicated. Duplicates recorded by schema 4 kept no metadata (`date_quality` NULL):
    /// those keep the dispatch's.
    private func promote(_ survivor: Row, to rowid: Int64) throws {
        try db.execute(sql: "DELETE FROM duplicates WHERE id = ?", arguments: [survivor["id"] as String])
        guard (survivor["date_quality"] as String?) != nil else {
            try db.execute(sql: "UPDATE dispatches SET id = ?, origin = ?, source_file = ? WHERE rowid = ?",
                           arguments: [survivor["id"] as String, survivor["origin"] as String, survivor["source_file"] as String?, rowid])
            return
        }
        let metadata = Self.metadata(in: survivor)
        try db.execute(sql: "UPDATE dispatches SET id = ?, \(Self.metadataAssignments) WHERE rowid = ?",
                       arguments: [survivor["id"] as String] + StatementArguments(metadata) + [rowid])
        guard let promoted = try Row.fetchOne(db, sql: "SELECT * FROM dispatches WHERE rowid = ?", arguments: [rowid]) else { return }
        try storeFacets(rowid: rowid, DispatchIndex.dispatch(from: promoted))
    }

    /// The columns of `dispatches` (and `duplicates`) that a record sets besides its id and
    /// text, in the order of ``metadata(of:sourceFile:)``.
    private static let metadataNames = ["date", "date_quality", "source", "category", "city", "author", "url", "origin", "source_file"]
    private static let metadataColumns = metadataNames.joined(separator: ", ")
    private static let metadataAssignments = metadataNames.map { "\($0) = ?" }.joined(separator: ", ")
    private static let metadataPlaces = metadataNames.map { _ in "?" }.joined(separator: ", ")

    /// The values of ``metadataColumns`` for a dispatch read from `sourceFile`.
    private static func metadata(of dispatch: Dispatch, sourceFile: String?) -> [DatabaseValue] {
        [dispatch.date?.description, dispatch.dateQuality.rawValue, dispatch.source, dispatch.category, dispatch.city,
         dispatch.author, dispatch.url, storedOrigin(dispatch, sourceFile: sourceFile), sourceFile].map(\.databaseValue)
    }

    /// `FILE:LINE` with the file's absolute path, whatever path was typed: a file named
    /// another way (`--refresh` names it absolutely) is not a changed record.
    private static func storedOrigin(_ dispatch: Dispatch, sourceFile: String?) -> String {
        Origin(file: sourceFile ?? dispatch.origin.file, line: dispatch.origin.line).description
    }

    /// The values of ``metadataColumns`` in a row that selected them.
    private static func metadata(in row: Row) -> [DatabaseValue] {
        metadataNames.map { row[$0] as DatabaseValue }
    }

    /// Compacts the full-text index into one segment: once, at the end of a bulk build.
    func optimize() throws {
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts) VALUES ('optimize')")
    }

    private func fields(of dispatch: Dispatch, sourceFile: String?, hash: String) -> StatementArguments {
        [dispatch.title, dispatch.standfirst, dispatch.body] + StatementArguments(Self.metadata(of: dispatch, sourceFile: sourceFile)) + [hash]
    }

    /// The narrow copy of what ranking and filters read (see the schema), with the
    /// dispatch's length in tokens as FTS5 counts them.
    private func storeFacets(rowid: Int64, _ dispatch: Dispatch, analysis: PreanalyzedDocument? = nil) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO dispatch_facets(rowid, date, date_quality, source, category, length) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [rowid, dispatch.date?.description, dispatch.dateQuality.rawValue, dispatch.source, dispatch.category,
                                 try (analysis ?? self.analysis(of: dispatch)).tokenCount])
        if deferSummaries { return }
        // NULL > date is NULL: an undated dispatch never lowers its block's newest date.
        try db.cachedStatement(sql: """
            INSERT INTO dispatch_blocks(block, newest) VALUES (?1 / \(DispatchIndex.blockSize), ?2)
            ON CONFLICT(block) DO UPDATE SET newest = CASE WHEN newest IS NULL OR excluded.newest > newest THEN excluded.newest ELSE newest END
            """).execute(arguments: [rowid, dispatch.date?.description])
        try recordFacetValues(of: dispatch)
        // Rebuilt from the facets at the end of the run (BatchWriter.finish).
        try DispatchColumns.invalidate(db, rowid: rowid)
    }

    private func recordFacetValues(of dispatch: Dispatch) throws {
        // OR IGNORE also skips a NULL value (NOT NULL).
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO facet_values(field, value) VALUES ('source', ?), ('category', ?)")
            .execute(arguments: [dispatch.source, dispatch.category])
    }

    /// A dispatch's terms as analyzed ahead of the insert (``PreanalyzedDocument``) when
    /// they are this dispatch's, else analyzed now: its length as FTS5 counts it, its
    /// story signature.
    private func analysis(of dispatch: Dispatch) throws -> PreanalyzedDocument {
        let texts = [dispatch.title, dispatch.standfirst, dispatch.body]
        if let document = PreanalyzedDocument.current, document.analyzes(texts) { return document }
        return PreanalyzedDocument(texts: texts, analyzer: try FrenchAnalyzer())
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
