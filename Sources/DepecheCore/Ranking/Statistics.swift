import Foundation
import GRDB

/// Counts over the whole index or over a query's hits, for `depeche stats`.
public struct IndexStatistics: Sendable {
    /// A name (source, category, year, month) and how many dispatches have it.
    public struct Count: Sendable, Equatable {
        public let name: String
        public let count: Int
    }

    public let query: String?
    public let relaxed: Bool
    public let total: Int
    public let firstDate: Day?
    public let lastDate: Day?
    public let inferredYears: Int
    public let undated: Int
    /// The size of the index file with its WAL, in bytes.
    public let indexBytes: Int64
    /// Most frequent first; dispatches without a value count under "(none)".
    public let sources: [Count]
    public let categories: [Count]
    /// In calendar order.
    public let years: [Count]
    /// `YYYY-MM`, in calendar order, every month of the range (zero counts included).
    public let months: [Count]
}

extension Searcher {
    /// Statistics of the dispatches a query selects (all of them without a query).
    public func statistics(query queryText: String?, options: SearchOptions = SearchOptions()) throws -> IndexStatistics {
        try index.read { db in
            let selection: Selection
            if let queryText {
                selection = try Selection.resolve(db, query: CompiledQuery(queryText), options: options).0
            } else {
                selection = Selection(match: nil, relaxed: false, filters: [], options: options)
            }
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
                query: queryText, relaxed: selection.relaxed,
                total: summary["total"] ?? 0, firstDate: firstDate, lastDate: lastDate,
                inferredYears: summary["inferred"] ?? 0, undated: summary["undated"] ?? 0,
                indexBytes: Self.fileSize(index.path) + Self.fileSize(index.path + "-wal"),
                sources: try counts("d.source", order: "2 DESC, 1"),
                categories: try counts("d.category", order: "2 DESC, 1"),
                years: try counts("substr(d.date, 1, 4)", order: "1").filter { $0.name != "(none)" },
                months: Self.everyMonth(from: firstDate, to: lastDate, counts: byMonth))
        }
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Fills the months without dispatches, so that a timeline shows the gaps.
    static func everyMonth(from first: Day?, to last: Day?, counts: [IndexStatistics.Count]) -> [IndexStatistics.Count] {
        guard let first, let last else { return [] }
        let known = Dictionary(uniqueKeysWithValues: counts.map { ($0.name, $0.count) })
        var months: [IndexStatistics.Count] = []
        var (year, month) = (first.year, first.month)
        while (year, month) <= (last.year, last.month) {
            let name = String(format: "%04d-%02d", year, month)
            months.append(IndexStatistics.Count(name: name, count: known[name] ?? 0))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return months
    }
}
