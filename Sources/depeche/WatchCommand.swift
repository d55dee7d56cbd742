import ArgumentParser
import Foundation
import DepecheIndex
import DepecheModel
import DepecheOutput
import DepecheSearch

/// `depeche watch`: saved searches, kept in the index, that report what is new to it.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Saved searches that report what is new to the index since their last run.",
        discussion: """
            A saved search lives in the index file (it travels with it; --rebuild keeps it). \\
            `watch run` shows, for each, the dispatches an index run added or gave a new text \\
            since its previous run, whatever their own dates (the first run shows the current \\
            top hits); exit status 0 when something was new, 1 when nothing, so that a cron \\
            line can mail the output.

              depeche watch add rosatom "Rosatom nucléaire" --source ACI
              depeche index ~/archives && depeche watch run
              depeche watch run rosatom --format csv
            """,
        subcommands: [Add.self, List.self, Remove.self, Run.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save a search under a name.")

        @Argument(help: "The name to run it by.")
        var name: String

        @Argument(help: "The query.")
        var query: String

        @OptionGroup var database: DatabaseOption
        @OptionGroup var filters: FilterValues

        @Option(help: "hybrid, relevance or date.")
        var sort: SortMode = .hybrid

        func run() throws {
            _ = try CompiledQuery(query)
            var checked = SearchOptions()
            try filters.apply(to: &checked)
            var options = SavedSearch.Options()
            options.since = filters.since
            options.until = filters.until
            options.sources = filters.source
            options.categories = filters.category
            options.sort = sort.rawValue
            try DispatchIndex(path: database.path).save(SavedSearch(name: name, query: query, options: options))
            Terminal.writeError("depeche: saved \(name): \(TextStyle.quoted(query)); `depeche watch run \(name)` shows its hits\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the saved searches.")

        @OptionGroup var database: DatabaseOption

        func run() throws {
            let searches = try DispatchIndex(path: database.path, readOnly: true).savedSearches()
            var output = ""
            for search in searches {
                let filters = [search.options.since.map { "since \($0)" }, search.options.until.map { "until \($0)" }]
                    .compactMap { $0 } + search.options.sources.map { "source \($0)" } + search.options.categories.map { "category \($0)" }
                output += "\(search.name)\t\(TextStyle.quoted(search.query))"
                    + (filters.isEmpty ? "" : "\t" + filters.joined(separator: ", "))
                    + "\t" + (search.seenRun.map { "seen up to index run \($0)" } ?? "never run") + "\n"
            }
            try Terminal.write(output)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a saved search.")

        @Argument(help: "Its name.")
        var name: String

        @OptionGroup var database: DatabaseOption

        func run() throws {
            guard try DispatchIndex(path: database.path).removeSavedSearch(named: name) else {
                throw UsageError("no saved search is named \(name) (depeche watch list)")
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what is new to each saved search (or those named) and mark it seen.")

        @Argument(help: "The saved searches to run (all when none).")
        var names: [String] = []

        @OptionGroup var database: DatabaseOption
        @OptionGroup var columns: ColumnsOption

        @Option(help: "table, ids (one id per line), or a list format (csv, tsv, json, jsonl, md) whose rows lead with the search's name and new or updated.")
        var format: OutputFormat = .table

        @Option(help: "Hits shown at most per search, new and updated each.")
        var limit = 10

        func validate() throws {
            if !(1...HitListing.largestLimit).contains(limit) { throw ValidationError("--limit must be between 1 and \(HitListing.largestLimit)") }
        }

        func run() throws {
            let index = try DispatchIndex(path: database.path)
            let all = try index.savedSearches()
            if let unknown = names.first(where: { name in !all.contains { $0.name == name } }) {
                throw UsageError("no saved search is named \(unknown) (depeche watch list)")
            }
            let searches = names.isEmpty ? all : all.filter { names.contains($0.name) }
            let run = try index.lastRun()
            let searcher = Searcher(index: index)
            let onTerminal = Terminal.isTerminal(STDOUT_FILENO)
            let table = TableWriter(style: ColorChoice.auto.style(onTerminal: onTerminal), width: onTerminal ? Terminal.width() : nil)
            let fields = try columns.columns()
            let list = format.listFormat.map { listFormat in
                BatchListStream(writer: HitListWriter(format: listFormat, fields: fields, leading: ["watch", "change"]), sink: TextSink())
            }
            try list?.open()
            var shown = 0
            var text = ""
            for search in searches {
                var changes: [(String, [Hit])] = []
                for (change, indexed) in Self.changes(since: search.seenRun) {
                    var options = try self.options(search.options)
                    options.limit = limit
                    options.indexed = indexed
                    options.includeBody = fields.contains(.body)
                    let result = try searcher.search(search.query, options: options)
                    changes.append((change, result.hits))
                    if let list {
                        list.start(BatchQueryReport(origin: search.name, name: search.name), leading: [search.name, change])
                        try list.begin(result.summary)
                        for hit in result.hits { try list.receive(hit) }
                        list.finish(newest: nil, error: nil)
                    }
                }
                shown += changes.reduce(0) { $0 + $1.1.count }
                text += "\(search.name) (\(TextStyle.quoted(search.query))): "
                    + changes.map { "\($0.1.count) \($0.0)" }.joined(separator: ", ") + "\n"
                for (change, hits) in changes where !hits.isEmpty {
                    text += "\n\(change):\n" + table.renderHits(hits)
                }
                try index.markSeen(search.name, run: run)
            }
            if let list {
                try list.close()
                try list.sink.commit()
            } else {
                try Terminal.write(text)
            }
            if shown == 0 { throw Depeche.Status.nothingMatched }
        }

        /// What a run shows: the current top hits the first time, else what was added,
        /// then what was given a new text, since the last run seen.
        static func changes(since seen: Int?) -> [(String, IndexedChange?)] {
            guard let seen else { return [("new", nil)] }
            return [("new", .addedAfter(run: seen)), ("updated", .changedAfter(run: seen))]
        }

        private func options(_ saved: SavedSearch.Options) throws -> SearchOptions {
            var options = SearchOptions()
            try FilterValues.apply(since: saved.since, until: saved.until, sources: saved.sources, categories: saved.categories,
                                   to: &options, prefix: "")
            options.sort = saved.sort.flatMap(SortMode.init(rawValue:)) ?? .hybrid
            return options
        }
    }
}
