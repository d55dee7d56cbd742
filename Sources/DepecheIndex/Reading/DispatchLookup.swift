import GRDB
import DepecheModel

extension DispatchIndex {
    /// The dispatch stored under `id`, or under the id of a duplicate of it.
    public func dispatch(id: String) throws -> Dispatch? {
        try queue.read { db in
            let sql = """
                SELECT * FROM dispatches WHERE id = ?1
                UNION ALL
                SELECT d.* FROM duplicates x JOIN dispatches d ON d.rowid = x.dispatch_rowid WHERE x.id = ?1
                LIMIT 1
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
