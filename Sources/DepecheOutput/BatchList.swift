import DepecheModel

/// What one query of a batch gave: for the summary table and the JSON `queries` list.
public struct BatchQueryReport: Sendable {
    /// Where it was read: `FILE:LINE`.
    public let origin: String
    public let name: String
    public var total = 0
    /// The newest date among all its matches.
    public var newest: Day?
    public var relaxed = false
    /// Cut short by the time budget: its hits are those found by then.
    public var partial = false
    /// The query's error (`query error at column 7: …`), when it could not run.
    public var error: String?

    public init(origin: String, name: String) {
        self.origin = origin
        self.name = name
    }
}

/// The hits of a batch of queries as one list (`depeche batch`): each hit written with
/// its query's name as the leading `query` column, after the rank of its own list.
/// JSON is `{"hits": [...], "queries": [...]}`: the hits as they come, then each query's
/// report.
public final class BatchListStream: HitSink {
    public let writer: HitListWriter
    public let sink: TextSink
    /// The report of the query being run.
    public private(set) var current: BatchQueryReport?
    /// The leading values of its hits (by default its name).
    private var currentLeading: [String] = []
    public private(set) var reports: [BatchQueryReport] = []
    private var written = 0

    public init(writer: HitListWriter, sink: TextSink) {
        self.writer = writer
        self.sink = sink
    }

    /// The list's start: a header row, or JSON's opening.
    public func open() throws {
        if writer.format == .json { try sink.write("{\"hits\":[") } else { try writer.writeHeader(to: sink) }
    }

    /// Starts the hits of one query; `leading` are the values of the writer's leading
    /// columns for them (by default the query's name).
    public func start(_ report: BatchQueryReport, leading: [String]? = nil) {
        current = report
        currentLeading = leading ?? [report.name]
    }

    /// Ends the current query with what is known of it besides its hits.
    public func finish(newest: Day?, error: String?) {
        guard var report = current else { return }
        report.newest = newest
        report.error = error
        reports.append(report)
        current = nil
    }

    public func begin(_ summary: SearchSummary) throws {
        current?.total = summary.total
        current?.relaxed = summary.relaxed
    }

    public func receive(_ hit: Hit) throws {
        try writer.write(hit, first: written == 0, leadingValues: currentLeading, to: sink)
        written += 1
    }

    public func end(partial: Bool) throws {
        current?.partial = partial
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
