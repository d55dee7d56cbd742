import ArgumentParser
import Foundation
import DepecheIndex
import DepecheModel
import DepecheOutput
import DepecheSearch

/// `depeche show`: one whole dispatch.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one dispatch in full.",
        discussion: """
            The id is the one search prints (a page's file name, a record's id field, or FILE:LINE). \
            The other dispatches of its story (versions, re-publications) are listed after it.

              depeche show 000_56b7b411e1511fc9
              depeche show 000_56b7b411e1511fc9 --query "Rosatom data center"
              depeche show orangesum-2 --format json
            """)

    @Argument(help: "The dispatch id.")
    var id: String

    @OptionGroup var database: DatabaseOption

    @Option(help: "text or json.")
    var format: DispatchFormat = .text

    @Option(help: ArgumentHelp("Mark the words of this query in the text.", valueName: "query"))
    var query: String?

    @Option(help: "Colour the marks: auto (on a terminal, unless NO_COLOR is set), always, never.")
    var color: ColorChoice = .auto

    enum DispatchFormat: String, ExpressibleByArgument { case text, json }

    func run() throws {
        let index = try DispatchIndex(path: database.path, readOnly: true)
        guard let dispatch = try index.dispatch(id: id) else {
            throw DepecheError("no dispatch with id '\(id)' in \(database.path)")
        }
        let story = try index.reading { try $0.story(ofDispatch: id) }
        let similar = story?.members.filter { $0.id != dispatch.id } ?? []
        switch format {
        case .json: try Terminal.write(DispatchPrinter.json(dispatch, group: story?.group, similar: similar) + "\n")
        case .text:
            let highlighted = try query.flatMap { try Searcher(index: index).highlight(id: id, query: $0) }
            let onTerminal = Terminal.isTerminal(STDOUT_FILENO)
            try Terminal.write(DispatchPrinter.text(dispatch, width: onTerminal ? Terminal.width() : nil,
                                                highlighted: highlighted, style: color.style(onTerminal: onTerminal), similar: similar))
        }
    }
}
