import Foundation
import DepecheModel

/// The columns a hit list can carry (`--fields`).
public enum HitField: String, CaseIterable, Sendable {
    case id, rank, score, date
    case dateQuality = "date_quality"
    case source, category, city, title, standfirst, snippet, url, origin, author, body
    /// The hit's story group (the index's id of the story), and in a collapsed list the
    /// other dispatches of its story that match, by id.
    case group, similar

    /// The columns of `search` and, unless `--fields` says otherwise, of `export`: the
    /// contract's hit object (`id`, `title`, `date`, `source`, `category`, `city`, `score`,
    /// `snippet`, `origin`) with `date_quality` after the date and the `url` last. One
    /// schema whatever the dispatch: a value it lacks is empty in a table, `null` in JSON.
    public static let defaults: [HitField] = [.id, .title, .date, .dateQuality, .source, .category, .city, .score, .snippet, .origin, .url]

    /// Parses `id,date,title`; throws a usage error naming an unknown column.
    public static func list(_ text: String) throws -> [HitField] {
        try text.split(separator: ",").map { name in
            let trimmed = PlainText.trimmed(name)
            guard let field = HitField(rawValue: trimmed) else {
                throw UsageError("--fields: unknown column '\(trimmed)' (columns: \(allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return field
        }
    }

    func value(of hit: Hit, marks: SnippetMarks = .none) -> JSONText.Value {
        switch self {
        case .id: return .string(hit.id)
        case .rank: return .integer(hit.rank)
        case .score: return .number(hit.score)
        case .date: return .string(hit.date?.description)
        case .dateQuality: return .string(hit.dateQuality.rawValue)
        case .source: return .string(hit.source)
        case .category: return .string(hit.category)
        case .city: return .string(hit.city)
        case .title: return .string(hit.title)
        case .snippet: return .string(marks.render(hit.snippet))
        case .url: return .string(hit.url)
        case .origin: return .string(hit.origin)
        case .author: return .string(hit.author)
        case .standfirst: return .string(hit.standfirst)
        case .body: return .string(hit.body)
        case .group: return hit.story.map { .integer(Int($0)) } ?? .string(nil)
        case .similar: return .array(hit.similar.map { .string($0.id) })
        }
    }

    func text(of hit: Hit, marks: SnippetMarks = .none) -> String {
        switch value(of: hit, marks: marks) {
        case .string(let text): return text ?? ""
        case .integer(let number): return String(number)
        case .number(let number): return JSONText.formatted(number)
        // The similar ids, space-separated in a cell.
        case .array(let values): return values.compactMap { if case .string(let id?) = $0 { id } else { nil } }.joined(separator: " ")
        default: return ""
        }
    }

    /// The text of a cell for `--excel`: a decimal comma in numbers, as French
    /// spreadsheets read them, and a text that a spreadsheet would take for a formula
    /// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP's CSV
    /// injection rule) behind an apostrophe, which makes it shown as text.
    func spreadsheetText(of hit: Hit, marks: SnippetMarks = .none) -> String {
        switch value(of: hit, marks: marks) {
        case .number(let number): return JSONText.formatted(number).replacingOccurrences(of: ".", with: ",")
        case .string(let text?): return HitListWriter.spreadsheetSafe(text)
        default: return text(of: hit, marks: marks)
        }
    }
}

/// How matched words are marked in the snippets of a hit list (`--highlight`).
public enum SnippetMarks: String, CaseIterable, Sendable {
    /// Plain text.
    case none
    /// `[word]`.
    case brackets
    /// `<mark>word</mark>`, for HTML pages; the rest of the snippet is escaped.
    case mark

    /// The snippet on one line (a line break inside a body becomes a space), marked.
    func render(_ snippet: Snippet) -> String {
        let snippet = Snippet(parts: snippet.parts.map { Snippet.Part(text: TextStyle.oneLine($0.text), isMatch: $0.isMatch) })
        switch self {
        case .none: return snippet.plainText
        case .brackets: return snippet.marked(open: "[", close: "]")
        case .mark:
            return snippet.parts.map { part in
                let escaped = part.text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                return part.isMatch ? "<mark>\(escaped)</mark>" : escaped
            }.joined()
        }
    }
}

/// The machine-readable formats of a hit list, streamed hit by hit.
public enum ListFormat: String, CaseIterable, Sendable {
    case csv, tsv, json, jsonl, md, ids
}

/// Writes a hit list in a ``ListFormat``: `begin`, one `write` per hit, `end`.
public struct HitListWriter {
    public let format: ListFormat
    public let fields: [HitField]
    /// CSV for French spreadsheet locales: a UTF-8 BOM and `;` between fields.
    public let excel: Bool
    public let marks: SnippetMarks
    /// Columns before the hit's own, whose values each hit is given (a batch's `query`).
    public let leading: [String]
    /// A list collapsed to one hit a story: the JSON objects of the default fields also
    /// carry `group` and `similar`, and the JSON head `stories`.
    public let collapsed: Bool

    public init(format: ListFormat, fields: [HitField] = HitField.defaults, excel: Bool = false, marks: SnippetMarks = .none,
                leading: [String] = [], collapsed: Bool = false) {
        self.collapsed = collapsed
        self.format = format
        self.fields = fields
        self.excel = excel
        self.marks = marks
        self.leading = leading
    }

    private var delimiter: String { excel ? ";" : "," }

    /// The header row of csv, tsv and md (nothing for the other formats).
    public func writeHeader(to sink: TextSink) throws {
        let names = leading + fields.map(\.rawValue)
        switch format {
        case .csv: try sink.write((excel ? "\u{FEFF}" : "") + csvRow(names))
        case .tsv: try sink.write(tsvRow(names))
        case .md: try sink.write(mdRow(names) + "|" + String(repeating: " --- |", count: names.count) + "\n")
        case .json, .jsonl, .ids: break
        }
    }

    public func begin(query: String, summary: SearchSummary, to sink: TextSink) throws {
        switch format {
        case .csv, .tsv, .md: try writeHeader(to: sink)
        case .json:
            var head = "{"
            JSONText.write(.string("query"), to: &head)
            head += ":"
            JSONText.write(.string(query), to: &head)
            head += ",\"total\":\(summary.total),\"total_exact\":\(summary.totalIsExact)" + (summary.stories.map { ",\"stories\":\($0)" } ?? "")
            head += ",\"relaxed\":\(summary.relaxed),\"also_searched\":"
            JSONText.write(.array(summary.alsoSearched.map { .string($0) }), to: &head)
            head += ",\"suggestions\":"
            JSONText.write(.array(summary.suggestions.map { .object([("query", .string($0.query)), ("total", .integer($0.total))]) }), to: &head)
            head += ",\"near_spellings\":"
            JSONText.write(.array(summary.nearSpellings.map { .string($0) }), to: &head)
            // The query as typed and its correction, when the hits are the correction's.
            head += ",\"corrected_from\":"
            JSONText.write(.string(summary.correctedFrom), to: &head)
            head += ",\"corrected_query\":"
            JSONText.write(.string(summary.correctedQuery), to: &head)
            head += ",\"hits\":["
            try sink.write(head)
        case .jsonl, .ids: break
        }
    }

    /// `first` is true for the first hit written (JSON needs no comma before it);
    /// `leadingValues` are those of ``leading``.
    public func write(_ hit: Hit, first: Bool, leadingValues: [String] = [], to sink: TextSink) throws {
        let lead = excel ? leadingValues.map(Self.spreadsheetSafe) : leadingValues
        switch format {
        case .csv: try sink.write(csvRow(lead + fields.map { excel ? $0.spreadsheetText(of: hit, marks: marks) : $0.text(of: hit, marks: marks) }))
        case .tsv: try sink.write(tsvRow(leadingValues + fields.map { $0.text(of: hit, marks: marks) }))
        case .md: try sink.write(mdRow(leadingValues + fields.map { $0.text(of: hit, marks: marks) }))
        case .json: try sink.write((first ? "" : ",") + object(hit, leadingValues))
        case .jsonl: try sink.write(object(hit, leadingValues) + "\n")
        case .ids: try sink.write(hit.id + "\n")
        }
    }

    /// Closes the list; JSON says last whether it is partial (the time budget ran out).
    public func end(partial: Bool, to sink: TextSink) throws {
        if format == .json { try sink.write("],\"partial\":\(partial)}\n") }
    }

    /// A hit as a JSON object: its fields, every one present (`null` when the dispatch
    /// lacks it), and in a collapsed list with the default fields its story.
    private func object(_ hit: Hit, _ leadingValues: [String] = []) -> String {
        var members = zip(leading, leadingValues).map { ($0, JSONText.Value.string($1)) } + fields.map { ($0.rawValue, $0.value(of: hit, marks: marks)) }
        if fields == HitField.defaults, collapsed { members += [HitField.group, .similar].map { ($0.rawValue, $0.value(of: hit)) } }
        return JSONText.render(.object(members))
    }

    /// A text cell a spreadsheet shows as text (``HitField/spreadsheetText(of:marks:)``).
    static func spreadsheetSafe(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// RFC 4180: quoted when needed, quotes doubled, CRLF line ends. Control characters
    /// are left out of every cell of csv, tsv and md (json escapes them): an index may
    /// come from someone else, and the list may be read on a terminal.
    private func csvRow(_ values: [String]) -> String {
        values.map(TextStyle.printable).map { value in
            guard value.contains(where: { $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" || String($0) == delimiter }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: delimiter) + "\r\n"
    }

    /// TSV cannot quote: tabs and line breaks inside a value become spaces.
    private func tsvRow(_ values: [String]) -> String {
        values.map(TextStyle.printable).map { value in
            String(value.map { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
        }.joined(separator: "\t") + "\n"
    }

    /// A Markdown table row: `|` escaped, line breaks as spaces.
    private func mdRow(_ values: [String]) -> String {
        "| " + values.map { TextStyle.name($0).replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
    }
}

/// A hit list being written: the ``HitSink`` a search streams its hits into, so that
/// output never calls the search.
///
///     let list = HitListStream(writer: HitListWriter(format: .csv), query: query, sink: TextSink())
///     let streamed = try searcher.search(query, options: options, limit: nil, into: list)
public final class HitListStream: HitSink {
    public let writer: HitListWriter
    public let query: String
    public let sink: TextSink
    /// Hears the total and how the query was searched, before the first hit.
    private let started: (SearchSummary) -> Void
    /// Hears the number of hits written so far, after each.
    private let progress: (Int) -> Void
    /// Whether a list without hits is written (a header, an empty JSON list) or nothing
    /// at all (an export, which then writes no file).
    public let writesEmptyList: Bool
    /// Hits written so far (the first is written without a separator before it).
    private var written = 0
    /// The number of hits the search announced (``begin(_:)``).
    private var total = 0

    public init(writer: HitListWriter, query: String, sink: TextSink, writesEmptyList: Bool = true,
                started: @escaping (SearchSummary) -> Void = { _ in }, progress: @escaping (Int) -> Void = { _ in }) {
        self.writesEmptyList = writesEmptyList
        self.writer = writer
        self.query = query
        self.sink = sink
        self.started = started
        self.progress = progress
    }

    public func begin(_ summary: SearchSummary) throws {
        total = summary.total
        started(summary)
        if total == 0, !writesEmptyList { return }
        try writer.begin(query: query, summary: summary, to: sink)
    }

    public func receive(_ hit: Hit) throws {
        try writer.write(hit, first: written == 0, to: sink)
        written += 1
        progress(written)
    }

    public func end(partial: Bool) throws {
        if total == 0, written == 0, !writesEmptyList { return }
        try writer.end(partial: partial, to: sink)
    }
}
