/// The text columns a term can be limited to (`title:`).
public enum TextField: String, Sendable { case title, standfirst, body }

/// The metadata columns a filter can test (`source:`).
public enum MetadataField: String, Sendable { case source, category }

/// A metadata condition from the query (`source:ACI`, `-category:sport`) or the options.
public struct MetadataFilter: Equatable, Sendable {
    public let field: MetadataField
    /// Any of these values, compared folded (case and accents aside).
    public let values: [String]
    public let excluded: Bool

    public init(field: MetadataField, values: [String], excluded: Bool) {
        self.field = field
        self.values = values
        self.excluded = excluded
    }
}

/// What is new to the index since an index run (a saved search's last run): dispatches it
/// did not hold then, or held with another text.
public enum IndexedChange: Equatable, Sendable {
    case addedAfter(run: Int)
    case changedAfter(run: Int)
}

/// Every condition a search puts on dispatches besides its words: the one
/// representation of filters, whether they come from the query (`source:ACI`) or the
/// options (`--since`, `--source`). The index turns it into SQL.
public struct Filters: Equatable, Sendable {
    /// Dated on or after this day.
    public var since: Day?
    /// Dated on or before this day.
    public var until: Day?
    public var metadata: [MetadataFilter]
    /// New or changed to the index since a run.
    public var indexed: IndexedChange?
    /// Not of this story group (`similar`: the dispatch's own story).
    public var excludedStory: Int64?
    /// Not this dispatch, by its rowid (`similar`: the dispatch itself).
    public var excludedRowid: Int64?

    public init(since: Day? = nil, until: Day? = nil, metadata: [MetadataFilter] = [], indexed: IndexedChange? = nil) {
        self.since = since
        self.until = until
        self.metadata = metadata
        self.indexed = indexed
    }

    /// True when nothing is filtered.
    public var isEmpty: Bool {
        since == nil && until == nil && metadata.isEmpty && indexed == nil && excludedStory == nil && excludedRowid == nil
    }
}
