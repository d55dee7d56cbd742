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

    @OptionGroup var time: TimeoutOption

    func validate() throws {
        if destination.excel, format != .csv { throw ValidationError("--excel applies to --format csv") }
        if !(0...HitListing.largestLimit).contains(limit) { throw ValidationError("--limit must be between 0 (all) and \(HitListing.largestLimit)") }
    }

    func run() throws {
        var base = try ranking.searchOptions(matching.searchOptions())
        base.timeBudget = time.budget
        let columns = try self.columns.columns(defaults: [.rank] + HitField.defaults)
        // A FIFO, `<(…)` or standard input is read as it comes; a folder is refused.
        let input: InputFile
        do { input = try InputFile(path: file) } catch let problem as IngestProblem { throw UsageError(problem.description) }
        let searcher = Searcher(index: try DispatchIndex(path: database.path, readOnly: true))
        let sink = try format.listFormat == nil ? TextSink() : destination.output.map { try TextSink(file: $0) } ?? TextSink()
        let list = BatchListStream(writer: HitListWriter(format: format.listFormat ?? .csv, fields: columns, excel: destination.excel,
                                                         marks: marks.highlight, leading: ["query"]), sink: sink)
        // Lines that could not run or were not read: any makes the status 2.
        var errors = 0
        do {
            if format.listFormat != nil { try list.open() }
            do {
                try QueryList.read(input, query: { listed in
                    if try !run(listed, base: base, columns: columns, searcher: searcher, into: list) { errors += 1 }
                }, problem: { problem in
                    errors += 1
                    Terminal.writeError("depeche: \(problem)\n")
                })
            } catch let problem as IngestProblem {
                // Before any query (no query column), the batch is refused whole; past
                // the most queries, those run are written and the status says the rest.
                guard !list.reports.isEmpty else { throw UsageError(problem.description) }
                errors += 1
                Terminal.writeError("depeche: \(problem)\n")
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

    /// Runs one query of the list into `list`; false when it could not run (its query,
    /// its dates), which is said with its line while the batch goes on.
    private func run(_ listed: ListedQuery, base: SearchOptions, columns: [HitField], searcher: Searcher, into list: BatchListStream) throws -> Bool {
        let origin = "\(file):\(listed.line)"
        do {
            var options = try self.options(for: listed, base: base)
            options.includeBody = columns.contains(.body)
            options.includeSnippet = columns.contains(.snippet)
            // The summary format writes no hit: none is read past the count.
            if format.listFormat == nil { options.limit = 0 }
            let streamed = try searcher.search(CompiledQuery(listed.query), options: options,
                                               limit: format.listFormat == nil ? 0 : (limit == 0 ? nil : limit),
                                               into: list.hits(leading: [listed.name]), newestDate: true)
            list.record(BatchQueryReport(origin: origin, name: listed.name, summary: streamed.summary, partial: streamed.partial,
                                         newest: streamed.newest))
            return true
        } catch where error is QueryError || error is UsageError {
            Terminal.writeError("depeche: \(origin): \(error)\n")
            list.record(BatchQueryReport(origin: origin, name: listed.name, error: "\(error)"))
            return false
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
