import Foundation

/// One query of a batch file (`depeche batch`), with the line it was read from and the
/// columns a table may give it.
public struct ListedQuery: Equatable, Sendable {
    public let line: Int
    public let query: String
    /// What the output calls it: the `name` column, or the query itself.
    public let name: String
    public var since: String?
    public var until: String?
    public var sources: [String] = []
    public var categories: [String] = []

    public init(line: Int, query: String, name: String? = nil) {
        self.line = line
        self.query = query
        self.name = name.flatMap { $0.isEmpty ? nil : $0 } ?? query
    }
}

/// The queries of a batch file: one query per line (`#` comments and blank lines
/// skipped), or a CSV/TSV table with a header naming a `query` column and optionally
/// `name`, `since`, `until`, `source`, `category` (a table is told by its header, or by
/// a `.csv`/`.tsv` name). Problems are per line and do not stop the reading.
public enum QueryList {
    /// The columns a table may have.
    public static let columns = ["query", "name", "since", "until", "source", "category"]

    /// Queries a batch may hold: each opens a search; a larger list is cut in files.
    public static let mostQueries = 100_000

    /// Reads `text`, from `origin` (a path, `-`), calling `problem` for each line that is
    /// no query (an empty query cell, a row of another width).
    public static func read(_ text: String, origin: String,
                            problem: (IngestProblem) -> Void) throws -> [ListedQuery] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // The first line that is not blank or a comment: a table's header, or a query.
        let firstLine = String(lines.first { !TextCleaning.trimmed($0).isEmpty && !$0.hasPrefix("#") } ?? "")
        let name = origin.lowercased()
        let delimiter = DelimitedReader.detectDelimiter(header: Array(firstLine.utf8)[...],
                                                        preferred: name.hasSuffix(".tsv") ? 0x09 : UInt8(ascii: ","))
        let names = firstLine.split(separator: Character(Unicode.Scalar(delimiter)), omittingEmptySubsequences: false)
            .map { TextCleaning.trimmed($0).lowercased() }
        let isTable = names.contains("query") || name.hasSuffix(".csv") || name.hasSuffix(".tsv")
        let queries = isTable ? try table(text, origin: origin, delimiter: delimiter, problem: problem) : plainLines(lines)
        guard queries.count <= mostQueries else {
            throw IngestProblem(file: origin, message: "\(queries.count) queries: a batch takes at most \(mostQueries)")
        }
        return queries
    }

    private static func plainLines(_ lines: [Substring]) -> [ListedQuery] {
        lines.enumerated().compactMap { index, line in
            let text = TextCleaning.trimmed(String(line))
            return text.isEmpty || text.hasPrefix("#") ? nil : ListedQuery(line: index + 1, query: text)
        }
    }

    private static func table(_ text: String, origin: String, delimiter: UInt8,
                              problem: (IngestProblem) -> Void) throws -> [ListedQuery] {
        let bytes = Array(text.utf8)
        var splitter = RowSplitter(delimiter: delimiter)
        var header: [String]?
        var queries: [ListedQuery] = []
        func row(_ raw: [[UInt8]], line: Int) throws {
            let fields = raw.map { TextCleaning.trimmed(String(decoding: $0, as: UTF8.self)) }
            // Blank and comment rows, before the header too.
            if fields.allSatisfy(\.isEmpty) || fields.first?.hasPrefix("#") == true { return }
            guard let names = header else {
                let names = fields.map { $0.lowercased() }
                guard names.contains("query") else {
                    throw IngestProblem(file: origin, line: line, message: "no query column (columns: \(fields.joined(separator: ", ")))")
                }
                if let unknown = names.first(where: { !columns.contains($0) }) {
                    throw IngestProblem(file: origin, line: line, message: "unknown column \"\(unknown)\" (columns: \(columns.joined(separator: ", ")))")
                }
                header = names
                return
            }
            guard fields.count == names.count else {
                problem(IngestProblem(file: origin, line: line, message: "row has \(fields.count) fields, the header has \(names.count); skipped"))
                return
            }
            let cells = Dictionary(zip(names, fields), uniquingKeysWith: { first, _ in first })
            guard let query = cells["query"], !query.isEmpty else {
                problem(IngestProblem(file: origin, line: line, message: "empty query; skipped"))
                return
            }
            var listed = ListedQuery(line: line, query: query, name: cells["name"])
            listed.since = cells["since"].flatMap { $0.isEmpty ? nil : $0 }
            listed.until = cells["until"].flatMap { $0.isEmpty ? nil : $0 }
            listed.sources = cells["source"].map { $0.isEmpty ? [] : [$0] } ?? []
            listed.categories = cells["category"].map { $0.isEmpty ? [] : [$0] } ?? []
            queries.append(listed)
        }
        do {
            try splitter.feed(bytes[...], row: row)
            if let openedAt = try splitter.finish(row: row) {
                problem(IngestProblem(file: origin, line: openedAt, message: "quote opened here is never closed; the rest of the file was not read"))
            }
        } catch let tooLarge as RowSplitter.RowTooLarge {
            problem(IngestProblem(file: origin, line: tooLarge.line, message: "row too large; the rest of the file was not read"))
        }
        if header == nil { throw IngestProblem(file: origin, message: "empty file: no header line") }
        return queries
    }
}
