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
        // Spellings that differ only by case or accents (`6Medias`, `6médias`) are one
        // value, as `--source` and `source:` take them, under the most frequent spelling.
        // Each id counts under its own value: a duplicate (the same text under another id)
        // under its source and category, as filters find it; under a metadata filter, only
        // the ids that pass it.
        let own = IndexSelection.metadataCondition(selection.filters.metadata, over: "d")
        let duplicate = IndexSelection.duplicateCondition(selection.filters.metadata)
        // Without duplicates of their own, the selection is read once, not twice.
        let withDuplicates = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM duplicates x WHERE \(duplicate.sql))",
                                               arguments: duplicate.arguments) ?? false
        func merged(_ field: MetadataField) throws -> [IndexStatistics.Count] {
            let column = field.rawValue
            let values = "SELECT d.\(column) AS value \(from) AND \(own.sql)" + (withDuplicates ? """
                 UNION ALL SELECT x.\(column) FROM duplicates x
                WHERE \(duplicate.sql) AND x.dispatch_rowid IN (SELECT \(selection.rowidColumn) \(from))
                """ : "")
            return try Row.fetchAll(db, sql: """
                SELECT name, total FROM (
                    SELECT name, sum(n) OVER (PARTITION BY key) AS total,
                           row_number() OVER (PARTITION BY key ORDER BY n DESC, name) AS place
                    FROM (SELECT coalesce(value, '(none)') AS name, \(FoldFunction.name)(coalesce(value, '(none)')) AS key,
                                 count(*) AS n FROM (\(values)) GROUP BY 1))
                WHERE place = 1 ORDER BY total DESC, name
                """, arguments: arguments + own.arguments + (withDuplicates ? duplicate.arguments + arguments : [])).map { IndexStatistics.Count(name: $0["name"], count: $0["total"]) }
        }
        let summary = try Row.fetchOne(db, sql: """
            SELECT count(*) AS total, min(d.date) AS first, max(d.date) AS last,
                   sum(d.date_quality = 'inferred') AS inferred, sum(d.date IS NULL) AS undated \(from)
            """, arguments: arguments)!
        let firstDate = (summary["first"] as String?).flatMap { Day(iso: $0) }
        let lastDate = (summary["last"] as String?).flatMap { Day(iso: $0) }
        let byMonth = try counts("substr(d.date, 1, 7)", order: "1").filter { $0.name != "(none)" }
        var statistics = IndexStatistics(
            query: query, relaxed: relaxed,
            total: summary["total"] ?? 0, firstDate: firstDate, lastDate: lastDate,
            inferredYears: summary["inferred"] ?? 0, undated: summary["undated"] ?? 0,
            indexBytes: Self.fileSize(index.path) + Self.fileSize(index.path + "-wal"),
            sources: try merged(.source),
            categories: try merged(.category),
            years: try counts("substr(d.date, 1, 4)", order: "1").filter { $0.name != "(none)" },
            months: IndexStatistics.everyMonth(from: firstDate, to: lastDate, counts: byMonth))
        (statistics.stories, statistics.largestStories) = try storyStatistics(selection)
        return statistics
    }

    /// Stories listed by `stats`, largest first.
    static let largestStoriesListed = 5

    /// The number of stories among the dispatches of `selection`, and the largest of them.
    private func storyStatistics(_ selection: IndexSelection) throws -> (Int, [StoryGroup]) {
        let stories = "SELECT coalesce((SELECT story FROM story_members WHERE rowid = d.rowid), -d.rowid) AS story \(selection.from)"
        let count = try Int.fetchOne(db, sql: "SELECT count(DISTINCT story) FROM (\(stories))", arguments: selection.arguments) ?? 0
        let largest = try Row.fetchAll(db, sql: """
            SELECT story, count(*) AS n, (SELECT title FROM dispatches WHERE rowid = story) AS title FROM (\(stories))
            GROUP BY story HAVING n > 1 ORDER BY n DESC, story LIMIT \(Self.largestStoriesListed)
            """, arguments: selection.arguments)
        return (count, largest.map { StoryGroup(story: $0["story"], dispatches: $0["n"], title: $0["title"] ?? "") })
    }

    /// Every value of `field` the index has seen (`facet_values`), with whether it is
    /// one `value` names (compared folded, as filters compare).
    public func facetValues(_ field: MetadataField, asked value: String) throws -> [(value: String, named: Bool)] {
        try Row.fetchAll(db, sql: "SELECT value, \(FoldFunction.name)(value) = \(FoldFunction.name)(?) FROM facet_values WHERE field = ?",
                         arguments: [value, field.rawValue]).map { ($0[0], $0[1]) }
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
