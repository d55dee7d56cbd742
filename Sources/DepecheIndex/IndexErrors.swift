import GRDB

extension DispatchIndex {
    /// An SQLite failure in words, without the SQL: what happened and what to do; nil
    /// when `error` is not SQLite's.
    public static func describe(_ error: Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL:
            return "the disk is full: the batch stopped; what was indexed before it is intact (free some space and run index again)"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "the index is locked by another depeche process; try again when it has finished"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return "cannot write the index: no write permission on it or its folder"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "the index is damaged (\(error.message ?? "corrupt")); rebuild it with `depeche index PATH... --rebuild`"
        default:
            return "index error: \(error.message ?? "\(error.resultCode)")"
        }
    }
}
