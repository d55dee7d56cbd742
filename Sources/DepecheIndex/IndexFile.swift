import Foundation
import GRDB
import DepecheModel

/// What a path given as the index (`--db`) holds, told from the file system and the
/// SQLite header, before depeche opens, writes, upgrades or replaces anything there.
///
/// depeche never writes into a file it did not make: only a missing path, an empty
/// file, an SQLite file with no tables (what a killed first build of an older depeche
/// could leave) or a depeche index may be created, written or replaced.
///
///     switch IndexFile.kind(at: path) {
///     case .missing, .empty: // build a new index there
///     case .depecheIndex: // open it
///     case let other: throw IndexFile.refusal(path, other)
///     }
public enum IndexFile {
    /// `PRAGMA application_id` of every depeche index ("DPCH"), at offset 68 of the
    /// SQLite header: it survives damage to the pages after the header, so that a
    /// damaged depeche index can still be told from another program's database.
    public static let applicationID: Int32 = 0x4450_4348

    /// What a path is, as far as depeche is concerned.
    public enum Kind: Equatable, Sendable {
        case missing
        /// A regular file with no bytes, or an SQLite database with no tables.
        case empty
        /// An index made by depeche: marked with ``IndexFile/applicationID``, or, from
        /// before the mark, unmarked with depeche's `meta` and `dispatches` tables.
        case depecheIndex
        /// An SQLite database of another program (or one too damaged to tell).
        case otherDatabase
        /// A regular file that is not an SQLite database (a CSV, a text…).
        case otherFile
        case folder
        /// A device, a FIFO or a socket.
        case special
        /// A file this process may not read: what it is cannot be told.
        case unreadable
    }

    /// Classifies `path`, following symbolic links.
    public static func kind(at path: String) -> Kind {
        var status = stat()
        guard stat(path, &status) == 0 else { return errno == ENOENT ? .missing : .otherFile }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFREG: break
        default: return .special
        }
        if status.st_size == 0 { return .empty }
        guard let header = readHeader(path) else { return .unreadable }
        guard header.count == 100 else { return .otherFile }
        guard header.starts(with: Array("SQLite format 3\0".utf8)) else { return .otherFile }
        let marked = header[68..<72].reduce(Int32(0)) { ($0 << 8) | Int32($1) }
        if marked == applicationID { return .depecheIndex }
        if marked != 0 { return .otherDatabase }
        return unmarkedKind(path)
    }

    /// The one-line refusal for a path depeche must leave alone.
    public static func refusal(_ path: String, _ kind: Kind) -> DepecheError {
        if kind == .unreadable { return DepecheError("cannot read \(path): \(String(cString: strerror(EACCES))); depeche leaves it untouched") }
        let what: String
        switch kind {
        case .folder: what = "a folder"
        case .special: what = "a device, FIFO or socket"
        case .otherDatabase: what = "an SQLite database that depeche did not make"
        case .otherFile: what = "a file that is not a depeche index"
        case .missing, .empty, .depecheIndex, .unreadable: what = "not a depeche index"
        }
        return DepecheError("\(path) is \(what); depeche leaves it untouched: give another --db")
    }

    private static func readHeader(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 100) }
        return count < 0 ? nil : Array(header.prefix(count))
    }

    /// An SQLite file without the mark: empty, an index from before the mark, or
    /// another program's. Read-only, without creating a journal or touching the file.
    private static func unmarkedKind(_ path: String) -> Kind {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration),
              let names = try? queue.read({ db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }) else {
            return .otherDatabase
        }
        try? queue.close()
        if names.isEmpty { return .empty }
        return names.contains("meta") && names.contains("dispatches") && names.contains("dispatch_fts") ? .depecheIndex : .otherDatabase
    }
}
