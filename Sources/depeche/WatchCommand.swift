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
            A saved search lives in the index file (it travels with it; --rebuild keeps it). \
            `watch run` shows, for each, the dispatches an index run added or gave a new text \
            since its previous run, whatever their own dates (the first run shows the current \
            top hits); exit status 0 when something was new, 1 when nothing, so that a cron \
            line can mail the output.

              depeche watch add rosatom "Rosatom nucléaire" --source ACI
              depeche index ~/archives && depeche watch run
              depeche watch run rosatom --format csv
            """,
        subcommands: [Add.self, List.self, Remove.self, Run.self])

    /// Says each saved search that cannot be read (a foreign or crafted index), by name;
    /// true when there was one, which makes the command's status 2 once the others ran.
    static func sayUnreadable(_ unreadable: [UnreadableSavedSearch]) -> Bool {
        for search in unreadable {
            let word = TextStyle.shellWord(search.name)
            Terminal.writeError("depeche: saved search \(word): \(search.reason); skipped (depeche watch remove \(word))\n")
        }
        return !unreadable.isEmpty
    }

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

        func validate() throws {
            if let problem = SavedSearch.problem(naming: name) { throw ValidationError(problem) }
        }

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
            guard try database.openForWriting().save(SavedSearch(name: name, query: query, options: options)) else {
                let word = TextStyle.shellWord(name)
                throw UsageError("a saved search is named \(word) already (depeche watch remove \(word) first)")
            }
            Terminal.writeError("depeche: saved \(TextStyle.name(name)): \(TextStyle.quoted(query)); `depeche watch run \(TextStyle.shellWord(name))` shows its hits\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the saved searches.")

        @OptionGroup var database: DatabaseOption

        func run() throws {
            let (searches, unreadable) = try DispatchIndex(path: database.path, readOnly: true).savedSearches()
            var output = ""
            for search in searches {
                let filters = [search.options.since.map { "since \($0)" }, search.options.until.map { "until \($0)" }]
                    .compactMap { $0 } + search.options.sources.map { "source \($0)" } + search.options.categories.map { "category \($0)" }
                output += "\(TextStyle.name(search.name))\t\(TextStyle.quoted(search.query))"
                    + (filters.isEmpty ? "" : "\t" + filters.joined(separator: ", "))
                    + "\t" + (search.seenRun.map { "seen up to index run \($0)" } ?? "never run") + "\n"
            }
            try Terminal.write(output)
            if WatchCommand.sayUnreadable(unreadable) { throw ExitCode(Depeche.Status.error) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a saved search.")

        @Argument(help: "Its name.")
        var name: String

        @OptionGroup var database: DatabaseOption

        func run() throws {
            guard try database.openForWriting().removeSavedSearch(named: name) else {
                throw UsageError("no saved search is named \(TextStyle.shellWord(name)) (depeche watch list)")
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what is new to each saved search (or those named) and mark it seen.",
            discussion: """
                What was shown is marked seen only once the whole output is written: a run \
                whose output fails (closed, full, a reader gone) or that is killed marks \
                nothing, and the next run shows the same news. Past --limit, what was not \
                shown waits for the next run (--all shows everything).
                """)

        @Argument(help: "The saved searches to run (all when none).")
        var names: [String] = []

        @OptionGroup var database: DatabaseOption
        @OptionGroup var columns: ColumnsOption

        @Option(help: "table, ids (one id per line), or a list format (csv, tsv, json, jsonl, md) whose rows lead with the search's name and new or updated.")
        var format: OutputFormat = .table

        @Option(help: "Hits shown at most per search, new and updated each (0: all); the rest waits for the next run.")
        var limit = 10

        @Flag(help: "Show everything new (as --limit 0).")
        var all = false

        func validate() throws {
            if !(0...HitListing.largestLimit).contains(limit) { throw ValidationError("--limit must be between 0 and \(HitListing.largestLimit)") }
        }

        /// One kind of news of one search (new, or updated) as the run found it.
        struct Section {
            let change: String
            let result: SearchResult
            /// Everything waiting, shown or not (an any-word fallback is no news).
            var total: Int { result.relaxed ? 0 : result.total }
            var hits: [Hit] { result.relaxed ? [] : result.hits }
        }

        /// What one saved search found, and what of it was shown.
        struct News {
            let search: SavedSearch
            let sections: [Section]

            /// Found and not shown: it waits for the next run (nothing waits after a first
            /// run, which shows the current top hits).
            var waiting: Int { search.seenRun == nil ? 0 : sections.reduce(0) { $0 + $1.total - $1.hits.count } }

            /// What to record once the output is delivered.
            var delivery: WatchDelivery {
                WatchDelivery(name: search.name, complete: waiting == 0, shown: sections.flatMap { $0.hits.map(\.id) })
            }

            /// The line that says what waits; nil when nothing does.
            var waitingNote: String? {
                waiting == 0 ? nil : "\(TextStyle.counted(waiting, "more hit")) wait for the next run "
                    + "(depeche watch run \(TextStyle.shellWord(search.name)) --all shows them all)"
            }
        }

        func run() throws {
            let index = try database.openForWriting()
            let (all, unreadable) = try index.savedSearches()
            let skipped = WatchCommand.sayUnreadable(unreadable.filter { names.isEmpty || names.contains($0.name) })
            if let unknown = names.first(where: { name in !all.contains { $0.name == name } && !unreadable.contains { $0.name == name } }) {
                throw UsageError("no saved search is named \(TextStyle.shellWord(unknown)) (depeche watch list)")
            }
            if let unknown = names.first(where: { name in !all.contains { $0.name == name } }) {
                throw UsageError("no saved search is named \(TextStyle.shellWord(unknown)) (depeche watch list)")
            }
            let searches = names.isEmpty ? all : all.filter { names.contains($0.name) }
            // Everything committed up to here; what commits during this run is the next one's.
            let through = try index.lastRun()
            let searcher = Searcher(index: index)
            let fields = try columns.columns()
            var found: [News] = []
            for search in searches {
                var sections: [Section] = []
                for (change, indexed) in Self.changes(of: search, through: through) {
                    var options = try self.options(search.options)
                    options.limit = self.all || limit == 0 ? HitListing.largestLimit : limit
                    options.filters.indexed = indexed
                    options.includeBody = fields.contains(.body)
                    sections.append(Section(change: change, result: try searcher.search(search.query, options: options)))
                }
                found.append(News(search: search, sections: sections))
            }
            // Delivered first (written and flushed), recorded after: a failed output
            // throws here and nothing is marked seen.
            try deliver(found, fields: fields)
            try index.recordDelivered(found.map(\.delivery), through: through)
            if format.listFormat != nil {
                for news in found {
                    if let note = news.waitingNote { Terminal.writeError("depeche: \(TextStyle.name(news.search.name)): \(note)\n") }
                }
            }
            if skipped { throw ExitCode(Depeche.Status.error) }
            if found.allSatisfy({ $0.sections.allSatisfy { $0.hits.isEmpty } }) { throw Depeche.Status.nothingMatched }
        }

        /// Writes the news: the table, or one list of every search's hits.
        private func deliver(_ found: [News], fields: [HitField]) throws {
            guard let listFormat = format.listFormat else {
                let onTerminal = Terminal.isTerminal(STDOUT_FILENO)
                let table = TableWriter(style: ColorChoice.auto.style(onTerminal: onTerminal), width: onTerminal ? Terminal.width() : nil)
                var text = ""
                for news in found {
                    let (search, sections) = (news.search, news.sections)
                    text += "\(TextStyle.name(search.name)) (\(TextStyle.quoted(search.query))): "
                        + sections.map { section in
                            "\(section.total) \(section.change)" + (section.hits.count < section.total ? " (\(section.hits.count) shown)" : "")
                        }.joined(separator: ", ") + "\n"
                    for section in sections where !section.hits.isEmpty {
                        text += "\n\(section.change):\n" + table.renderHits(section.hits)
                    }
                    if let note = news.waitingNote { text += "\n\(note)\n" }
                }
                try Terminal.write(text)
                return
            }
            let list = BatchListStream(writer: HitListWriter(format: listFormat, fields: fields, leading: ["watch", "change"]), sink: TextSink())
            try list.open()
            for news in found {
                let name = news.search.name
                for section in news.sections {
                    let hits = list.hits(leading: [name, section.change])
                    for hit in section.hits { try hits.receive(hit) }
                    list.record(BatchQueryReport(origin: name, name: name, summary: section.result.summary))
                }
            }
            try list.close()
            try list.sink.commit()
        }

        /// What a run shows: the current top hits the first time, else what was added,
        /// then what was given a new text, since the last run seen and up to `through`,
        /// less what the search was shown already.
        static func changes(of search: SavedSearch, through: Int) -> [(String, IndexedChange?)] {
            guard let seen = search.seenRun else { return [("new", nil)] }
            return [("new", IndexedChange(.added, after: seen, through: through, savedSearch: search.name)),
                    ("updated", IndexedChange(.changed, after: seen, through: through, savedSearch: search.name))]
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
