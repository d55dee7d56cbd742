import Foundation
import GRDB
import GRDBSQLite
import DepecheModel
import DepecheRanking

/// `depeche_relevance(dispatch_fts [, statistics])`: an FTS5 auxiliary function
/// computing the same bm25 as FTS5's built-in `bm25()` with ``DispatchIndex/columnWeights``
/// (higher is better), but reading each dispatch's length from ``DispatchColumns``.
///
/// Why not the built-in: bm25 needs each matching row's length, and FTS5 finds it per
/// row, with an SQL statement on its `docsize` table (half the cost of ranking a common
/// word: 412,000 matches of `france` at 1,000,000 dispatches) or, as the table is now
/// created without one (`columnsize=0`), by tokenizing the row again; the columns read
/// it from a block of 4,096 lengths kept in memory.
///
/// bm25 as FTS5 computes it (``BM25Statistics``).
///
/// The idf needs every phrase's rows counted, a walk through its whole doclist. A search
/// that scans the matches in several statements (``Searcher``'s recency-ordered blocks)
/// counts once with `depeche_query_statistics(dispatch_fts)` and passes the blob it
/// returns as `statistics`. A `statistics` of 1 (an integer) takes every idf as 1: for a
/// query of one phrase the idf multiplies every score alike, so the order, and the
/// relevance scaled to its ceiling, are the same without the walk; the search scales
/// the scores it shows once it has counted the matches (``BM25Statistics/unweighted(averageLength:groups:layout:)``).
enum RelevanceFunction {
    static let name = "depeche_relevance"
    static let statisticsName = "depeche_query_statistics"
    /// The statistics of a statement, kept by FTS5 from the first row to the last
    /// (`xSetAuxdata`), with the buffers grouped scoring reuses from row to row.
    private final class RowScorer {
        let statistics: BM25Statistics
        /// Each group's phrases, when the statistics have a layout.
        let groupPhrases: [[Int32]]
        /// The statistics' ceiling, added once per group found in an exact form.
        let ceiling: Double
        /// One group's instances in a row: position (column, offset) and weight.
        var instances: [(position: Int64, weight: Double)] = []
        /// Each group's distinct positions in a row, in order, for proximity.
        var positions: [[Int64]]

        init(statistics: BM25Statistics) {
            self.statistics = statistics
            var groupPhrases = Array(repeating: [Int32](), count: statistics.inverseDocumentFrequencies.count)
            for (phrase, group) in (statistics.layout?.groups ?? []).enumerated() { groupPhrases[group].append(Int32(phrase)) }
            self.groupPhrases = groupPhrases
            ceiling = statistics.ceiling
            positions = Array(repeating: [], count: groupPhrases.count)
        }
    }

    /// The number of rows FTS5 has indexed (bm25's N) and their average length, from its
    /// averages record (`dispatch_fts_data` row 1: the row count, then each column's
    /// token total), without a statement over the full-text table.
    static func indexTotals(_ db: Database) throws -> (rows: Int, averageLength: Double) {
        let record = try Data.fetchOne(db, sql: "SELECT block FROM dispatch_fts_data WHERE id = 1") ?? Data()
        let numbers = TokenCountFunction.varints(record)
        guard let rows = numbers.first, rows > 0 else { return (0, 1) }
        return (rows, Double(numbers.dropFirst().reduce(0, +)) / Double(rows))
    }

