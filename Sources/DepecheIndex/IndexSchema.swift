import Foundation
import GRDB
import DepecheAnalysis
import DepecheModel

/// The on-disk schema (docs/ARCHITECTURE.md lists every table and column): created
/// whole by a new index, brought up to date in place from schemas 2–4, and checked on
/// every open.
extension DispatchIndex {
    static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            -- The short columns come first: ranking reads the date of thousands of rows,
            -- and a column stored after a long body costs a walk through its overflow pages.
            CREATE TABLE dispatches(
                rowid INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                date TEXT,                 -- YYYY-MM-DD
                date_quality TEXT NOT NULL, -- explicit | inferred | none
                source TEXT,
                category TEXT,
                city TEXT,
                author TEXT,
                url TEXT,
                origin TEXT NOT NULL,      -- FILE:LINE, as the file was named
                source_file TEXT,          -- the absolute path of the file (NULL for stdin)
                content_hash TEXT NOT NULL,
                title TEXT NOT NULL,
                standfirst TEXT NOT NULL,
                body TEXT NOT NULL,
                added_run INTEGER,         -- the index run that stored it first (NULL: before schema 6)
                changed_run INTEGER        -- the index run that last stored a new text for it
            );
            -- What ranking, filters and statistics read for every match, in rows of a few
            -- dozen bytes: reading a date from the wide rows above costs a page per match.
            -- DispatchWriter keeps it in step (a trigger would make SQLite journal every
            -- insert statement, which slowed bulk builds by two thirds).
            CREATE TABLE dispatch_facets(
                rowid INTEGER PRIMARY KEY,
                date TEXT,
                date_quality TEXT NOT NULL,
                source TEXT,
                category TEXT,
                length INTEGER             -- tokens, as FTS5 counts them, for bm25 (RelevanceFunction)
            );
            \(summaryTables)
            CREATE INDEX dispatches_content_hash ON dispatches(content_hash);
            \(savedSearchesTable)
            \(watchDeliveredTable)
            \(storyTables)
            -- Other ids and origins under which the same text was seen.
            CREATE TABLE duplicates(
                id TEXT PRIMARY KEY,
                dispatch_rowid INTEGER NOT NULL REFERENCES dispatches(rowid) ON DELETE CASCADE,
                origin TEXT NOT NULL,
                source_file TEXT\(duplicateMetadataColumns.map { ",\n    " + $0 }.joined())
            );
            CREATE INDEX duplicates_dispatch ON duplicates(dispatch_rowid);
            -- The files indexed, to skip unchanged ones and prune vanished ones.
            CREATE TABLE sources(
                path TEXT PRIMARY KEY,     -- absolute
                size INTEGER NOT NULL,
                modified REAL NOT NULL,    -- seconds since 1970
                content_hash TEXT NOT NULL,
                records INTEGER NOT NULL\(sourceReadingColumns.map { ",\n    " + $0 }.joined())
            );
            -- How the documents write each word seen capitalized in mid-sentence, by its own
            -- term (CaseCount): a word capitalized nearly every time is a name, which a
            -- search asks without stems. Counts only grow (a file read again counts again).
            CREATE TABLE name_evidence(term TEXT PRIMARY KEY, capitalized INTEGER NOT NULL, lowercase INTEGER NOT NULL) WITHOUT ROWID;
            -- columnsize=0: the lengths are in dispatch_facets (TokenCountFunction).
            CREATE VIRTUAL TABLE dispatch_fts USING fts5(
                title, standfirst, body,
                content = 'dispatches', content_rowid = 'rowid', columnsize = 0,
                tokenize = '\(FrenchTokenizer.name)'
            );
            """)
        let weights = columnWeights
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts, rank) VALUES ('rank', 'bm25(\(weights.title), \(weights.standfirst), \(weights.body))')")
        // FTS5 buffers new terms in a hash table and writes a segment each time it is full;
        // its 1 MB default makes a bulk load write and merge thousands of small segments.
        // 64 MB cuts indexing time by a fifth (docs/PERFORMANCE.md) within the memory budget.
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts, rank) VALUES ('hashsize', \(ftsHashSize))")
        try db.execute(sql: "INSERT INTO dispatch_fts(dispatch_fts, rank) VALUES ('pgsz', \(ftsLeafSize))")
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('schema_version', ?), ('analyzer_version', ?)",
                       arguments: [String(schemaVersion), String(analyzerVersion)])
    }

    /// Indexes a bulk build does not read while it loads: built at its end, from sorted
    /// keys, they cost a fraction of keeping them up to date row by row (the date index
    /// alone, updated in random date order, made a 250,000-dispatch build half as long again).
    static func createLookupIndexes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX IF NOT EXISTS dispatch_facets_date ON dispatch_facets(date);
            CREATE INDEX IF NOT EXISTS dispatches_source_file ON dispatches(source_file);
            """)
        try createStoryIndexes(db)
    }

    /// The tables that summarize the others (filled by ``fillSummaries(_:)``).
    static var summaryTables: String { blocksTable + schemaFourSummaryTables }

    private static let blocksTable = """
        -- The newest date among the dispatches of each block of rowids (NULL: none
        -- dated), so that the hybrid and date sorts can scan matches newest first and
        -- stop early (BlockReading). An upper bound: never lowered when a dispatch goes.
        CREATE TABLE dispatch_blocks(block INTEGER PRIMARY KEY, newest TEXT);

        """

    /// The summary tables schema 4 added (`dispatch_columns`) or changed (`facet_values`,
    /// which had no ids).
    private static let schemaFourSummaryTables = """
        -- Every source and category seen (never removed), so that a filter folds each
        -- value once, and the columns hold their ids.
        CREATE TABLE facet_values(id INTEGER PRIMARY KEY, field TEXT NOT NULL, value TEXT NOT NULL, UNIQUE(field, value));
        -- The length, day, source and category of each dispatch by block of rowids, for
        -- ranking and filters (DispatchColumns).
        CREATE TABLE dispatch_columns(block INTEGER PRIMARY KEY, lengths BLOB NOT NULL, days BLOB NOT NULL,
                                      sources BLOB NOT NULL, categories BLOB NOT NULL);
        """

    /// Saved searches (`depeche watch`, schema 6), which travel with the index, and the
    /// index of the runs that tell what is new to it.
    static let savedSearchesTable = """
        -- Saved searches: the query, its filters and sort as JSON (SavedSearch.Options), and
        -- the index run up to which its hits were shown (NULL: never run).
        CREATE TABLE saved_searches(name TEXT PRIMARY KEY, query TEXT NOT NULL, options TEXT NOT NULL, seen_run INTEGER);
        CREATE INDEX dispatches_changed_run ON dispatches(changed_run);
        """

    /// What each saved search was shown of its news while part of it waits (schema 9,
    /// ``DispatchIndex/recordDelivered(_:through:)``): the id and the index commit whose
    /// text was shown; emptied when the search has shown all its news.
    static let watchDeliveredTable = """
        CREATE TABLE watch_delivered(search TEXT NOT NULL, id TEXT NOT NULL, changed_run INTEGER NOT NULL,
                                     PRIMARY KEY (search, id)) WITHOUT ROWID;
        """

    /// The story groups (schema 7, ``StoryGroups``).
    static let storyTables = """
        -- The story of each dispatch (the smallest rowid among its members; its own rowid
        -- when it is alone), its day number and its StorySignature (NULL: too short to be
        -- grouped). `story` is never NULL, but not declared so: an UPDATE that could fail a
        -- constraint opens a statement journal, and FTS5 then writes its pending terms.
        CREATE TABLE story_members(rowid INTEGER PRIMARY KEY, story INTEGER, day INTEGER, signature BLOB);
        \(storyBandsTable)
        """

    /// The signatures' bands (StorySignature.bandKeys): the dispatches that agree on a
    /// band are the candidates a new dispatch compares itself with. One B-tree by key
    /// (schema 8): schema 7 kept a rowid table and an index on all its columns, the
    /// same rows twice (a tenth of the index file) and two pages written per band. The
    /// member's day number is there too, so that grouping skips pairs days apart without
    /// reading their signatures.
    static let storyBandsTable = """
        CREATE TABLE story_bands(key INTEGER NOT NULL, member INTEGER NOT NULL, day INTEGER, PRIMARY KEY (key, member)) WITHOUT ROWID;
        """

    /// The index of the stories' members, made at the end of a bulk build
    /// (``StoryGroups/groupAll()``), which only appends to `story_members`, and sorts once.
    static func createStoryIndexes(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story)")
    }

    /// What each duplicate id keeps of its own record (schema 5), so that pruning the
    /// file of the dispatch it duplicates promotes it with its own date, source, and so on.
    /// `date_quality` is NULL for duplicates recorded by schema 4, which kept none of it.
    static let duplicateMetadataColumns = ["date TEXT", "date_quality TEXT", "source TEXT", "category TEXT", "city TEXT",
                                           "author TEXT", "url TEXT"]

    /// How each file was read (schema 5): the options that change what a file gives
    /// (``ReadOptions``), so that a run with other ones reads it again, and the newest
    /// explicit date of its records, which the year inference of later runs counts.
    static let sourceReadingColumns = ["read_options TEXT NOT NULL DEFAULT ''", "newest_date TEXT"]

    /// The older schemas an index run upgrades in place (``upgradeSchema(_:)``).
    static let upgradableSchemas = 2..<schemaVersion

    /// One step of ``upgradeSchema(_:)``: the schema it brings an index to, what it is,
    /// and how, given the schema the index had when the upgrade began (the first steps
    /// differ by where they start).
    struct SchemaUpgrade: Sendable {
        let version: Int
        let name: String
        let run: @Sendable (Database, _ from: Int) throws -> Void
    }

    /// The steps, in order: an index of schema N takes every step past N, all in the
    /// transaction of ``upgradeSchema(_:)`` (a killed upgrade leaves the old schema whole,
    /// which GRDB's migrator, a transaction a step, would not; and the indexes made
    /// before have no table of applied migrations, only `meta.schema_version`).
    static let schemaUpgrades: [SchemaUpgrade] = [
        SchemaUpgrade(version: 4, name: "summary tables: lengths among the facets, facet ids, block columns") { db, from in
            if from == 2 {
                try db.execute(sql: """
                    ALTER TABLE dispatch_facets ADD COLUMN length INTEGER; \(summaryTables)
                    UPDATE dispatch_facets SET length = (SELECT \(TokenCountFunction.name)(sz) FROM dispatch_fts_docsize WHERE id = dispatch_facets.rowid);
                    """)
                try fillSummaries(db)
            } else {
                try db.execute(sql: "DROP TABLE facet_values; \(schemaFourSummaryTables)")
                try fillFacetValuesAndColumns(db)
            }
        },
        SchemaUpgrade(version: 5, name: "duplicates' metadata, how each file was read") { db, _ in
            for column in duplicateMetadataColumns { try db.execute(sql: "ALTER TABLE duplicates ADD COLUMN \(column)") }
            for column in sourceReadingColumns { try db.execute(sql: "ALTER TABLE sources ADD COLUMN \(column)") }
            try db.execute(sql: "UPDATE sources SET size = -1 WHERE path IN (SELECT source_file FROM duplicates)")
        },
        SchemaUpgrade(version: 6, name: "index runs of dispatches, saved searches") { db, _ in
            try db.execute(sql: "ALTER TABLE dispatches ADD COLUMN added_run INTEGER; ALTER TABLE dispatches ADD COLUMN changed_run INTEGER; \(savedSearchesTable)")
        },
        SchemaUpgrade(version: 8, name: "story groups, their bands one B-tree with their members' days") { db, from in
            if from < 7 {
                try db.execute(sql: storyTables)
                try groupStoredDispatches(db)
            } else {
                try db.execute(sql: """
                    ALTER TABLE story_bands RENAME TO story_bands_schema_7;
                    \(storyBandsTable)
                    INSERT OR IGNORE INTO story_bands(key, member, day)
                    SELECT b.key, b.member, m.day FROM story_bands_schema_7 b JOIN story_members m ON m.rowid = b.member ORDER BY b.key, b.member;
                    DROP TABLE story_bands_schema_7;
                    """)
            }
        },
        SchemaUpgrade(version: 9, name: "what saved searches were shown, ids of their own, duplicates' facet values") { db, _ in
            // Duplicates are found by their own source and category (IndexSelection).
            try db.execute(sql: """
                \(watchDeliveredTable)
                INSERT OR IGNORE INTO facet_values(field, value) SELECT DISTINCT 'source', source FROM duplicates WHERE source IS NOT NULL;
                INSERT OR IGNORE INTO facet_values(field, value) SELECT DISTINCT 'category', category FROM duplicates WHERE category IS NOT NULL;
                """)
            try upgradeIdentities(db)
        },
    ]

    /// Brings a schema-2 to 8 index to schema 9, one step after the other. Schema 2
    /// gets `dispatch_facets.length` filled from FTS5's own counts, and every summary
    /// table (a few seconds for a million dispatches); schema 3 gets its facet values
    /// with ids and `dispatch_columns` (a few seconds); schema 4 gets the metadata columns
    /// of duplicates and the reading columns of sources, and the files that gave
    /// duplicates are marked changed, so that the next run over them records the
    /// duplicates' metadata; schema 5 gets the index runs of dispatches (NULL for those
    /// stored before: older than any saved search) and the saved searches' table. Also
    /// schema 6 gets its story groups, from the signatures of the stored texts (analyzed
    /// again: about a minute for 100,000 dispatches); schema 7 gets its bands rewritten
    /// as one B-tree, with their members' days (about a minute for 1,000,000); schema 8
    /// gets the table of what saved searches were shown (``watchDeliveredTable``). Also
    /// marks an index from before ``IndexFile/applicationID``.
    /// Other versions are left to ``checkSchema(_:path:)``.
    /// Returns the schema it upgraded from, nil when it left the file as it was.
    @discardableResult
    static func upgradeSchema(_ db: Database) throws -> Int? {
        guard try db.tableExists("meta") else { return nil }
        if try Int32.fetchOne(db, sql: "PRAGMA application_id") == 0 {
            try db.execute(sql: "PRAGMA application_id = \(IndexFile.applicationID)")
        }
        let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap(Int.init)
        guard let from = version, upgradableSchemas.contains(from) else { return nil }
        for upgrade in schemaUpgrades where upgrade.version > from { try upgrade.run(db, from) }
        try db.execute(sql: "UPDATE meta SET value = '\(schemaVersion)' WHERE key = 'schema_version'")
        return from
    }

    /// Fills, in one pass each, what ``DispatchWriter`` otherwise keeps row by row: the
    /// blocks' newest dates and the facet values; then the columns of the blocks that
    /// have none. A bulk build leaves them to its end (``DispatchWriter/deferSummaries``),
    /// where one pass each costs less than more statements per dispatch.
    static func fillSummaries(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO dispatch_blocks(block, newest) SELECT rowid / \(blockSize), max(date) FROM dispatch_facets GROUP BY 1;
            """)
        try fillFacetValuesAndColumns(db)
    }

    private static func fillFacetValuesAndColumns(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO facet_values(field, value) SELECT DISTINCT 'source', source FROM dispatch_facets WHERE source IS NOT NULL;
            INSERT OR IGNORE INTO facet_values(field, value) SELECT DISTINCT 'category', category FROM dispatch_facets WHERE category IS NOT NULL;
            """)
        try DispatchColumns.fillMissing(db)
    }

    /// Schema 9: a record without an id of its own was stored under `FILE:LINE` (its
    /// origin), so that two exports of the same name overwrote each other; it takes its
    /// url, else the id derived from it (``Dispatch/derivedID(contentHash:)``), unless
    /// another record holds that id already. Origins name the file by its absolute path.
    private static func upgradeIdentities(_ db: Database) throws {
        for table in ["dispatches", "duplicates"] {
            let hash = table == "dispatches" ? "content_hash" : "(SELECT content_hash FROM dispatches d WHERE d.rowid = dispatch_rowid)"
            let key = table == "dispatches" ? "rowid" : "id"
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(key) AS key, id, origin, source_file, url, source, date, date_quality, \(hash) AS hash FROM \(table)
                WHERE id = origin OR (source_file IS NOT NULL AND substr(origin, 1, length(source_file) + 1) != source_file || ':')
                """)
            for row in rows {
                let origin = Origin(parsing: row["origin"])
                let stored = Origin(file: row["source_file"] ?? origin.file, line: origin.line).description
                var id: String = row["id"]
                if id == row["origin"] as String, let hash = row["hash"] as String? {
                    let explicitDay = row["date_quality"] == "explicit" ? (row["date"] as String?).flatMap(Day.init(iso:)) : nil
                    let derived = (row["url"] as String?) ?? Dispatch.derivedID(source: row["source"], explicitDay: explicitDay, contentHash: hash)
                    let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM dispatches WHERE id = ?1) OR EXISTS (SELECT 1 FROM duplicates WHERE id = ?1)",
                                                  arguments: [derived]) ?? true
                    if !taken { id = derived }
                }
                try db.execute(sql: "UPDATE \(table) SET id = ?, origin = ? WHERE \(key) = ?", arguments: [id, stored, row["key"] as DatabaseValue])
            }
        }
    }

    /// Puts every stored dispatch in its story, in rowid order (an upgrade to schema 7).
    private static func groupStoredDispatches(_ db: Database) throws {
        let analyzer = try FrenchAnalyzer()
        let groups = StoryGroups(db: db, deferred: true)
        let rows = try Row.fetchCursor(db, sql: "SELECT rowid, date, title, standfirst, body FROM dispatches ORDER BY rowid")
        while let row = try rows.next() {
            let document = PreanalyzedDocument(texts: [row["title"], row["standfirst"], row["body"]], analyzer: analyzer)
            let day = (row["date"] as String?).flatMap(Day.init(iso:))?.dayNumber
            try groups.add(row["rowid"], day: day, signature: document.signature)
        }
        try groups.groupAll()
    }

    static func checkSchema(_ db: Database, path: String) throws {
        guard try db.tableExists("meta"), try db.tableExists("dispatches"),
              let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap(Int.init) else {
            throw OpenError.unreadable(path: path, reason: "not a depeche index")
        }
        if version > schemaVersion { throw OpenError.newerSchema(path: path, version: version) }
        if upgradableSchemas.contains(version) { throw OpenError.needsUpgrade(path: path, version: version) }
        if version < schemaVersion { throw OpenError.unreadable(path: path, reason: "made by an older depeche (index schema \(version))") }
        let analyzer = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'analyzer_version'").flatMap(Int.init) ?? 0
        if analyzer != analyzerVersion { throw OpenError.otherAnalyzer(path: path, version: analyzer) }
    }
}
