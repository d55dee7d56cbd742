import DepecheModel

/// What one query of a batch gave: for the summary table and the JSON `queries` list.
public struct BatchQueryReport: Sendable {
    /// Where it was read: `FILE:LINE`.
    public let origin: String
    public let name: String
    public let total: Int
    /// The newest date among all its matches.
    public let newest: Day?
    public let relaxed: Bool
    /// Cut short by the time budget: its hits are those found by then.
    public let partial: Bool
    /// The query's error (`query error at column 7: …`), when it could not run.
    public let error: String?

    /// A query that ran: its count and how it was searched.
    public init(origin: String, name: String, summary: SearchSummary, partial: Bool = false, newest: Day? = nil) {
        self.origin = origin
        self.name = name
        total = summary.total
        relaxed = summary.relaxed
        self.partial = partial
        self.newest = newest
        error = nil
    }

    /// A query that could not run.
    public init(origin: String, name: String, error: String) {
        self.origin = origin
        self.name = name
        self.error = error
        total = 0
        relaxed = false
        partial = false
        newest = nil
    }
}

/// The hits of a batch of queries as one list (`depeche batch`, `watch run`): each hit
/// written with its query's leading values (by default its name, as the `query` column),
/// after the rank of its own list. JSON is `{"hits": [...], "queries": [...]}`: the hits
/// as they come, then each query's report.
///
///     try list.open()
///     let streamed = try searcher.search(query, options: options, limit: 10, into: list.hits(leading: [name]))
///     list.record(BatchQueryReport(origin: "veille.txt:3", name: name, summary: streamed.summary))
///     try list.close()
public final class BatchListStream {
    public let writer: HitListWriter
    public let sink: TextSink
    /// What each query gave, in order (``record(_:)``).
    public private(set) var reports: [BatchQueryReport] = []
    /// Hits written so far, all queries together (JSON separates them with commas).
    private var written = 0

    public init(writer: HitListWriter, sink: TextSink) {
        self.writer = writer
        self.sink = sink
    }

    /// The list's start: a header row, or JSON's opening.
    public func open() throws {
        if writer.format == .json { try sink.write("{\"hits\":[") } else { try writer.writeHeader(to: sink) }
    }

    /// The sink of one query's hits, each written with `leading` (the values of the
    /// writer's leading columns).
    public func hits(leading: [String]) -> QueryHits {
        QueryHits(list: self, leading: leading)
    }

    /// Adds what one query gave, after its hits.
    public func record(_ report: BatchQueryReport) {
        reports.append(report)
    }

    fileprivate func write(_ hit: Hit, leading: [String]) throws {
        try writer.write(hit, first: written == 0, leadingValues: leading, to: sink)
        written += 1
    }

    /// The hits of one query of a ``BatchListStream``: written as they come; the list's
    /// header and end belong to the list, so that beginning and ending write nothing.
    public final class QueryHits: HitSink {
        private let list: BatchListStream
        private let leading: [String]

        fileprivate init(list: BatchListStream, leading: [String]) {
            self.list = list
            self.leading = leading
        }

        public func begin(_ summary: SearchSummary) throws {}

        public func receive(_ hit: Hit) throws {
            try list.write(hit, leading: leading)
        }

        public func end(partial: Bool) throws {}
    }

    /// The list's end: JSON's `queries` and closing.
    public func close() throws {
        guard writer.format == .json else { return }
        try sink.write("],\"queries\":" + JSONText.render(.array(reports.map(Self.json))) + "}\n")
    }

    static func json(_ report: BatchQueryReport) -> JSONText.Value {
        .object([("query", .string(report.name)), ("origin", .string(report.origin)), ("total", .integer(report.total)),
                 ("newest", .string(report.newest?.description)), ("relaxed", .bool(report.relaxed)), ("partial", .bool(report.partial)),
                 ("error", .string(report.error))])
    }

    /// The summary table: each query, its hits, its newest date, whether it was relaxed,
    /// or its error.
    public static func summary(_ reports: [BatchQueryReport]) -> String {
        let nameWidth = min(40, reports.map(\.name.count).max() ?? 5)
        var lines = ["query".padding(toLength: max(nameWidth, 5), withPad: " ", startingAt: 0) + "   hits  newest      note"]
        for report in reports {
            var name = TextStyle.flatten(TextStyle.printable(report.name))
            if name.count > nameWidth { name = String(name.prefix(nameWidth - 1)) + "…" }
            let hits = String(report.total)
            var line = name.padding(toLength: max(nameWidth, 5), withPad: " ", startingAt: 0) + " "
                + String(repeating: " ", count: max(0, 6 - hits.count)) + hits + "  " + (report.newest?.description ?? "—         ")
            if let error = report.error {
                line += "  \(report.origin): \(error)"
            } else {
                let notes = [report.relaxed ? "some of its words" : nil, report.partial ? "cut at the time limit" : nil].compactMap { $0 }
                if !notes.isEmpty { line += "  " + notes.joined(separator: "; ") }
            }
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
