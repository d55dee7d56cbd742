import ArgumentParser
import Foundation
import DepecheIndex
import DepecheModel
import DepecheOutput
import DepecheSearch

/// The `depeche` command: full-text search of French press-agency dispatches.
@main
struct Depeche: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depeche",
        abstract: "Full-text search of French-language press-agency dispatches.",
        discussion: """
            Index dispatches (scraped agency pages, JSON Lines, JSON, CSV and TSV exports, \
            gzip-compressed or not) into one SQLite file, then search them with French-aware \
            matching (accents, ligatures, elision, stemming, names, synonyms), ranked by \
            relevance and recency. Exit status: 0 something matched, 1 nothing matched, 2 an error.

              depeche index corpus/ --db depeche.sqlite
              depeche search "Rosatom data center" --db depeche.sqlite
              depeche show 000_56b7b411e1511fc9 --db depeche.sqlite
            """,
        version: Depeche.version,
        subcommands: [IndexCommand.self, SearchCommand.self, ExportCommand.self, BatchCommand.self, WatchCommand.self, ShowCommand.self, SimilarCommand.self, StatsCommand.self])

    /// The release, as `depeche --version` prints it.
    static let version = "0.6.0"

    /// Exit statuses, as grep and ripgrep: 0 something matched (or a command that finds
    /// nothing succeeded), 1 a query matched nothing, 2 any error.
    enum Status {
        static let nothingMatched = ExitCode(1)
        static let error: Int32 = 2
    }

    /// Runs the command with the contract's exit statuses (``Status``); one line on
    /// stderr, never a stack trace.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--version" {
            printVersion(verbose: arguments.dropFirst().contains("--verbose"))
        }
        do {
            var command = try parseAsRoot(QueryArguments.normalized(arguments))
            try command.run()
        } catch let error as UsageError {
            fail(error.description, status: Status.error)
        } catch let error as QueryError {
            fail(error.description, status: Status.error)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch OutputError.brokenPipe {
            // The reader has what it wanted (`| head -1`): end quietly, as rg and git do;
            // something was being written, so something had matched.
            Foundation.exit(0)
        } catch {
            if let explained = DispatchIndex.describe(error) { fail(explained, status: Status.error) }
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                fail(message(for: error), status: Status.error)
            }
            fail(String(describing: error), status: Status.error)
        }
    }

    /// `depeche --version`; with `--verbose`, the versions an index depends on too.
    static func printVersion(verbose: Bool) -> Never {
        var text = "depeche \(version)\n"
        if verbose {
            text += "index schema \(DispatchIndex.schemaVersion), French analysis \(DispatchIndex.analyzerVersion)"
                + " (an index made with others must be rebuilt)\n"
            text += "SQLite \(DispatchIndex.sqliteVersion)\n"
        }
        try? Terminal.write(text)
        Foundation.exit(0)
    }

    static func fail(_ message: String, status: Int32) -> Never {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        OutputDescriptor.writeError("depeche: \(line)\n")
        Foundation.exit(status)
    }
}
