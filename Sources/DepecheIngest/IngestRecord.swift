import DepecheModel

/// A dispatch as a reader produced it, before the batch settles what the reader
/// could not know alone: the year of a date written without one.
public struct IngestRecord: Sendable {
    public var dispatch: Dispatch
    /// Day and month read from the source, waiting for a year (`--year`, or inference).
    public var yearlessDate: (day: Int, month: Int)?
    /// The columns that filled each field, for records read from JSON or CSV (`index --dry-run`).
    public var columns: [DispatchField: String]?

    public init(dispatch: Dispatch, yearlessDate: (day: Int, month: Int)? = nil) {
        self.dispatch = dispatch
        self.yearlessDate = yearlessDate
    }

    /// Builds a record from a written date, complete or not.
    init(dispatch: Dispatch, writtenDate: WrittenDate?) {
        var dispatch = dispatch
        switch writtenDate {
        case .full(let day):
            dispatch.date = day
            dispatch.dateQuality = .explicit
            self.init(dispatch: dispatch)
        case .dayAndMonth(let day, let month):
            self.init(dispatch: dispatch, yearlessDate: (day, month))
        case nil:
            self.init(dispatch: dispatch)
        }
    }
}

/// Something wrong with one record or file. The rest of the batch goes on.
public struct IngestProblem: Error, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based line, when the problem has one.
    public let line: Int?
    public let message: String
    /// A repair: the text was read and kept, mended (Windows-1252 bytes, control
    /// characters); said on its line, and counted as repaired rather than as a problem.
    public let isRepair: Bool

    public init(file: String, line: Int? = nil, message: String, isRepair: Bool = false) {
        self.file = file
        self.line = line
        self.message = message
        self.isRepair = isRepair
    }

    /// `FILE:LINE: problem`, or `FILE: problem`.
    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}
