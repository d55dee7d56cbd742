import Foundation
import GRDB
import DepecheModel

extension IndexReader {
    /// Counts by source, category, year and month of the dispatches of `selection`, for
    /// `depeche stats`; `query` and `relaxed` are reported as given.
    public func statistics(_ selection: IndexSelection, query: String?, relaxed: Bool) throws -> IndexStatistics {
        let from = selection.from, arguments = selection.arguments
        func counts(_ expression: String, order: String) throws -> [IndexStatistics.Count] {
            try Row.fetchAll(db, sql: "SELECT coalesce(\(expression), '(none)') AS name, count(*) AS n \(from) GROUP BY 1 ORDER BY \(order)",
                             arguments: arguments).map { IndexStatistics.Count(name: $0["name"], count: $0["n"]) }
        }
        let summary = try Row.fetchOne(db, sql: """
            SELECT count(*) AS total, min(d.date) AS first, max(d.date) AS last,
                   sum(d.date_quality = 'inferred') AS inferred, sum(d.date IS NULL) AS undated \(from)
            """, arguments: arguments)!
        let firstDate = (summary["first"] as String?).flatMap { Day(iso: $0) }
        let lastDate = (summary["last"] as String?).flatMap { Day(iso: $0) }
        let byMonth = try counts("substr(d.date, 1, 7)", order: "1").filter { $0.name != "(none)" }
        return IndexStatistics(
            query: query, relaxed: relaxed,
            total: summary["total"] ?? 0, firstDate: firstDate, lastDate: lastDate,
            inferredYears: summary["inferred"] ?? 0, undated: summary["undated"] ?? 0,
            indexBytes: Self.fileSize(index.path) + Self.fileSize(index.path + "-wal"),
            sources: try counts("d.source", order: "2 DESC, 1"),
            categories: try counts("d.category", order: "2 DESC, 1"),
            years: try counts("substr(d.date, 1, 4)", order: "1").filter { $0.name != "(none)" },
            months: IndexStatistics.everyMonth(from: firstDate, to: lastDate, counts: byMonth))
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
