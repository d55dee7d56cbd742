import ArgumentParser
import Foundation
import DepecheIndex
import DepecheModel
import DepecheOutput

/// `--db`, shared by every command.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The index file.",
        discussion: "Defaults to $DEPECHE_DB, then to $XDG_DATA_HOME/depeche/index.sqlite, then to $HOME/.local/share/depeche/index.sqlite.",
        valueName: "file"))
    var db: String?

    /// The index opened for writing: an index of an older schema is upgraded in place,
    /// and that is said (one rule for every writing command; reading ones refuse it and
    /// say how to upgrade).
    func openForWriting() throws -> DispatchIndex {
        let index = try DispatchIndex(path: path)
        Self.sayUpgraded(path, from: index.upgradedFrom)
        return index
    }

    static func sayUpgraded(_ path: String, from version: Int?) {
        guard let version else { return }
        Terminal.writeError("depeche: upgraded the index \(path) in place from schema \(version) to \(DispatchIndex.schemaVersion) "
            + "(older versions of depeche no longer read it)\n")
    }

    var path: String {
        if let db { return db }
        let environment = ProcessInfo.processInfo.environment
        if let fromEnvironment = environment["DEPECHE_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        // $HOME as set, not the password database's (NSHomeDirectory): a script that
        // changes HOME expects its index there.
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("depeche/index.sqlite")
    }
}

/// Dates on the command line: `2020-12-09`, or `2020-12` / `2020` for a whole month
/// or year (its first day as a start, its last day as an end).
enum DateArgument {
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or the French `JJ/MM/AAAA` and `MM/AAAA` the
    /// indexer reads in files (`17/03/2020`); a month or year stands for its first day,
    /// or its last when `asEnd` (`--until`).
    static func parse(_ text: String, option: String, asEnd: Bool) throws -> Day {
        let slashed = text.split(separator: "/", omittingEmptySubsequences: false)
        if slashed.count > 1 {
            let reordered = slashed.count <= 3 && slashed.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
                ? slashed.reversed().map { $0.count == 1 ? "0" + $0 : String($0) }.joined(separator: "-") : ""
            return try parse(reordered.isEmpty ? text.replacingOccurrences(of: "/", with: "?") : reordered, option: option, asEnd: asEnd, as: text)
        }
        return try parse(text, option: option, asEnd: asEnd, as: text)
    }

    private static func parse(_ text: String, option: String, asEnd: Bool, as written: String) throws -> Day {
        let parts = text.split(separator: "-").map { Int($0) }
        var day: Day?
        switch parts.count {
        case 3: day = Day(iso: text)
        case 2:
            if let year = parts[0], let month = parts[1], let first = Day(year: year, month: month, day: 1) {
                day = asEnd ? Day(year: year, month: month, day: Day.length(ofMonth: month, in: year)) : first
            }
        case 1:
            if let year = parts[0], text.count == 4 { day = Day(year: year, month: asEnd ? 12 : 1, day: asEnd ? 31 : 1) }
        default: break
        }
        guard let day else { throw UsageError("\(option) \(written): expected a date as YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY") }
        return day
    }
}

/// `--color auto|always|never`.
enum ColorChoice: String, ExpressibleByArgument {
    case auto, always, never

    /// ANSI marks when asked (`--color always`), or on a terminal unless `NO_COLOR` is set
    /// to something (no-color.org: an empty value counts as unset) or `TERM` is `dumb`.
    func style(onTerminal: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> MatchStyle {
        switch self {
        case .always: return .ansi
        case .never: return .brackets
        case .auto:
            let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
            return onTerminal && !noColor && environment["TERM"] != "dumb" ? .ansi : .brackets
        }
    }
}

/// Whether standard output or error is a terminal, and how wide.
enum Terminal {
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    static func width() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Writes to standard output in one call; throws ``OutputError`` when it cannot (a
    /// closed pipe ends the command quietly, see `Depeche.main`).
    static func write(_ text: String) throws {
        try OutputDescriptor.write(Data(text.utf8), to: STDOUT_FILENO, target: "standard output")
    }

    /// Writes to standard error; a closed or failing standard error is ignored.
    static func writeError(_ text: String) {
        OutputDescriptor.writeError(text)
    }

    /// Redraws (or, given nothing, erases) the progress line of standard error.
    static func writeProgress(_ text: String = "") {
        OutputDescriptor.writeProgress(text)
    }
}
