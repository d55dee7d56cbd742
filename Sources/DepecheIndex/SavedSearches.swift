import Foundation
import GRDB
import DepecheModel

/// A saved search (`depeche watch`): a query with its filters and sort, kept in the index
/// (`saved_searches`) so that it travels with it, and the index run up to which its hits
/// were shown (``DispatchIndex/lastRun()``): what an index run added or changed after it
/// is new to the search.
public struct SavedSearch: Equatable, Sendable {
    /// The filters and sort of a saved search, as the command line gave them.
    public struct Options: Codable, Equatable, Sendable {
        public var since: String?
        public var until: String?
        public var sources: [String] = []
        public var categories: [String] = []
        public var sort: String?

        public init() {}
    }

    public let name: String
    public let query: String
    public let options: Options
    /// The last run whose dispatches were shown; nil before the first watch run.
    public let seenRun: Int?

    public init(name: String, query: String, options: Options, seenRun: Int? = nil) {
        self.name = name
        self.query = query
        self.options = options
        self.seenRun = seenRun
    }
}

extension DispatchIndex {
    /// The saved searches, by name.
    public func savedSearches() throws -> [SavedSearch] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, query, options, seen_run FROM saved_searches ORDER BY name").map { row in
                let options = try JSONDecoder().decode(SavedSearch.Options.self, from: Data((row["options"] as String).utf8))
                return SavedSearch(name: row["name"], query: row["query"], options: options, seenRun: row["seen_run"])
            }
        }
    }

    /// Saves a new search; a name taken already is an error (remove it first).
    public func save(_ search: SavedSearch) throws {
        let options = String(decoding: try JSONEncoder().encode(search.options), as: UTF8.self)
        try queue.write { db in
            if try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM saved_searches WHERE name = ?", arguments: [search.name]) == true {
                throw UsageError("a saved search is named \(search.name) already (depeche watch remove \(search.name) first)")
            }
            try db.execute(sql: "INSERT INTO saved_searches(name, query, options, seen_run) VALUES (?, ?, ?, ?)",
                           arguments: [search.name, search.query, options, search.seenRun])
        }
    }

    /// Removes a saved search; false when there is none of that name.
    public func removeSavedSearch(named name: String) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM saved_searches WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// Records that a saved search has shown what the index held up to `run`.
    public func markSeen(_ name: String, run: Int) throws {
        try queue.write { db in try db.execute(sql: "UPDATE saved_searches SET seen_run = ? WHERE name = ?", arguments: [run, name]) }
    }

    /// The number of the last index run that stored something.
    public func lastRun() throws -> Int {
        try read { try IndexRuns.last($0) }
    }
}
