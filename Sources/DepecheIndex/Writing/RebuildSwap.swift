import Foundation
import GRDB

/// The mark a rebuild leaves in the live index (`meta.rebuild_swap`, its process id)
/// while it copies the saved searches into its new file and puts that file in place:
/// a saved-search write in that window would be undone by the swap, so writers wait
/// (``DispatchIndex/writeSavedSearches(_:)``). The swap itself clears the mark (the new
/// content has none); the mark of a process that no longer runs is ignored.
enum RebuildSwap {
    static let key = "rebuild_swap"

    /// True while a live process is swapping a rebuild in.
    static func isUnderway(_ db: Database) throws -> Bool {
        guard let pid = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]).flatMap(Int32.init) else {
            return false
        }
        return pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// Marks the live index at `path` as being swapped by this process.
    static func begin(at path: String) throws {
        let index = try DispatchIndex(path: path)
        try index.queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, String(getpid())])
        }
    }

    /// Removes this process's mark (a swap that did not happen).
    static func abandon(at path: String) {
        guard let index = try? DispatchIndex(path: path) else { return }
        try? index.queue.write { db in
            try db.execute(sql: "DELETE FROM meta WHERE key = ? AND value = ?", arguments: [key, String(getpid())])
        }
    }
}
