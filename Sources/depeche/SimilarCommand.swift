import ArgumentParser
import Foundation
import DepecheIndex
import DepecheModel
import DepecheOutput
import DepecheSearch

/// `depeche similar`: "more like this" for one dispatch.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Find the dispatches most like one dispatch.",
        discussion: """
            Ranks the dispatches that share the most distinctive words of the dispatch (those \
            it uses most that few others use, up to \(MoreLikeThis.terms)), by relevance unless \
            --sort says otherwise. Its own story (its versions and re-publications, which \
            `show` lists) is left out unless --same-story. Same formats as search. Exit \
            status: 0 something matched, 1 nothing matched, 2 an error.

              depeche similar 001_congo-rosatom-centres-de-donnees
              depeche similar orangesum-1911 --since 2020-06 --format json
            """)

    @Argument(help: "The dispatch id (as search prints it).")
    var id: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var filters: FilterValues

    @Option(help: "hybrid (relevance blended with recency), relevance, or date (newest first).")
    var sort: SortMode = .relevance

    @OptionGroup var listing: HitListing

    @Flag(name: .customLong("same-story"), help: "Also list the other dispatches of its own story.")
    var sameStory = false

    func run() throws {
        let started = Date()
        let index = try DispatchIndex(path: database.path, readOnly: true, memoryMapped: true)
        var options = listing.paged(SearchOptions())
        try filters.apply(to: &options)
        options.sort = sort
        options.timeBudget = TimeoutOption.defaultTimeout
        guard let similar = try MoreLikeThis.search(for: id, in: index, options: options, sameStory: sameStory) else {
            throw DepecheError("no dispatch with id '\(id)' in \(database.path)")
        }
        guard let query = similar.query else {
            Terminal.writeError("depeche: \(id) shares no distinctive word with another dispatch\n")
            throw Depeche.Status.nothingMatched
        }
        try listing.write(Searcher(index: index), query: query, subject: "similar to \(id)", options: similar.options,
                          timeout: TimeoutOption.defaultTimeout, started: started)
    }
}
