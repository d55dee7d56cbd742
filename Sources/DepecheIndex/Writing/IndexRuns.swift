import GRDB

/// The numbering of index commits (`meta.index_run`): each transaction of an index run
/// that stores dispatches takes the next number, in the transaction itself, and writes it
/// on the dispatches it adds or gives a new text (`added_run`, `changed_run`), so that a
/// saved search knows what is new to the index since it last ran, whatever the
/// dispatches' own dates. A number per commit, not per run: a watch run that starts
/// between two commits of an index run must not take the later one's dispatches as seen.
enum IndexRuns {
    /// The number of the last commit that stored something (0: none since schema 6).
    static func last(_ db: Database) throws -> Int {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'index_run'").flatMap(Int.init) ?? 0
    }

    static func record(_ run: Int, _ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('index_run', ?)", arguments: [String(run)])
    }

    /// After a rebuild into `db`, before it is swapped in: the saved searches of the index
    /// it replaces (attached as `previous`), and each dispatch's runs as they were there,
    /// so that a rebuild is not "new" to them. The rebuild counts as one run after the
    /// previous index's last: what it added or changed is new.
    ///
    /// Best effort: a previous index that cannot be read (damaged: the rebuild is its
    /// cure) leaves the rebuild as it is, with no saved search.
    static func carryOver(from previousPath: String, into db: Database) {
        guard (try? db.execute(sql: "ATTACH DATABASE ? AS previous", arguments: [previousPath])) != nil else { return }
        defer { try? db.execute(sql: "DETACH DATABASE previous") }
        try? db.inTransaction {
            try copy(db)
            return .commit
        }
    }

    private static func copy(_ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM previous.sqlite_master WHERE name = 'saved_searches'") == true else { return }
        let run = try (String.fetchOne(db, sql: "SELECT value FROM previous.meta WHERE key = 'index_run'").flatMap(Int.init) ?? 0) + 1
        try db.execute(sql: """
            UPDATE dispatches SET added_run = ?, changed_run = ?;
            UPDATE dispatches SET added_run = p.added_run,
                                  changed_run = CASE WHEN p.content_hash = dispatches.content_hash THEN p.changed_run ELSE ? END
                FROM previous.dispatches AS p WHERE p.id = dispatches.id;
            INSERT OR REPLACE INTO saved_searches(name, query, options, seen_run) SELECT name, query, options, seen_run FROM previous.saved_searches;
            """, arguments: [run, run, run])
        if try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM previous.sqlite_master WHERE name = 'watch_delivered'") == true {
            try db.execute(sql: "INSERT OR REPLACE INTO watch_delivered SELECT search, id, changed_run FROM previous.watch_delivered")
        }
        try record(run, db)
    }
}
