import Foundation

/// The output formats of `search` (and of `export`, but `table` and `ids`).
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, jsonl, csv, tsv, ids
}

/// How matched words are marked in text output.
public enum MatchStyle: Sendable {
    /// ANSI bold yellow, for a colour terminal.
    case ansi
    /// `[word]`, for plain text.
    case brackets

    func mark(_ snippet: Snippet) -> String {
        switch self {
        case .ansi: return snippet.marked(open: "\u{1B}[1;33m", close: "\u{1B}[0m")
        case .brackets: return snippet.marked(open: "[", close: "]")
        }
    }
}

/// Writes search results in each format of the command-line contract.
public struct HitWriter {
    public let format: OutputFormat
    public let style: MatchStyle
    /// Terminal width for the table; nil when not writing to a terminal (no truncation).
    public let width: Int?

    public init(format: OutputFormat, style: MatchStyle = .brackets, width: Int? = nil) {
        self.format = format
        self.style = style
        self.width = width
    }

    /// The columns of csv and tsv output, in order.
    public static let columns = ["id", "title", "date", "source", "category", "city", "score", "snippet", "origin"]

    /// The whole output for a result, ending with a newline (empty for no hits in
    /// `ids`, `jsonl`, so that scripts see no lines).
    public func render(_ result: SearchResult, elapsed: Double) -> String {
        switch format {
        case .ids:
            return result.hits.map { $0.id + "\n" }.joined()
        case .jsonl:
            return result.hits.map { JSONText.render(Self.jsonObject($0)) + "\n" }.joined()
        case .json:
            return JSONText.render(.object([
                ("query", .string(result.query)),
                ("total", .integer(result.total)),
                ("relaxed", .bool(result.relaxed)),
                ("hits", .array(result.hits.map(Self.jsonObject))),
            ])) + "\n"
        case .csv, .tsv:
            let header = Self.row(Self.columns, format: format)
            return header + result.hits.map { Self.row(Self.fields($0), format: format) }.joined()
        case .table:
            return table(result, elapsed: elapsed)
        }
    }

    static func jsonObject(_ hit: Hit) -> JSONText.Value {
        .object([
            ("id", .string(hit.id)),
            ("title", .string(hit.title)),
            ("date", .string(hit.date?.description)),
            ("date_quality", .string(hit.dateQuality.rawValue)),
            ("source", .string(hit.source)),
            ("category", .string(hit.category)),
            ("city", .string(hit.city)),
            ("score", .number(hit.score)),
            ("snippet", .string(hit.snippet.plainText)),
            ("origin", .string(hit.origin)),
        ])
    }

    static func fields(_ hit: Hit) -> [String] {
        [hit.id, hit.title, hit.date?.description ?? "", hit.source ?? "", hit.category ?? "", hit.city ?? "",
         JSONText.formatted(hit.score), hit.snippet.plainText, hit.origin]
    }

    /// One CSV (RFC 4180: quoted when needed, quotes doubled, CRLF) or TSV row (tabs
    /// and line breaks inside a field become spaces, since TSV cannot quote).
    static func row(_ fields: [String], format: OutputFormat) -> String {
        if format == .tsv {
            return fields.map { field in
                String(field.map { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
            }.joined(separator: "\t") + "\n"
        }
        return fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }

    private func table(_ result: SearchResult, elapsed: Double) -> String {
        let plural = result.total == 1 ? "" : "s"
        var output = "\(result.total) hit\(plural) for \(result.query.debugDescription) (\(Int((elapsed * 1000).rounded())) ms)"
        if result.relaxed { output += ", no dispatch has every word: showing dispatches with some of them" }
        output += "\n"
        let bold = style == .ansi ? "\u{1B}[1m" : "", reset = style == .ansi ? "\u{1B}[0m" : ""
        let dim = style == .ansi ? "\u{1B}[2m" : ""
        for (offset, hit) in result.hits.enumerated() {
            let number = "\(offset + 1).".padding(toLength: 4, withPad: " ", startingAt: 0)
            output += "\n\(number)\(bold)\(clip(hit.title, to: width.map { $0 - 4 }))\(reset)\n"
            var meta = [TextStyle.date(hit.date, quality: hit.dateQuality)]
            meta += [hit.source, hit.category, hit.city].compactMap { $0 }
            meta.append(hit.id)
            output += "    \(dim)\(clip(meta.joined(separator: " · "), to: width.map { $0 - 4 }))\(reset)\n"
            let snippet = hit.snippet.plainText.isEmpty ? "" : style.mark(hit.snippet)
            if !snippet.isEmpty { output += "    \(TextStyle.flatten(snippet))\n" }
        }
        return output
    }

    private func clip(_ text: String, to width: Int?) -> String {
        guard let width, width > 8, text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }
}

/// Small text helpers shared by the writers.
enum TextStyle {
    /// `2020-12-09`, `2019-12-09 (year inferred)`, or `undated`.
    static func date(_ date: Day?, quality: DateQuality) -> String {
        guard let date else { return "undated" }
        return quality == .inferredYear ? "\(date) (year inferred)" : date.description
    }

    /// Line breaks and runs of spaces as single spaces, for one-line display.
    static func flatten(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
