import Foundation
import GRDB
import GRDBSQLite

/// `depeche_relevance(dispatch_fts, length)`: an FTS5 auxiliary function computing the
/// same bm25 as FTS5's built-in `bm25()` with ``DispatchIndex/columnWeights`` (higher is
/// better), but taking the dispatch's length in tokens as an argument.
///
/// Why not the built-in: bm25 needs each matching row's length, and FTS5 reads it with
/// one SQL statement per row from its `docsize` table, which was half the cost of ranking
/// a common word (412,000 matches of `france` at 1,000,000 dispatches). The length kept
/// in `dispatch_facets`, which ranking joins anyway for the date, comes with the row.
/// A NULL length falls back to FTS5's own lookup.
///
/// bm25, as FTS5 computes it: for each phrase of the query, `idf × f × (k1 + 1) /
/// (f + k1 × (1 − b + b × length / average length))`, summed, where `f` is the phrase's
/// weighted count in the row (each instance counts its column's weight) and `idf` is
/// `log((N − n + 0.5) / (n + 0.5))` (at least 1e-6) for `n` of the `N` rows holding it.
enum RelevanceFunction {
    static let name = "depeche_relevance"
    static let k1 = 1.2, b = 0.75

    /// What bm25 needs of the query as a whole, computed on its first row and kept by FTS5
    /// for the rest of the statement (`xSetAuxdata`); also the per-row scratch counts.
    private final class QueryStatistics {
        var inverseDocumentFrequencies: [Double] = []
        var averageLength = 1.0
        var phraseFrequencies: [Double] = []
    }

    /// Registers the function with the FTS5 module of a connection.
    static func register(on db: Database) throws {
        let api = FTS5.api(db)
        let status = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), name, nil, relevance, nil)
        guard status == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: status), message: "cannot register \(name)") }
    }

    private static let weights = [DispatchIndex.columnWeights.title, DispatchIndex.columnWeights.standfirst, DispatchIndex.columnWeights.body]

    private static let relevance: fts5_extension_function = { api, context, result, argumentCount, arguments in
        guard let api = api?.pointee else { return }
        let status = RelevanceFunction.score(api, context, argumentCount > 0 ? arguments?[0] : nil) { sqlite3_result_double(result, $0) }
        if status != SQLITE_OK { sqlite3_result_error_code(result, status) }
    }

    /// Scores the current row; returns an SQLite status.
    private static func score(_ api: Fts5ExtensionApi, _ context: OpaquePointer?, _ lengthValue: OpaquePointer?,
                              _ report: (Double) -> Void) -> Int32 {
        let statistics: QueryStatistics
        if let stored = api.xGetAuxdata(context, 0) {
            statistics = Unmanaged<QueryStatistics>.fromOpaque(stored).takeUnretainedValue()
        } else {
            var status = SQLITE_OK
            (statistics, status) = queryStatistics(api, context)
            if status != SQLITE_OK { return status }
            status = api.xSetAuxdata(context, Unmanaged.passRetained(statistics).toOpaque()) { pointer in
                pointer.map { Unmanaged<QueryStatistics>.fromOpaque($0).release() }
            }
            if status != SQLITE_OK { return status }
        }
        for phrase in statistics.phraseFrequencies.indices { statistics.phraseFrequencies[phrase] = 0 }
        var instances: Int32 = 0
        var status = api.xInstCount(context, &instances)
        for instance in 0..<instances where status == SQLITE_OK {
            var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
            status = api.xInst(context, instance, &phrase, &column, &offset)
            statistics.phraseFrequencies[Int(phrase)] += Int(column) < weights.count ? weights[Int(column)] : 1
        }
        if status != SQLITE_OK { return status }
        var length: Double
        if let lengthValue, sqlite3_value_type(lengthValue) == SQLITE_INTEGER {
            length = Double(sqlite3_value_int64(lengthValue))
        } else {
            var tokens: Int32 = 0
            status = api.xColumnSize(context, -1, &tokens)
            if status != SQLITE_OK { return status }
            length = Double(tokens)
        }
        let normalization = k1 * (1 - b + b * length / statistics.averageLength)
        var score = 0.0
        for (phrase, frequency) in statistics.phraseFrequencies.enumerated() {
            score += statistics.inverseDocumentFrequencies[phrase] * frequency * (k1 + 1) / (frequency + normalization)
        }
        report(score)
        return SQLITE_OK
    }

    private static func queryStatistics(_ api: Fts5ExtensionApi, _ context: OpaquePointer?) -> (QueryStatistics, Int32) {
        let statistics = QueryStatistics()
        var rows: Int64 = 0, tokens: Int64 = 0
        var status = api.xRowCount(context, &rows)
        if status == SQLITE_OK { status = api.xColumnTotalSize(context, -1, &tokens) }
        statistics.averageLength = rows > 0 ? Double(tokens) / Double(rows) : 1
        let phrases = Int(api.xPhraseCount(context))
        for phrase in 0..<phrases where status == SQLITE_OK {
            var holders: Int64 = 0
            status = api.xQueryPhrase(context, Int32(phrase), &holders) { _, _, counter in
                counter?.assumingMemoryBound(to: Int64.self).pointee += 1
                return SQLITE_OK
            }
            let idf = log((Double(rows) - Double(holders) + 0.5) / (Double(holders) + 0.5))
            statistics.inverseDocumentFrequencies.append(idf > 0 ? idf : 1e-6)
        }
        statistics.phraseFrequencies = Array(repeating: 0, count: phrases)
        return (statistics, status)
    }
}
