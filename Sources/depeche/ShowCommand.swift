import ArgumentParser
import DepecheCore
import Foundation

/// `depeche show`: one whole dispatch.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one dispatch in full.",
        discussion: """
            The id is the one search prints (a page's file name, a record's id field, or FILE:LINE).

              depeche show 000_56b7b411e1511fc9
              depeche show orangesum-2 --format json
            """)

    @Argument(help: "The dispatch id.")
    var id: String

    @OptionGroup var database: DatabaseOption

    @Option(help: "text or json.")
    var format: DispatchFormat = .text

    enum DispatchFormat: String, ExpressibleByArgument { case text, json }

    func run() throws {
        let index = try DispatchIndex(path: database.path, readOnly: true)
        guard let dispatch = try index.dispatch(id: id) else {
            throw DepecheError("no dispatch with id '\(id)' in \(database.path)")
        }
        switch format {
        case .json: Terminal.write(DispatchPrinter.json(dispatch) + "\n")
        case .text: Terminal.write(DispatchPrinter.text(dispatch, width: Terminal.isTerminal(STDOUT_FILENO) ? Terminal.width() : nil))
        }
    }
}
