import GRDB
import DepecheModel
import DepecheRanking

/// The dispatches a search reads, as the index sees them: those matching a
/// ``FullTextMatch`` (nil: every dispatch) and a set of ``Filters``, within a range of rowids.
/// A value: the search builds it, and only the index turns it into SQL (the FROM and
/// WHERE clauses below), so that no other stage names a table.
///
///     let selection = IndexSelection(match: .phrase(FullTextPhrase("cacao")), filters: Filters(since: day), rowids: try reader.rowids(datedFrom: day))
///     let total = try reader.countWithReference(selection).count
public struct IndexSelection: Sendable {
    /// The words asked, or nil for filters only.
    public let match: FullTextMatch?
    /// ``match`` in FTS5's query language, written once for every statement.
    let matchText: String?
    public let filters: Filters
    /// The rowids that can hold selected dispatches (``IndexReader/rowids(datedFrom:)``).
    public let rowids: Range<Int64>?

    /// Over `dispatch_facets d`, joined to `dispatch_fts` when there is a match: the
    /// narrow facets, not the wide `dispatches` rows, since every match is read.
    let from: String
    /// ``from`` without the facets when there is a match: ranking and the conditions read
    /// a match's length, day, source and category from ``DispatchColumns`` (no join).
    let rankingFrom: String
    /// The arguments of ``from`` and ``rankingFrom``.
    let arguments: StatementArguments
    /// The conditions besides the full-text match.
    let conditions: String?
    /// The SQL of a selected dispatch's rowid, over ``from`` and ``rankingFrom``.
    let rowidColumn: String

    public init(match: FullTextMatch?, filters: Filters, rowids: Range<Int64>? = nil) {
        self.match = match
        let matchText = match?.fts5
        self.matchText = matchText
        self.filters = filters
        self.rowids = rowids
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let rowids {
            // On the FTS5 side, so that it seeks to the range instead of filtering every match.
            clauses.append(match == nil ? "d.rowid >= ? AND d.rowid < ?" : "dispatch_fts.rowid >= ? AND dispatch_fts.rowid < ?")
            arguments += [rowids.lowerBound, rowids.upperBound]
        }
        // Matches are filtered on their columns; without words, the facets' date index and
        // values serve.
        let byColumns = match != nil
        for (day, comparison) in [(filters.since, ">="), (filters.until, "<=")] {
            guard let day else { continue }
            clauses.append(byColumns ? "\(Self.day) \(comparison) ?" : "d.date \(comparison) ?")
            arguments += byColumns ? [day.dayNumber] : [day.description]
        }
        let rowid = byColumns ? "dispatch_fts.rowid" : "d.rowid"
        rowidColumn = rowid
        if !filters.metadata.isEmpty {
            var own: [String] = []
            for filter in filters.metadata {
                // The values seen that fold as asked, folded once each rather than per match.
                let column = byColumns ? Self.column(filter.field == .source ? .source : .category) : "d.\(filter.field.rawValue)"
                let values = "SELECT \(byColumns ? "id" : "value") FROM facet_values WHERE field = '\(filter.field.rawValue)' "
                    + "AND \(FoldFunction.name)(value) IN (\(Self.foldedPlaceholders(filter.values.count)))"
                own.append(filter.excluded ? "(\(column) IS NULL OR \(column) NOT IN (\(values)))" : "\(column) IN (\(values))")
                arguments += StatementArguments(filter.values)
            }
            // A dispatch is also selected through a duplicate whose own metadata passes
            // (the same text under another id, source or category): each id keeps its
            // metadata. The subquery is not correlated, so SQLite reads it once.
            let duplicate = Self.duplicateCondition(filters.metadata)
            clauses.append("(\(own.joined(separator: " AND ")) OR \(rowid) IN (SELECT x.dispatch_rowid FROM duplicates x WHERE \(duplicate.sql)))")
            arguments += duplicate.arguments
        }
        if let indexed = filters.indexed {
            let (clause, values) = Self.changeCondition(indexed)
            clauses.append("\(rowid) IN (\(clause))")
            arguments += values
        }
        if let story = filters.excludedStory {
            clauses.append("\(rowid) NOT IN (SELECT rowid FROM story_members WHERE story = ?)")
            arguments += [story]
        }
        if let excluded = filters.excludedRowid {
            clauses.append("\(rowid) != ?")
            arguments += [excluded]
        }
        conditions = clauses.isEmpty ? nil : clauses.joined(separator: " AND ")
        if let matchText {
            from = "FROM dispatch_fts JOIN dispatch_facets d ON d.rowid = dispatch_fts.rowid WHERE dispatch_fts MATCH ?" + (conditions.map { " AND " + $0 } ?? "")
            rankingFrom = "FROM dispatch_fts WHERE dispatch_fts MATCH ?" + (conditions.map { " AND " + $0 } ?? "")
            self.arguments = [matchText] + arguments
        } else {
            from = "FROM dispatch_facets d WHERE " + (conditions ?? "1")
            rankingFrom = from
            self.arguments = arguments
        }
    }

