import ArgumentParser
import Foundation
import DepecheIndex
import DepecheIngest
import DepecheModel
import DepecheOutput
import DepecheSearch

/// `depeche batch`: a list of queries run at once, their hits written as one list.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run a list of queries and write their hits as one list.",
        discussion: """
            FILE holds one query per line (# comments and blank lines skipped), or is a CSV or \
            TSV table with a query column and optionally name, since, until, source and \
            category columns; - reads standard input. Each hit is written with its query's name \
            (or text) and its rank; a query that cannot run is said with its line, and the \
            others run. A summary (each query, its hits, its newest date) goes to stderr. Exit \
            status: 0 something matched, 1 nothing did, 2 a query or the batch had an error.

              depeche batch veille.txt -o veille.csv
              depeche batch requetes.csv --format json --limit 0 > tout.json
              depeche batch veille.txt --format summary --since 2020
            """)

    /// `batch --format`: the list formats, or only the summary table.
    enum BatchFormat: String, CaseIterable, ExpressibleByArgument {
        case csv, tsv, json, jsonl, md, summary

        var listFormat: ListFormat? { ListFormat(rawValue: rawValue) }
    }

    @Argument(help: ArgumentHelp("The file of queries, or - for standard input.", valueName: "file"))
    var file: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var matching: MatchOptions
    @OptionGroup var ranking: RankingOptions
    @OptionGroup var marks: HighlightOption

    @Option(help: "The output format (summary: the summary table only, on stdout).")
    var format: BatchFormat = .csv

    @OptionGroup var columns: ColumnsOption
    @OptionGroup var destination: FileOutputOptions

    @Option(help: "Hits per query (0: all).")
    var limit = 10

    func validate() throws {
        if destination.excel, format != .csv { throw ValidationError("--excel applies to --format csv") }
        if !(0...HitListing.largestLimit).contains(limit) { throw ValidationError("--limit must be between 0 (all) and \(HitListing.largestLimit)") }
    }

    func run() throws {
        let queries = try readQueries()
        let base = try ranking.searchOptions(matching.searchOptions())
        let columns = try self.columns.columns(defaults: [.rank] + HitField.defaults)
        let searcher = Searcher(index: try DispatchIndex(path: database.path, readOnly: true))
        let sink = try format.listFormat == nil ? TextSink() : destination.output.map { try TextSink(file: $0) } ?? TextSink()
        let list = BatchListStream(writer: HitListWriter(format: format.listFormat ?? .csv, fields: columns, excel: destination.excel,
                                                         marks: marks.highlight, leading: ["query"]), sink: sink)
        var errors = 0
        do {
            if format.listFormat != nil { try list.open() }
            for listed in queries {
                let origin = "\(file):\(listed.line)"
                list.start(BatchQueryReport(origin: origin, name: listed.name))
                do {
                    var options = try self.options(for: listed, base: base)
                    options.includeBody = columns.contains(.body)
                    options.includeSnippet = columns.contains(.snippet)
                    if format.listFormat == nil {
                        options.limit = 0
                        try searcher.search(listed.query, options: options, limit: 0, into: list)
                    } else {
                        try searcher.search(listed.query, options: options, limit: limit == 0 ? nil : limit, into: list)
                    }
                    list.finish(newest: try searcher.newestDate(listed.query, options: options), error: nil)
                } catch where error is QueryError || error is UsageError {
                    // A line that cannot run (its query, its dates) is said, and the batch goes on.
                    errors += 1
                    Terminal.writeError("depeche: \(origin): \(error)\n")
                    list.finish(newest: nil, error: "\(error)")
                }
            }
            if format.listFormat != nil { try list.close() }
            let summary = BatchListStream.summary(list.reports)
            if format == .summary { try sink.write(summary) } else { Terminal.writeError(summary) }
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
        if errors > 0 { throw ExitCode(Depeche.Status.error) }
        if !list.reports.contains(where: { $0.total > 0 }) { throw Depeche.Status.nothingMatched }
    }

    /// The batch's queries; a line that is no query is said and skipped.
    private func readQueries() throws -> [ListedQuery] {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw UsageError("\(file): cannot read it (\((error as NSError).localizedDescription))")
        }
        let text = String(decoding: data, as: UTF8.self)
        do {
            return try QueryList.read(text, origin: file) { Terminal.writeError("depeche: \($0)\n") }
        } catch let problem as IngestProblem {
            throw UsageError(problem.description)
        }
    }

    /// The batch's options with a query's own dates, sources and categories.
    private func options(for listed: ListedQuery, base: SearchOptions) throws -> SearchOptions {
        var options = base
        try FilterValues.apply(since: listed.since, until: listed.until, sources: listed.sources, categories: listed.categories,
                               to: &options, prefix: "")
        return options
    }
}
