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

/// What is new to a saved search: dispatches that index commits after `after` and up to
/// `through` (a snapshot taken when the watch run started, so that what commits during
/// it waits for the next run) added, or gave another text, and that were not shown to
/// the search already (`delivered`, ``DispatchIndex`` keeps what each search was shown
/// while some of its news waits to be shown).
public struct IndexedChange: Equatable, Sendable {
    public enum Kind: Sendable { case added, changed }
    public let kind: Kind
    public let after: Int
    public let through: Int
    /// The saved search whose delivered dispatches are left out (nil: none).
    public let savedSearch: String?

    public init(_ kind: Kind, after: Int, through: Int, savedSearch: String? = nil) {
        self.kind = kind
        self.after = after
        self.through = through
        self.savedSearch = savedSearch
    }
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

    /// Allows any of `values` for `field` (`--source A --source B`): added to the first
    /// filter that allows values of that field, so that they stay alternatives.
    public mutating func allow(_ values: [String], of field: MetadataField) {
        guard !values.isEmpty else { return }
        if let index = metadata.firstIndex(where: { $0.field == field && !$0.excluded }) {
            metadata[index] = MetadataFilter(field: field, values: metadata[index].values + values, excluded: false)
        } else {
            metadata.append(MetadataFilter(field: field, values: values, excluded: false))
        }
    }

    /// True when nothing is filtered.
    public var isEmpty: Bool {
        since == nil && until == nil && metadata.isEmpty && indexed == nil && excludedStory == nil && excludedRowid == nil
    }
}
