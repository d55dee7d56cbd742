import GRDB
import DepecheModel

/// What the story groups (``StoryGroups``) tell a search, `show` and `stats`.
extension IndexReader {
    /// The SQL of the rowid of the dispatch stored under the id `?1`, or of the one a
    /// duplicate's id points to.
    static let rowidOfID = "coalesce((SELECT rowid FROM dispatches WHERE id = ?1), (SELECT dispatch_rowid FROM duplicates WHERE id = ?1))"

    /// The story of each rowid (a dispatch without a group row, from an index being
    /// written, is its own story).
    public func stories(of rowids: [Int64]) throws -> [Int64] {
        guard !rowids.isEmpty else { return [] }
        let known = try Row.fetchAll(db.cachedStatement(sql: "SELECT rowid, story FROM story_members WHERE rowid IN (SELECT value FROM json_each(?))"),
                                     arguments: [Self.jsonList(rowids)])
        let story = Dictionary(known.map { ($0[0] as Int64, $0[1] as Int64) }, uniquingKeysWith: { first, _ in first })
        return rowids.map { story[$0] ?? $0 }
    }

    /// The number of dispatches of `story` (1 for a dispatch alone, or without a group row).
    public func storySize(_ story: Int64) throws -> Int {
        max(1, try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM story_members WHERE story = ?"), arguments: [story]) ?? 0)
    }

    /// The number of stories among the dispatches `selection` selects.
    public func storyCount(_ selection: IndexSelection) throws -> Int {
        let rowid = selection.rowidColumn
        return try Int.fetchOne(db, sql: """
            SELECT count(DISTINCT coalesce((SELECT story FROM story_members WHERE rowid = \(rowid)), -\(rowid))) \(selection.rankingFrom)
            """, arguments: selection.arguments) ?? 0
    }

    /// The other dispatches of `story` that `selection` selects besides `rowid`, in rowid order.
    ///
    /// One pass: the selection is read once over the members' range of rowids and
    /// intersected with them. Asking it about each member in turn ran the match once
    /// per member: quadratic in a story's size (figures in docs/RELIABILITY.md).
    public func storyMates(of rowid: Int64, story: Int64, selection: IndexSelection) throws -> [StoryMate] {
        let members = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT d.rowid, d.id, d.source FROM story_members s JOIN dispatches d ON d.rowid = s.rowid
            WHERE s.story = ? AND s.rowid != ? ORDER BY s.rowid
            """), arguments: [story, rowid])
        guard let first = members.first?[0] as Int64?, let last = members.last?[0] as Int64? else { return [] }
        let within = selection.within(RowidBlock(rowids: first...last, newest: nil))
        let selected = Set(try Int64.fetchAll(db.cachedStatement(sql: "SELECT \(within.rowidColumn) \(within.rankingFrom)"),
                                              arguments: within.arguments))
        return members.compactMap { member in
            selected.contains(member[0]) ? StoryMate(id: member[1], source: member[2]) : nil
        }
    }

    /// The story of the dispatch stored under `id` (or a duplicate's id): its group id and
    /// every dispatch of it, that one included, oldest first; nil when no dispatch has that id.
    public func story(ofDispatch id: String) throws -> (group: Int64, members: [StoryMember])? {
        guard let group = try Int64.fetchOne(db, sql: "SELECT story FROM story_members WHERE rowid = \(Self.rowidOfID)",
                                             arguments: [id]) else { return nil }
        let members = try Row.fetchAll(db, sql: """
            SELECT d.id, d.date, d.source, d.title FROM story_members s JOIN dispatches d ON d.rowid = s.rowid
            WHERE s.story = ? ORDER BY d.date IS NULL, d.date, d.rowid
            """, arguments: [group]).map { StoryMember(id: $0[0], date: ($0[1] as String?).flatMap { Day(iso: $0) }, source: $0[2], title: $0[3]) }
        return (group, members)
    }
}

extension IndexReader {
    /// The rowid, story and texts (title, standfirst, body) of the dispatch stored under
    /// `id` (or a duplicate's id); nil when none has that id.
    public func texts(ofDispatch id: String) throws -> (rowid: Int64, story: Int64, texts: [String])? {
        try Row.fetchOne(db, sql: """
            SELECT d.rowid, coalesce(s.story, d.rowid), d.title, d.standfirst, d.body FROM dispatches d
            LEFT JOIN story_members s ON s.rowid = d.rowid
            WHERE d.rowid = \(Self.rowidOfID)
            """, arguments: [id]).map { ($0[0], $0[1], [$0[2], $0[3], $0[4]]) }
    }
}