    /// The rowids of what is new to a saved search (``IndexedChange``). `dispatches_changed_run`
    /// serves the window (NULL runs: stored before schema 6). A dispatch the search was shown
    /// already is left out until it is given another text; one shown as new and changed
    /// since counts as updated.
    private static func changeCondition(_ change: IndexedChange) -> (String, StatementArguments) {
        let window = "changed_run > ? AND changed_run <= ?"
        guard let search = change.savedSearch else {
            let added = change.kind == .added ? "coalesce(added_run, 0) > ?" : "coalesce(added_run, 0) <= ?"
            return ("SELECT rowid FROM dispatches WHERE \(window) AND \(added)", [change.after, change.through, change.after])
        }
        let shown = "EXISTS (SELECT 1 FROM watch_delivered w WHERE w.search = ? AND w.id = d.id)"
        let shownAsIs = "EXISTS (SELECT 1 FROM watch_delivered w WHERE w.search = ? AND w.id = d.id AND w.changed_run >= d.changed_run)"
        switch change.kind {
        case .added:
            return ("SELECT rowid FROM dispatches d WHERE \(window) AND coalesce(added_run, 0) > ? AND NOT \(shown)",
                    [change.after, change.through, change.after, search])
        case .changed:
            return ("SELECT rowid FROM dispatches d WHERE \(window) AND (coalesce(added_run, 0) <= ? OR \(shown)) AND NOT \(shownAsIs)",
                    [change.after, change.through, change.after, search, search])
        }
    }

    /// `filters` over the own metadata of the duplicates aliased `x`. Duplicates recorded
    /// by schema 4 kept none (NULL `date_quality`): they are selected, and shown, as
    /// their dispatch.
    static func duplicateCondition(_ filters: [MetadataFilter]) -> (sql: String, arguments: StatementArguments) {
        let own = metadataCondition(filters, over: "x")
        return ("x.date_quality IS NOT NULL AND " + own.sql, own.arguments)
    }

    /// `filters` over the plain metadata columns of the table aliased `alias` (a page
    /// of hits, the duplicates: few rows, so each value is folded where it is read).
    static func metadataCondition(_ filters: [MetadataFilter], over alias: String) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        for filter in filters {
            let folded = "\(FoldFunction.name)(\(alias).\(filter.field.rawValue))"
            let values = Self.foldedPlaceholders(filter.values.count)
            conditions.append(filter.excluded
                ? "(\(alias).\(filter.field.rawValue) IS NULL OR \(folded) NOT IN (\(values)))"
                : "\(folded) IN (\(values))")
            arguments += StatementArguments(filter.values)
        }
        return (conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments)
    }

    private static func foldedPlaceholders(_ count: Int) -> String {
        Array(repeating: "\(FoldFunction.name)(?)", count: count).joined(separator: ", ")
    }

    /// The same filters over another match (the relaxed form of a query).
    public func matching(_ match: FullTextMatch) -> IndexSelection {
        IndexSelection(match: match, filters: filters, rowids: rowids)
    }

    /// The same selection within `block` only, as one range of rowids: given two ranges
    /// (the selection's, from `--since`, and the block's), FTS5 seeks to one and filters
    /// every match by the other, which made each block walk the whole doclist.
    func within(_ block: RowidBlock) -> IndexSelection {
        guard block.rowids != RowidBlock.all.rowids else { return self }
        let lower = max(block.rowids.lowerBound, rowids?.lowerBound ?? .min)
        let upper = min(block.rowids.upperBound + 1, rowids?.upperBound ?? .max)
        return IndexSelection(match: match, filters: filters, rowids: lower..<max(lower, upper))
    }

    /// True when FTS5 alone answers: a match and no condition.
    public var matchOnly: Bool { match != nil && conditions == nil }

    /// The SQL of a match's relevance, whose one argument (the statistics, ``relevanceArguments(_:)``)
    /// comes before those of ``rankingFrom`` in a statement's columns.
    static let relevance = "\(RelevanceFunction.name)(dispatch_fts, ?)"
    /// The SQL of a match's rowid and day number (NULL: undated), over ``rankingFrom``.
    static let rowid = "dispatch_fts.rowid"
    static let day = column(.day)

    /// The SQL of a match's value from ``DispatchColumns``, over ``rankingFrom``.
    static func column(_ column: DispatchColumns.Column) -> String {
        "\(DispatchColumns.functionName(column))(dispatch_fts.rowid)"
    }

    /// The argument of ``relevance``: the statistics encoded, or NULL to let each
    /// statement walk them.
    static func relevanceArguments(_ statistics: BM25Statistics?) -> StatementArguments {
        [statistics?.encoded]
    }

    /// `ORDER BY` of `order`, over columns named `day`, `relevance` (nil: every relevance
    /// is the same) and `rowid`: the SQL twin of ``HitOrder/sortsBefore(_:_:)``.
    static func orderBy(_ order: HitOrder, day: String, relevance: String?, rowid: String) -> String {
        let terms = order.keys.compactMap { key -> String? in
            switch key {
            case .newestFirst: return "\(day) IS NULL, \(day) DESC"
            case .mostRelevant: return relevance.map { "\($0) DESC" }
            case .firstIndexed: return rowid
            }
        }
        return "ORDER BY " + terms.joined(separator: ", ")
    }
}
