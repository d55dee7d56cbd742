import DepecheAnalysis
import DepecheIndex
import DepecheModel

/// Why a search with filters found nothing, when a filter names a source or category
/// the index has never seen: a line naming the nearest known values
/// (`no source "BFM"; sources include BFMTV, Source BFMTV`), instead of a bare "0 hits".
enum FilterCheck {
    /// Known values named at most.
    static let nearestShown = 4

    /// One line per value of an included filter (the options' and the query's) that no
    /// dispatch has.
    static func unknownValues(_ filters: Filters, _ reader: IndexReader) throws -> [String] {
        var lines: [String] = []
        for filter in filters.metadata where !filter.excluded {
            for value in filter.values {
                let known = try reader.facetValues(filter.field, asked: value)
                guard !known.contains(where: \.named) else { continue }
                let field = filter.field.rawValue
                let plural = filter.field == .category ? "categories" : "sources"
                let nearest = Self.nearest(to: value, among: known.map(\.value))
                lines.append(nearest.isEmpty ? "no \(field) \"\(value)\" in the index"
                             : "no \(field) \"\(value)\"; \(plural) include " + nearest.joined(separator: ", "))
            }
        }
        return lines
    }

    /// The known values closest to `value`: those containing it or contained in it
    /// first (`BFM` → *BFMTV*), then by edit distance, folded.
    static func nearest(to value: String, among known: [String]) -> [String] {
        let asked = FrenchAnalyzer.roughFold(value)
        let ranked = known.map { candidate -> (String, Int) in
            let folded = FrenchAnalyzer.roughFold(candidate)
            let contains = folded.contains(asked) || asked.contains(folded)
            return (candidate, (contains ? 0 : 1_000) + EditDistance.between(asked, folded))
        }
        return ranked.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(nearestShown).map(\.0)
    }
}

extension Searcher {
    /// Lines saying which filters of a search name sources or categories the index has
    /// never seen (for a search that found nothing).
    public func unknownFilterValues(_ query: CompiledQuery?, options: SearchOptions) throws -> [String] {
        let queryFilters = query?.filters ?? []
        return try index.reading { try FilterCheck.unknownValues(options.filters(adding: queryFilters), $0) }
    }
}
