import Foundation
import DepecheModel

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
/// a `.csv`/`.tsv` name). Read as a stream, line by line (LF, CRLF or CR), a byte order
/// mark aside: memory stays flat whatever the input. Problems are per line and do not
/// stop the reading.
public enum QueryList {
    /// The columns a table may have.
    public static let columns = ["query", "name", "since", "until", "source", "category"]

    /// Queries a batch may hold: the summary keeps a line for each; a larger list is cut
    /// in files.
    public static let mostQueries = 100_000

    /// The longest line read: a query is far shorter (``QueryParser``'s caps), and a
    /// longer line is skipped unread rather than held.
    public static let longestLine = 64 << 10

    /// Reads `input`, calling `query` with each query as soon as its line is read and
    /// `problem` for each line that is no query (an empty query cell, a row of another
    /// width, a line over ``longestLine``). Throws when the file cannot be a list (a
    /// table without a query column) or past ``mostQueries``, having read no further.
    public static func read(_ input: InputFile, query: (ListedQuery) throws -> Void, problem: (IngestProblem) -> Void) throws {
        let origin = input.path
        var table: QueryTable?
        var decided = false
        var count = 0
        func emit(_ listed: ListedQuery) throws {
            count += 1
            guard count <= mostQueries else {
                throw IngestProblem(file: origin, line: listed.line,
                                    message: "over \(mostQueries) queries: a batch takes at most \(mostQueries) (cut the list in files); the rest was not read")
            }
            try query(listed)
        }
        try input.forEachLine(longest: longestLine, { bytes, number in
            let line = number == 1 ? TextLines.withoutByteOrderMark(bytes) : bytes
            if let table {
                return try table.feed(line, emit: emit, problem: problem)
            }
            let trimmed = PlainText.trimmed(String(decoding: line, as: UTF8.self))
            if !decided {
                // The first line that is not blank or a comment: a table's header, or a query.
                if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
                decided = true
                table = QueryTable(header: line, origin: origin, skippedLines: number - 1)
            }
            if let table {
                try table.feed(line, emit: emit, problem: problem)
            } else if !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                try emit(ListedQuery(line: number, query: trimmed))
            }
        }, tooLarge: { number in
            problem(IngestProblem(file: origin, line: number, message: "line over \(longestLine >> 10) KB: no query is that long; skipped"))
        })
        if let table {
            try table.finish(emit: emit, problem: problem)
        } else if !decided, QueryTable.isTableName(origin) {
            throw IngestProblem(file: origin, message: "empty file: no header line")
        }
    }
}

/// A batch file read as a table: its rows, split as CSV/TSV (quoted fields may span
/// lines), fed line by line. A class: the splitter calls back into the table that
/// holds it.
private final class QueryTable {
    let origin: String
    private var splitter: RowSplitter
    private var header: [String]?
    /// Blank or comment lines before the header, fed to the splitter so that it numbers
    /// rows by their lines.
    private var skipped: Int

    /// A table when `header` (the first line that is no comment) names a `query` column
    /// or the file is named `.csv`/`.tsv`; nil for a plain list. `skippedLines` blank or
    /// comment lines came before it.
    init?(header line: ArraySlice<UInt8>, origin: String, skippedLines: Int) {
        let name = origin.lowercased()
        let delimiter = DelimitedReader.detectDelimiter(header: line, preferred: name.hasSuffix(".tsv") ? 0x09 : UInt8(ascii: ","))
        let names = String(decoding: line, as: UTF8.self).split(separator: Character(Unicode.Scalar(delimiter)), omittingEmptySubsequences: false)
            .map { PlainText.trimmed($0).lowercased() }
        guard names.contains("query") || Self.isTableName(origin) else { return nil }
        self.origin = origin
        splitter = RowSplitter(delimiter: delimiter)
        skipped = skippedLines
    }

    func feed(_ line: ArraySlice<UInt8>, emit: (ListedQuery) throws -> Void, problem: (IngestProblem) -> Void) throws {
        var bytes = Array(repeating: UInt8(0x0A), count: skipped) + line
        skipped = 0
        bytes.append(0x0A)
        do {
            try splitter.feed(bytes[...]) { try row($0, line: $1, emit: emit, problem: problem) }
        } catch let tooLarge as RowSplitter.RowTooLarge {
            throw IngestProblem(file: origin, line: tooLarge.line, message: "row too large; the rest of the file was not read")
        }
    }

    func finish(emit: (ListedQuery) throws -> Void, problem: (IngestProblem) -> Void) throws {
        if let openedAt = try splitter.finish(row: { try row($0, line: $1, emit: emit, problem: problem) }) {
            problem(IngestProblem(file: origin, line: openedAt, message: "quote opened here is never closed; the rest of the file was not read"))
        }
        if header == nil { throw IngestProblem(file: origin, message: "empty file: no header line") }
    }

    /// A `.csv` or `.tsv` name: a table whatever its first line.
    static func isTableName(_ origin: String) -> Bool {
        let name = origin.lowercased()
        return name.hasSuffix(".csv") || name.hasSuffix(".tsv")
    }

    private func row(_ raw: [[UInt8]], line: Int, emit: (ListedQuery) throws -> Void, problem: (IngestProblem) -> Void) throws {
        let fields = raw.map { PlainText.trimmed(String(decoding: $0, as: UTF8.self)) }
        // Blank and comment rows, before the header too.
        if fields.allSatisfy(\.isEmpty) || fields.first?.hasPrefix("#") == true { return }
        guard let names = header else {
            let names = fields.map { $0.lowercased() }
            guard names.contains("query") else {
                throw IngestProblem(file: origin, line: line, message: "no query column (columns: \(fields.joined(separator: ", ")))")
            }
            if let unknown = names.first(where: { !QueryList.columns.contains($0) }) {
                throw IngestProblem(file: origin, line: line, message: "unknown column \"\(unknown)\" (columns: \(QueryList.columns.joined(separator: ", ")))")
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
        try emit(listed)
    }
}
