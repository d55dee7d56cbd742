import Foundation
import GRDB
import GRDBSQLite

/// A search's time budget on its connection: SQLite's progress handler, called every
/// few thousand virtual-machine steps, interrupts the running statement once the
/// deadline has passed, and the search answers with what it has (``SearchResult/partial``).
///
///     let deadline = SearchDeadline(seconds: 5, on: db)
///     defer { deadline.remove() }
final class SearchDeadline {
    /// Virtual-machine steps between two looks at the clock.
    static let stepsBetweenChecks: Int32 = 4_096
    /// The longest budget taken as given, in seconds.
    static let longest = 86_400.0

    private let deadline: UInt64
    private let connection: OpaquePointer?
    /// True once the handler has interrupted a statement.
    private(set) var passed = false

    init(seconds: Double, on db: Database) {
        // At most a day: beyond, the nanoseconds would not fit (and nobody waits that long).
        deadline = DispatchTime.now().uptimeNanoseconds + UInt64(min(max(0, seconds), Self.longest) * 1e9)
        connection = db.sqliteConnection
        sqlite3_progress_handler(connection, Self.stepsBetweenChecks, { context in
            guard let context else { return 0 }
            let budget = Unmanaged<SearchDeadline>.fromOpaque(context).takeUnretainedValue()
            guard DispatchTime.now().uptimeNanoseconds >= budget.deadline else { return 0 }
            budget.passed = true
            return 1
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Takes the handler off the connection, which later reads reuse.
    func remove() {
        sqlite3_progress_handler(connection, 0, nil, nil)
    }
}

/// Thrown by a read whose time budget ran out (``DispatchIndex/reading(timeBudget:_:)``).
public struct TimeBudgetExhausted: Error, Sendable {}

extension DispatchIndex {
    /// Runs `body` with an ``IndexReader`` on one read of the index. With a time budget
    /// (seconds), a statement still running when it passes is interrupted and the read
    /// throws ``TimeBudgetExhausted``: the caller answers with what it has.
    public func reading<T>(timeBudget: Double? = nil, _ body: (IndexReader) throws -> T) throws -> T {
        try read { db in
            let deadline = timeBudget.map { SearchDeadline(seconds: $0, on: db) }
            defer { deadline?.remove() }
            do {
                return try body(IndexReader(db: db, index: self))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && deadline?.passed == true {
                throw TimeBudgetExhausted()
            }
        }
    }
}
