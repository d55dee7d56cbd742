import Foundation
import GRDB

/// `depeche_fold(text)`: ICU search folding as an SQL function, so that `source:` and
/// `category:` filters ignore case and accents (`société` = `SOCIETE`) the way
/// full-text terms do. SQLite's own `lower()` folds ASCII only.
final class FoldFunction: @unchecked Sendable {
    // SQLite may call the function from whichever thread runs the connection; the
    // ICU transliterator is not thread-safe, hence the lock (never contended: one
    // connection, one statement at a time).
    private let lock = NSLock()
    private let icu: ICUText
    /// A filter folds the source or category of every match, and an archive has only a
    /// few hundred of them: cached, each is transliterated once instead of per row.
    private var folded: [String: String] = [:]
    static let cacheLimit = 10_000

    init() throws {
        icu = try ICUText()
    }

    func fold(_ text: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let known = folded[text] { return known }
        if folded.count >= Self.cacheLimit { folded.removeAll(keepingCapacity: true) }
        let result = icu.fold(text)
        folded[text] = result
        return result
    }

    /// Registers the function on a connection.
    static func register(on db: Database) throws {
        let function = try FoldFunction()
        db.add(function: DatabaseFunction("depeche_fold", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map(function.fold)
        })
    }
}
