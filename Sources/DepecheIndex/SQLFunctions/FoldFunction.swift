import Foundation
import GRDB
import DepecheAnalysis

/// `depeche_fold(text)`: ICU search folding as an SQL function, so that `source:` and
/// `category:` filters ignore case and accents (`société` = `SOCIETE`) the way
/// full-text terms do. SQLite's own `lower()` folds ASCII only.
final class FoldFunction: @unchecked Sendable {
    static let name = "depeche_fold"

    // SQLite may call the function from whichever thread runs the connection; the
    // ICU transliterator is not thread-safe, hence the lock (never contended: one
    // connection, one statement at a time). Filters fold the distinct values of
    // `facet_values`, not every match, so no cache is needed.
    private let lock = NSLock()
    private let icu: ICUText

    init() throws {
        icu = try ICUText()
    }

    func fold(_ text: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        return icu.fold(text)
    }

    /// Registers the function on a connection.
    static func register(on db: Database) throws {
        let function = try FoldFunction()
        db.add(function: DatabaseFunction(name, argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map(function.fold)
        })
    }
}
