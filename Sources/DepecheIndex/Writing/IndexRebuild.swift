import Foundation
import GRDB
import DepecheModel

/// A new index built beside the one it replaces (`PATH.rebuild-PID`, tuned for bulk
/// loading) and put in its place only once complete (``putInPlace(replacing:)``): a first
/// build, or `--rebuild`. A run killed before leaves the old index as it was, and its
/// temporary files are removed by the next rebuild (their process no longer runs).
///
///     let rebuild = try IndexRebuild(of: "depeche.sqlite")
///     defer { rebuild.discard() }
///     try rebuild.index.writeBatch(bulk: true) { writer in … }
///     try rebuild.putInPlace(replacing: .depecheIndex)
public final class IndexRebuild {
    /// The new index, to be filled.
    public let index: DispatchIndex
    /// Where it is built.
    let temporary: String
    /// The index it replaces.
    let target: String

    /// Starts a new index beside `target` (a resolved path), after removing what killed
    /// rebuilds of it left behind.
    public init(of target: String) throws {
        Self.removeAbandonedRebuilds(of: target)
        self.target = target
        temporary = target + ".rebuild-\(ProcessInfo.processInfo.processIdentifier)"
        Self.removeDatabaseFiles(at: temporary)
        index = try DispatchIndex.create(path: temporary, bulk: true)
    }

    /// Removes the new index's files (nothing once it is in place).
    public func discard() {
        Self.removeDatabaseFiles(at: temporary)
    }

    /// Puts the new index in place of `target`, which was a file of kind `replaced` when
    /// the run began: an index's saved searches and run numbers are carried over, and
    /// saved-search writers wait meanwhile (``RebuildSwap``). Returns false when a reader
    /// of the old content kept its space from being reclaimed (the next write reclaims it).
    public func putInPlace(replacing replaced: IndexFile.Kind) throws -> Bool {
        let live = replaced == .depecheIndex
        let marked = live && (try? RebuildSwap.begin(at: target)) != nil
        do {
            if live { index.queue.writeWithoutTransaction { IndexRuns.carryOver(from: target, into: $0) } }
            try index.queue.close()
            return try Self.swapIn(temporary, replacing: target)
        } catch {
            if marked { RebuildSwap.abandon(at: target) }
            throw error
        }
    }

    /// Puts a freshly built index file in place of the live one.
    ///
    /// When there is no live index, a rename is atomic and enough. Otherwise the new
    /// pages are copied into the live file with SQLite's backup API, in one transaction:
    /// searches running meanwhile keep their snapshot (WAL), and a run killed mid-copy
    /// leaves the old index intact, which a rename over a WAL database would not
    /// guarantee (its -wal and -shm files belong to the old file).
    /// Returns false when the new index is in place but a reader of the old one kept its
    /// space from being reclaimed (the next write reclaims it).
    @discardableResult
    static func swapIn(_ temporary: String, replacing live: String) throws -> Bool {
        let source = try DatabaseQueue(path: temporary, configuration: DispatchIndex.configuration(readOnly: false))
        try source.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        switch IndexFile.kind(at: live) {
        case .missing, .empty: break
        case .depecheIndex:
            do {
                let destination = try DispatchIndex(path: live)
                try source.backup(to: destination.queue)
                // The new content is committed. Folding the WAL (as large as the index
                // now) back into the file waits for every reader of the old content: a
                // long export would make a rebuild that succeeded report "locked". Try
                // without waiting; a reader left holding the old pages only delays it.
                return try destination.queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA busy_timeout = 0")
                    do {
                        _ = try db.checkpoint(.truncate)
                        return true
                    } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                        return false
                    }
                }
            } catch DispatchIndex.OpenError.unreadable, DispatchIndex.OpenError.otherAnalyzer, DispatchIndex.OpenError.newerSchema {
                // Replaced below: a rebuild was asked for, and the old content cannot be
                // read, or not with this analyzer or schema.
            }
        case let other:
            // Checked when the run started; something else has been put there since.
            throw IndexFile.refusal(live, other)
        }
        try source.close()
        removeDatabaseFiles(at: live)
        if rename(temporary, live) != 0 {
            throw DepecheError("cannot move the new index into place at \(live): \(String(cString: strerror(errno)))")
        }
        return true
    }

    /// Deletes the temporary files of rebuilds whose process no longer runs (killed):
    /// `index.sqlite.rebuild-PID`, with its -wal, -shm or -journal.
    static func removeAbandonedRebuilds(of databasePath: String) {
        let folder = (databasePath as NSString).deletingLastPathComponent
        let prefix = (databasePath as NSString).lastPathComponent + ".rebuild-"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        for entry in entries where entry.hasPrefix(prefix) {
            let suffix = entry.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(suffix), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(entry))
        }
    }

    static func removeDatabaseFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
