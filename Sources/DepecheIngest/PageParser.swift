import Foundation
import DepecheModel

/// Parses a scraped agency page in the seed layout (see `../shared/corpus/README.md`):
///
///     <ticker of other agencies' headlines>          site chrome, dropped
///     <title>
///     9 Décembre      80        Politique (25166),   meta line: day, month, views, category
///     Brazzaville, 09 Décembre (ACI) – <body …>      dateline: city, day, month, agency
///     <body paragraphs>
///     Dans la même catégorie …                       site chrome, dropped
///
/// The ticker and meta line are optional; a year may follow the month in either line.
public enum PageParser {
    /// Agency codes that open the headlines of a ticker line.
    static let agencyCodes: Set<String> = [
        "ACI", "ACP", "AFP", "AGP", "AIB", "AIP", "ANGOP", "ANP", "APA", "APS", "ATOP", "AZP", "MAP", "PANA", "TAP", "ABP", "AMI", "ANI",
    ]

    /// Parses one page; `id` is usually the file name without its extension.
    public static func parse(_ text: String, id: String, file: String) throws -> IngestRecord {
        var lines: [(text: String, number: Int)] = []
        for (index, raw) in TextLines.lines(text).enumerated() {
            let line = clean(raw)
            if line.isEmpty { continue }
            if isFooter(line) { break }
            lines.append((line, index + 1))
        }
        if let first = lines.first, isTicker(first.text) { lines.removeFirst() }
        guard let title = lines.first else {
            throw IngestProblem(file: file, message: "empty page: no title or body")
        }
        lines.removeFirst()

        var category: String?
        var metaDate: WrittenDate?
        if let meta = lines.first, let parsed = parseMetaLine(meta.text) {
            (metaDate, category) = parsed
            lines.removeFirst()
        }
        guard !lines.isEmpty else {
            throw IngestProblem(file: file, line: title.number, message: "page has a title but no body")
        }
        let dateline = parseDateline(lines[0].text)
        let date = combine(dateline?.date, metaDate)
        let dispatch = Dispatch(
            id: id,
            title: title.text,
            body: lines.map(\.text).joined(separator: "\n"),
            source: dateline?.agency,
            category: category,
            city: dateline?.city,
            origin: Origin(file: file, line: title.number))
        return IngestRecord(dispatch: dispatch, writtenDate: date)
    }

    /// Trims a line, reading no-break spaces (frequent in scraped pages) as spaces.
    static func clean(_ line: Substring) -> String {
        let spaced = line.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
        return PlainText.trimmed(spaced)
    }

    static func isFooter(_ line: String) -> Bool {
        line.lowercased().hasPrefix("dans la même catégorie")
    }

    /// A ticker is a run of headlines each opened by an agency code.
    static func isTicker(_ line: String) -> Bool {
        let codes = line.split(separator: " ").filter { agencyCodes.contains(String($0)) }.count
        return codes >= 3 || (codes >= 2 && line.count > 120)
    }

    /// `9 Décembre      80        Politique (25166),` → (9 December, "Politique").
    static func parseMetaLine(_ line: String) -> (WrittenDate, String?)? {
        guard let match = line.prefixMatch(of: /(\d{1,2})(?:er)?\s+(\p{L}+)\.?(?:\s+(\d{4}))?\b/),
              let date = FrenchDate.date(day: match.1, month: match.2, year: match.3) else { return nil }
        let category = line.matches(of: /([^\d(),]+?)\s*\(\d+\)/).last.map { PlainText.trimmed($0.1) }
        return (date, category?.isEmpty == false ? category : nil)
    }

    /// `Brazzaville, 09 Décembre (ACI) – …` → city, date, agency.
    static func parseDateline(_ line: String) -> (city: String, date: WrittenDate?, agency: String)? {
        let pattern = /([^,()]{1,60}),\s*(\d{1,2})(?:er)?\s+(\p{L}+)\.?(?:\s+(\d{4}))?\s*\(([A-Z][A-Za-z]{1,9})\)\s*[–—-]/
        guard let match = line.prefixMatch(of: pattern) else { return nil }
        let city = PlainText.trimmed(match.1)
        return (city, FrenchDate.date(day: match.2, month: match.3, year: match.4), String(match.5))
    }

    /// The dateline's date wins; a year given only by the meta line completes it.
    static func combine(_ dateline: WrittenDate?, _ meta: WrittenDate?) -> WrittenDate? {
        switch (dateline, meta) {
        case (.full, _): return dateline
        case (.dayAndMonth(let day, let month), .full(let metaDay)):
            if let completed = Day(year: metaDay.year, month: month, day: day) { return .full(completed) }
            return dateline
        case (nil, _): return meta
        default: return dateline
        }
    }
}
