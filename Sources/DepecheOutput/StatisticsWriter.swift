import Foundation
import DepecheModel

/// Writes `depeche stats` output: a text report with bar timelines, or JSON.
public enum StatisticsWriter {
    /// Entries listed per ranking (sources, categories) in the text report.
    static let listed = 15

    public static func json(_ statistics: IndexStatistics) -> String {
        func counts(_ list: [IndexStatistics.Count]) -> JSONText.Value {
            .array(list.map { .object([("name", .string($0.name)), ("count", .integer($0.count))]) })
        }
        return JSONText.render(.object([
            ("query", .string(statistics.query)),
            ("relaxed", .bool(statistics.relaxed)),
            ("total", .integer(statistics.total)),
            ("stories", .integer(statistics.stories)),
            ("first_date", .string(statistics.firstDate?.description)),
            ("last_date", .string(statistics.lastDate?.description)),
            ("inferred_years", .integer(statistics.inferredYears)),
            ("undated", .integer(statistics.undated)),
            ("index_bytes", .integer(Int(statistics.indexBytes))),
            ("sources", counts(statistics.sources)),
            ("categories", counts(statistics.categories)),
            ("years", counts(statistics.years)),
            ("months", counts(statistics.months)),
            ("largest_stories", .array(statistics.largestStories.map {
                .object([("group", .integer(Int($0.story))), ("dispatches", .integer($0.dispatches)), ("title", .string($0.title))])
            })),
        ])) + "\n"
    }

    /// The text report; bars fit `width` columns.
    public static func text(_ statistics: IndexStatistics, width: Int) -> String {
        var lines: [String] = []
        var head = "\(grouped(statistics.total)) " + (statistics.total == 1 ? "dispatch" : "dispatches")
            + " in \(grouped(statistics.stories)) " + (statistics.stories == 1 ? "story" : "stories")
        if let query = statistics.query { head += " matching \(TextStyle.quoted(query))\(statistics.relaxed ? " (some of its words)" : "")" }
        if let first = statistics.firstDate, let last = statistics.lastDate { head += ", \(first) to \(last)" }
        lines.append(head)
        lines.append("\(grouped(statistics.inferredYears)) with an inferred year · \(grouped(statistics.undated)) undated · index "
            + String(format: "%.1f MB", Double(statistics.indexBytes) / 1_000_000))
        section("Sources", ranking(statistics.sources), into: &lines, width: width)
        section("Categories", ranking(statistics.categories), into: &lines, width: width)
        section("Years", statistics.years, into: &lines, width: width)
        if !statistics.largestStories.isEmpty {
            lines += ["", "Largest stories"] + statistics.largestStories.map { "  \($0.dispatches) dispatches  \(TextStyle.oneLine($0.title))" }
        }
        let months = timeline(statistics.months)
        if months.count <= mostMonthLines {
            section("Months", months, into: &lines, width: width)
        } else {
            lines += ["", "Months: \(statistics.months.count), too many for a screen (see Years; `stats --format json` lists them)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Lines of the month timeline at most; past them, the years say it.
    static let mostMonthLines = 60
    /// Empty months in a row from which they are one line.
    static let shortestEmptyRun = 3

    /// The months, each run of ``shortestEmptyRun`` or more empty months as one line
    /// (`… 37 empty months …`, a count of 0), so that a long archive fits a screen.
    static func timeline(_ months: [IndexStatistics.Count]) -> [IndexStatistics.Count] {
        var lines: [IndexStatistics.Count] = []
        var index = 0
        while index < months.count {
            var end = index
            while end < months.count, months[end].count == 0 { end += 1 }
            if end - index >= shortestEmptyRun {
                lines.append(IndexStatistics.Count(name: "… \(end - index) empty months …", count: 0))
                index = end
            } else {
                lines.append(months[index])
                index += 1
            }
        }
        return lines
    }

    /// The first entries of a ranking, the rest summed as "(N others)".
    static func ranking(_ counts: [IndexStatistics.Count]) -> [IndexStatistics.Count] {
        guard counts.count > listed else { return counts }
        let others = counts.dropFirst(listed)
        return Array(counts.prefix(listed)) + [IndexStatistics.Count(name: "(\(others.count) others)", count: others.reduce(0) { $0 + $1.count })]
    }

    /// A titled list of names, counts and bars scaled to the largest count.
    static func section(_ title: String, _ counts: [IndexStatistics.Count], into lines: inout [String], width: Int) {
        guard !counts.isEmpty else { return }
        lines.append("")
        lines.append(title)
        let nameWidth = min(28, counts.map(\.name.count).max() ?? 0)
        let countWidth = counts.map { grouped($0.count).count }.max() ?? 0
        let barWidth = max(10, width - nameWidth - countWidth - 6)
        let largest = max(1, counts.map(\.count).max() ?? 1)
        for entry in counts {
            let name = entry.name.count > nameWidth ? String(entry.name.prefix(nameWidth - 1)) + "…" : entry.name
            let count = grouped(entry.count)
            let bar = String(repeating: "█", count: Int((Double(entry.count) / Double(largest) * Double(barWidth)).rounded()))
            lines.append("  " + name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + " "
                + String(repeating: " ", count: countWidth - count.count) + count + " " + bar)
        }
    }

    /// 32718 → "32,718".
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
