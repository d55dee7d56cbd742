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
            Index dispatches (scraped agency pages, JSON Lines, gzip) into one SQLite file, then
            search them with French-aware matching (accents, ligatures, elision, stemming),
            ranked by relevance and recency.

              depeche index corpus/ --db depeche.sqlite
              depeche search "Rosatom data center" --db depeche.sqlite
              depeche show 000_56b7b411e1511fc9 --db depeche.sqlite
            """,
        subcommands: [IndexCommand.self, SearchCommand.self, ExportCommand.self, ShowCommand.self, StatsCommand.self])

    /// Runs the command with the contract's exit statuses: 0 success, 2 usage or
    /// query error, 1 any other failure; one line on stderr, never a stack trace.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UsageError {
            fail(error.description, status: 2)
        } catch let error as QueryError {
            fail(error.description, status: 2)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch OutputError.brokenPipe {
            // The reader has what it wanted (`| head -1`): end quietly, as rg and git do;
            // something was being written, so something had matched.
            Foundation.exit(0)
        } catch {
            if let explained = DispatchIndex.describe(error) { fail(explained, status: 1) }
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                fail(message(for: error), status: 2)
            }
            fail(String(describing: error), status: 1)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        OutputDescriptor.writeError("depeche: \(line)\n")
        Foundation.exit(status)
    }
}