    /// Registers both functions with the FTS5 module of a connection, whose `columns`
    /// give the lengths (kept alive by the connection).
    static func register(on db: Database, columns: DispatchColumns) throws {
        let api = FTS5.api(db)
        func create(_ functionName: String, _ function: fts5_extension_function, userData: UnsafeMutableRawPointer?,
                    release: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) throws {
            let status = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), functionName, userData, function, release)
            guard status == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: status), message: "cannot register \(functionName)") }
        }
        try create(name, relevance, userData: Unmanaged.passRetained(columns).toOpaque()) { pointer in
            pointer.map { Unmanaged<DispatchColumns>.fromOpaque($0).release() }
        }
        try create(statisticsName, statistics, userData: nil, release: nil)
    }

    /// SQLite's SQLITE_TRANSIENT (copy the result now), a macro Swift cannot import.
    private static let copyResult = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// The weight of an instance in `column`.
    private static func weight(_ column: Int32) -> Double {
        switch column {
        case 0: return DispatchIndex.columnWeights.title
        case 1: return DispatchIndex.columnWeights.standfirst
        case 2: return DispatchIndex.columnWeights.body
        default: return 1
        }
    }

    private static let relevance: fts5_extension_function = { api, context, result, argumentCount, arguments in
        guard let api = api?.pointee, let columns = api.xUserData(context) else { return }
        let statistics = argumentCount > 0 ? arguments?[0] : nil
        let length = Unmanaged<DispatchColumns>.fromOpaque(columns).takeUnretainedValue()
            .value(.length, rowid: api.xRowid(context), connection: sqlite3_context_db_handle(result))
        let status = RelevanceFunction.score(api, context, length: length, statistics: statistics) { sqlite3_result_double(result, $0) }
        if status != SQLITE_OK { sqlite3_result_error_code(result, status) }
    }

    private static let statistics: fts5_extension_function = { api, context, result, _, _ in
        guard let api = api?.pointee else { return }
        let (statistics, status) = RelevanceFunction.queryStatistics(api, context)
        guard status == SQLITE_OK else { return sqlite3_result_error_code(result, status) }
        let encoded = statistics.encoded
        encoded.withUnsafeBytes { bytes in sqlite3_result_blob(result, bytes.baseAddress, Int32(bytes.count), copyResult) }
    }

    /// Scores the current row; returns an SQLite status.
    private static func score(_ api: Fts5ExtensionApi, _ context: OpaquePointer?, length: Int32,
                              statistics statisticsValue: OpaquePointer?, _ report: (Double) -> Void) -> Int32 {
        let scorer: RowScorer
        if let stored = api.xGetAuxdata(context, 0) {
            scorer = Unmanaged<RowScorer>.fromOpaque(stored).takeUnretainedValue()
        } else {
            var statistics: BM25Statistics
            if let statisticsValue, sqlite3_value_type(statisticsValue) == SQLITE_BLOB {
                let blob = Data(bytes: sqlite3_value_blob(statisticsValue), count: Int(sqlite3_value_bytes(statisticsValue)))
                let phrases = Int(api.xPhraseCount(context))
                guard let given = BM25Statistics(encoded: blob),
                      (given.layout?.groups.count ?? given.inverseDocumentFrequencies.count) == phrases else { return SQLITE_MISMATCH }
                statistics = given
            } else if let statisticsValue, sqlite3_value_type(statisticsValue) == SQLITE_INTEGER {
                var status = SQLITE_OK
                (statistics, status) = unweightedStatistics(api, context)
                if status != SQLITE_OK { return status }
            } else {
                var status = SQLITE_OK
                (statistics, status) = queryStatistics(api, context)
                if status != SQLITE_OK { return status }
            }
            scorer = RowScorer(statistics: statistics)
            let status = api.xSetAuxdata(context, Unmanaged.passRetained(scorer).toOpaque()) { pointer in
                pointer.map { Unmanaged<RowScorer>.fromOpaque($0).release() }
            }
            if status != SQLITE_OK { return status }
        }
        let statistics = scorer.statistics
        var score = BM25Statistics.RowScore(statistics, length: length)
        guard let layout = statistics.layout else {
            // Each phrase's instances walked on their own (FTS5's xInst would first sort every
            // phrase's instances into one array), in the order FTS5's bm25 sums them.
            for (phrase, idf) in statistics.inverseDocumentFrequencies.enumerated() {
                var iterator = Fts5PhraseIter(), column: Int32 = 0, offset: Int32 = 0
                let status = api.xPhraseFirst(context, Int32(phrase), &iterator, &column, &offset)
                if status != SQLITE_OK { return status }
                var frequency = 0.0
                while column >= 0 {
                    frequency += weight(column)
                    api.xPhraseNext(context, &iterator, &column, &offset)
                }
                score.add(frequency: frequency, idf: idf)
            }
            report(score.bm25)
            return SQLITE_OK
        }
        // A group's phrases (a word's forms) share positions: a word written in its exact
        // form matches its stem at the same place. Each position counts once, at the
        // weight of the best form found there. The tier (``BM25Statistics/Layout``): each
        // group adds the points of the best kind of form found in the row (two for the
        // word as typed, one for a synonym), one more when the groups stand close
        // together in the query's order; each point adds the ceiling.
        var tier = 0
        let groupCount = statistics.inverseDocumentFrequencies.count
        for (group, idf) in statistics.inverseDocumentFrequencies.enumerated() {
            scorer.instances.removeAll(keepingCapacity: true)
            scorer.positions[group].removeAll(keepingCapacity: true)
            var groupPoints = 0
            for phrase in scorer.groupPhrases[group] {
                let formWeight = layout.weights[Int(phrase)]
                var iterator = Fts5PhraseIter(), column: Int32 = 0, offset: Int32 = 0
                let status = api.xPhraseFirst(context, phrase, &iterator, &column, &offset)
                if status != SQLITE_OK { return status }
                if column >= 0 { groupPoints = max(groupPoints, layout.tiers[Int(phrase)]) }
                while column >= 0 {
                    scorer.instances.append((Int64(column) << 32 | Int64(offset), formWeight))
                    api.xPhraseNext(context, &iterator, &column, &offset)
                }
            }
            if scorer.groupPhrases[group].count > 1 { scorer.instances.sort { $0.position < $1.position } }
            var frequency = 0.0
            var index = 0
            let instances = scorer.instances
            while index < instances.count {
                let position = instances[index].position
                var best = instances[index].weight
                index += 1
                while index < instances.count, instances[index].position == position {
                    best = max(best, instances[index].weight)
                    index += 1
                }
                frequency += weight(Int32(truncatingIfNeeded: position >> 32)) * best
                if groupCount > 1 { scorer.positions[group].append(position) }
            }
            score.add(frequency: frequency, idf: idf)
            tier += groupPoints
        }
        let close = groupCount > 1 && (1..<groupCount).allSatisfy { BM25Statistics.standClose(scorer.positions[$0 - 1], scorer.positions[$0]) }
        report(score.relevance(points: tier + (close ? 1 : 0), ceiling: scorer.ceiling))
        return SQLITE_OK
    }

    /// The average length and the row count, which FTS5 keeps (no walk).
    private static func totals(_ api: Fts5ExtensionApi, _ context: OpaquePointer?) -> (averageLength: Double, rows: Int64, Int32) {
        var rows: Int64 = 0, tokens: Int64 = 0
        var status = api.xRowCount(context, &rows)
        if status == SQLITE_OK { status = api.xColumnTotalSize(context, -1, &tokens) }
        return (rows > 0 ? Double(tokens) / Double(rows) : 1, rows, status)
    }

    private static func unweightedStatistics(_ api: Fts5ExtensionApi, _ context: OpaquePointer?) -> (BM25Statistics, Int32) {
        let (averageLength, _, status) = totals(api, context)
        return (BM25Statistics.unweighted(averageLength: averageLength, groups: Int(api.xPhraseCount(context))), status)
    }

    private static func queryStatistics(_ api: Fts5ExtensionApi, _ context: OpaquePointer?) -> (BM25Statistics, Int32) {
        let (averageLength, rows, totalsStatus) = totals(api, context)
        var status = totalsStatus
        var documentCounts: [Int] = []
        for phrase in 0..<api.xPhraseCount(context) where status == SQLITE_OK {
            var holders: Int64 = 0
            status = api.xQueryPhrase(context, phrase, &holders) { _, _, counter in
                counter?.assumingMemoryBound(to: Int64.self).pointee += 1
                return SQLITE_OK
            }
            documentCounts.append(Int(holders))
        }
        return (BM25Statistics(averageLength: averageLength, rows: Int(rows), documentCounts: documentCounts), status)
    }
}
