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

/// A row of `saved_searches` that is no saved search (an index crafted or written by
/// something else): said by its name, and skipped, so that the others still run.
public struct UnreadableSavedSearch: Equatable, Sendable {
    public let name: String
    public let reason: String
}

extension SavedSearch {
    /// Characters a name may hold: it is typed back (`watch run NAME`) and printed one per line.
    public static let longestName = 200

    /// Why `name` cannot name a saved search, or nil when it can: it needs a character
    /// besides spaces, and no line break or control character (`watch list` prints one
    /// search per line, and names reach terminals).
    public static func problem(naming name: String) -> String? {
        if name.allSatisfy(\.isWhitespace) { return "a saved search needs a name" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace && $0 != " " }) {
            return "a name cannot hold line breaks, tabs or control characters"
        }
        if name.count > longestName { return "a name takes at most \(longestName) characters" }
        return nil
    }
}

extension DispatchIndex {
    /// The saved searches, by name, and the rows that are none.
    public func savedSearches() throws -> (searches: [SavedSearch], unreadable: [UnreadableSavedSearch]) {
        try read { db in
            var searches: [SavedSearch] = [], unreadable: [UnreadableSavedSearch] = []
            for row in try Row.fetchAll(db, sql: "SELECT name, query, options, seen_run FROM saved_searches ORDER BY name") {
                // Read as values of any type: a crafted row may hold a number or a blob.
                let name = (row["name"] as DatabaseValue).storage.value.map { "\($0)" } ?? ""
                guard let query = row["query"] as String?, !query.isEmpty else {
                    unreadable.append(UnreadableSavedSearch(name: name, reason: "it has no query"))
                    continue
                }
                if let problem = SavedSearch.problem(naming: name) {
                    unreadable.append(UnreadableSavedSearch(name: name, reason: problem))
                    continue
                }
                do {
                    let options = try JSONDecoder().decode(SavedSearch.Options.self, from: Data(((row["options"] as String?) ?? "").utf8))
                    searches.append(SavedSearch(name: name, query: query, options: options, seenRun: row["seen_run"] as Int?))
                } catch {
                    unreadable.append(UnreadableSavedSearch(name: name, reason: "its options cannot be read (not the JSON depeche writes)"))
                }
            }
            return (searches, unreadable)
        }
    }

    /// Saves a new search; false when the name is taken already (nothing saved).
    public func save(_ search: SavedSearch) throws -> Bool {
        let options = String(decoding: try JSONEncoder().encode(search.options), as: UTF8.self)
        return try writeSavedSearches { db in
            if try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM saved_searches WHERE name = ?", arguments: [search.name]) == true {
                return false
            }
            try db.execute(sql: "INSERT INTO saved_searches(name, query, options, seen_run) VALUES (?, ?, ?, ?)",
                           arguments: [search.name, search.query, options, search.seenRun])
            return true
        }
    }

    /// Removes a saved search; false when there is none of that name.
    public func removeSavedSearch(named name: String) throws -> Bool {
        try writeSavedSearches { db in
            try db.execute(sql: "DELETE FROM watch_delivered WHERE search = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM saved_searches WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// Records what a watch run delivered (written and flushed), all in one transaction:
    /// a search that showed all its news up to `through` is seen up to there; one that
    /// showed part of it (`--limit`) keeps its window and remembers the ids it showed, so
    /// that the next run shows the rest. Nothing is recorded for a run whose output failed:
    /// its news is shown again.
    public func recordDelivered(_ deliveries: [WatchDelivery], through run: Int) throws {
        try writeSavedSearches { db in
            for delivery in deliveries {
                if delivery.complete {
                    try db.execute(sql: "UPDATE saved_searches SET seen_run = max(coalesce(seen_run, 0), ?) WHERE name = ?",
                                   arguments: [run, delivery.name])
                    try db.execute(sql: "DELETE FROM watch_delivered WHERE search = ?", arguments: [delivery.name])
                    continue
                }
                // The text shown was committed at `run` or before: a later change is news again.
                let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO watch_delivered(search, id, changed_run) VALUES (?, ?, ?)")
                for id in delivery.shown { try statement.execute(arguments: [delivery.name, id, run]) }
            }
        }
    }

    /// The number of the last index commit that stored something: what a watch run
    /// started now can show (everything committed up to it).
    public func lastRun() throws -> Int {
        try read { try IndexRuns.last($0) }
    }

    /// Writes to the saved searches once no rebuild is being put in place: a rebuild
    /// copies them into its new file before it replaces this one's content
    /// (``IndexRebuild``), and a write in between would be undone by the swap.
    func writeSavedSearches<T>(_ body: (Database) throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(Self.writeWait)
        while true {
            do {
                let result: T? = try queue.write { db in
                    if try RebuildSwap.isUnderway(db) { return nil }
                    return try body(db)
                }
                if let result { return result }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                // An index run writing without pause: wait for it rather than fail.
                guard Date() < deadline else { throw OpenError.busy(path: path) }
                continue
            }
            guard Date() < deadline else {
                throw DepecheError("a rebuild of the index is being put in place; try again when `depeche index --rebuild` has finished")
            }
            usleep(50_000)
        }
    }

    /// How long a saved-search write waits for a rebuild's swap (a copy of the new file:
    /// seconds for an archive of millions) or for an index run that keeps the index busy.
    static let writeWait: TimeInterval = 3_600
}

/// What one saved search was shown by a watch run (``DispatchIndex/recordDelivered(_:through:)``).
public struct WatchDelivery: Sendable {
    public let name: String
    /// True when everything new to it was shown (or it was its first run).
    public let complete: Bool
    /// The ids shown, when not complete.
    public let shown: [String]

    public init(name: String, complete: Bool, shown: [String]) {
        self.name = name
        self.complete = complete
        self.shown = shown
    }
}
