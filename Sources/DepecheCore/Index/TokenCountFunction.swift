import Foundation
import GRDB

/// `depeche_token_count(sz)`: the number of tokens FTS5 counted in a row, read from the
/// `sz` blob of its `dispatch_fts_docsize` shadow table (one SQLite varint per column).
///
/// `dispatch_facets.length` is filled from it as each dispatch is indexed, so that
/// ``RelevanceFunction`` gets the very length FTS5's own bm25 would use without FTS5's
/// per-row lookup. The blob layout is part of FTS5's file format, which SQLite keeps
/// stable across versions.
enum TokenCountFunction {
    static let name = "depeche_token_count"

    /// The sum of the varints in `blob`.
    static func tokenCount(_ blob: some Sequence<UInt8>) -> Int {
        varints(blob).reduce(0, +)
    }

    /// The varints of an FTS5 record: big-endian groups of 7 bits, the high bit set on
    /// every byte but the last of a number (FTS5 writes them with `sqlite3Fts5PutVarint`).
    static func varints(_ blob: some Sequence<UInt8>) -> [Int] {
        var numbers: [Int] = [], value = 0
        for byte in blob {
            value = value << 7 | Int(byte & 0x7f)
            if byte & 0x80 == 0 {
                numbers.append(value)
                value = 0
            }
        }
        return numbers
    }

    static func register(on db: Database) {
        db.add(function: DatabaseFunction(name, argumentCount: 1, pure: true) { values in
            Data.fromDatabaseValue(values[0]).map(tokenCount)
        })
    }
}
