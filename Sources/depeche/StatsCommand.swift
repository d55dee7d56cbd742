import ArgumentParser
import Foundation
import DepecheIndex
import DepecheOutput
import DepecheSearch

/// `depeche stats`: what the index holds, or what a query finds, by source, category and time.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count dispatches by source, category, year and month, for the index or a query.",
        discussion: """
              depeche stats
              depeche stats "Covid-19" --since 2020
              depeche stats "Sassou Nguesso" --format json
            """)

    @Argument(help: "Count only the dispatches this query finds.")
    var query: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var matching: MatchOptions

    @Option(help: "The output format.")
    var format: StatsFormat = .text

    enum StatsFormat: String, CaseIterable, ExpressibleByArgument { case text, json }

    func run() throws {
        let index = try DispatchIndex(path: database.path, readOnly: true)
        let options = try matching.searchOptions()
        let searcher = Searcher(index: index)
        let query = try self.query.map { try CompiledQuery($0) }
        let statistics = try searcher.statistics(query: query, options: options)
        switch format {
        case .json: try Terminal.write(StatisticsWriter.json(statistics))
        case .text: try Terminal.write(StatisticsWriter.text(statistics, width: Terminal.isTerminal(STDOUT_FILENO) ? (Terminal.width() ?? 80) : 80))
        }
        // A query (or filters) that matched nothing: exit status 1, as search; so does a
        // query counted by its any-word fallback.
        if statistics.total == 0, query != nil || !options.filters.isEmpty {
            try NothingMatched.report(searcher, query: query, options: options)
        }
        if statistics.relaxed { throw Depeche.Status.nothingMatched }
    }
}
