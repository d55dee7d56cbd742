import Foundation
import GRDB

/// `depeche_token_count(sz)`: the number of tokens FTS5 counted in a row, read from the
/// `sz` blob of its `dispatch_fts_docsize` shadow table (one varint per column).
///
/// depeche keeps each dispatch's length itself (`dispatch_facets.length`, counted from the
/// terms of the insert, ``PreanalyzedDocument/tokenCount``) and creates the full-text
/// table with `columnsize=0`: FTS5's table of row sizes cost a B-tree insert per
/// dispatch that nothing read. Indexes of schema 2 kept no lengths but have that table:
/// their upgrade reads it with this function. The blob layout is part of FTS5's file
/// format, which SQLite keeps stable across versions.
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
