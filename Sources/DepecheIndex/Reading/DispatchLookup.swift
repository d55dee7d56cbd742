import GRDB
import DepecheModel

extension DispatchIndex {
    /// The dispatch stored under `id`, or the text of the dispatch a duplicate `id`
    /// points to with the duplicate's own id, origin and metadata.
    public func dispatch(id: String) throws -> Dispatch? {
        try read { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM dispatches WHERE id = ?", arguments: [id]) {
                return Self.dispatch(from: row)
            }
            // A duplicate is the stored text under its own id, origin and metadata (those
            // recorded by schema 4 kept none: NULL date_quality, the dispatch's then).
            let own = ["date", "date_quality", "source", "category", "city", "author", "url"]
                .map { "CASE WHEN x.date_quality IS NULL THEN d.\($0) ELSE x.\($0) END AS \($0)" }.joined(separator: ", ")
            let sql = """
                SELECT x.id, x.origin, d.title, d.standfirst, d.body, \(own)
                FROM duplicates x JOIN dispatches d ON d.rowid = x.dispatch_rowid WHERE x.id = ?
                """
            return try Row.fetchOne(db, sql: sql, arguments: [id]).map(Self.dispatch(from:))
        }
    }

    static func dispatch(from row: Row) -> Dispatch {
        let date = (row["date"] as String?).flatMap { Day(iso: $0) }
        return Dispatch(
            id: row["id"], title: row["title"], standfirst: row["standfirst"], body: row["body"],
            date: date, dateQuality: DateQuality(rawValue: row["date_quality"]) ?? (date == nil ? .missing : .explicit),
            source: row["source"], category: row["category"], city: row["city"], author: row["author"], url: row["url"],
            origin: Origin(parsing: row["origin"]))
    }
}
