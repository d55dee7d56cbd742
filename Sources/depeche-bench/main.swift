// depeche-bench: runs a query set in-process against an index and prints each query's
// latencies (milliseconds, JSON), for scripts/bench. Not installed with depeche.
//
//     depeche-bench INDEX QUERIES_FILE REPETITIONS
//
// A line is a query, or with {"similar": "1"} a dispatch id whose `similar` is timed
// (the terms chosen and the search, as `depeche similar` runs them).
import Foundation
import DepecheIndex
import DepecheModel
import DepecheOutput
import DepecheSearch

let arguments = CommandLine.arguments
guard arguments.count == 4, let repetitions = Int(arguments[3]), repetitions > 0 else {
    FileHandle.standardError.write(Data("usage: depeche-bench INDEX QUERIES_FILE REPETITIONS\n".utf8))
    exit(2)
}
do {
    // As `depeche search` opens it.
    let searcher = Searcher(index: try DispatchIndex(path: arguments[1], readOnly: true, memoryMapped: true))
    let lines = TextLines.lines(try String(contentsOfFile: arguments[2], encoding: .utf8)).map(String.init)
    var results: [JSONText.Value] = []
    for line in lines where !line.isEmpty {
        // A line is the query, optionally followed by a tab and search options as JSON.
        let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
        var options = SearchOptions()
        options.exactCountLimit = SearchOptions.pageCountLimit
        var similar = false
        if parts.count == 2, let extra = try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: String] {
            options.sort = extra["sort"].flatMap(SortMode.init(rawValue:)) ?? options.sort
            options.filters.since = extra["since"].flatMap { Day(iso: $0) }
            options.filters.allow(extra["source"].map { [$0] } ?? [], of: .source)
            options.suggestions = extra["suggest"] == "1"
            similar = extra["similar"] == "1"
            // As `depeche similar` ranks.
            if similar { options.sort = .relevance }
        }
        var timings: [JSONText.Value] = []
        var total = 0
        for _ in 0..<repetitions {
            let started = DispatchTime.now().uptimeNanoseconds
            if similar {
                if let search = try MoreLikeThis.search(for: parts[0], in: searcher.index, options: options), let query = search.query {
                    total = try searcher.search(query, options: search.options).total
                }
            } else {
                total = try searcher.search(parts[0], options: options).total
            }
            timings.append(.number(Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000))
        }
        results.append(.object([("query", .string(line)), ("total", .integer(total)), ("ms", .array(timings))]))
    }
    print(JSONText.render(.array(results)))
} catch {
    FileHandle.standardError.write(Data("depeche-bench: \(error)\n".utf8))
    exit(1)
}
