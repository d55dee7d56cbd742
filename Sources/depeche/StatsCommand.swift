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
    @OptionGroup var filters: FilterOptions

    @Option(help: "text or json.")
    var format: StatsFormat = .text

    enum StatsFormat: String, ExpressibleByArgument { case text, json }

    func run() throws {
        let index = try DispatchIndex(path: database.path, readOnly: true)
        let statistics = try Searcher(index: index).statistics(query: query, options: filters.searchOptions())
        switch format {
        case .json: try Terminal.write(StatisticsWriter.json(statistics))
        case .text: try Terminal.write(StatisticsWriter.text(statistics, width: Terminal.isTerminal(STDOUT_FILENO) ? (Terminal.width() ?? 80) : 80))
        }
    }
}
