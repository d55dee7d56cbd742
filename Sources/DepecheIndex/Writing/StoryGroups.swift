import Foundation
import GRDB
import DepecheAnalysis

/// Keeps the story groups (`story_members`, `story_bands`) in step with the dispatches.
/// A story is named by its first dispatch, its anchor; a later dispatch joins it when its
/// ``StorySignature`` is similar enough (``SignedDispatch``) to one of the story's
/// members and, on another day than the anchor's, to the anchor too (pairs found through
/// the signatures' bands). Similar to a neighbour only is not enough across days: a daily
/// bulletin that changes a few words a day chained 45 days into one story whose first
/// and last members shared a fifth of their wording.
/// Dispatches are placed in rowid order, the same way in every path
/// (``story(joinedBy:among:anchor:)``), so that a rebuild and incremental runs agree.
///
/// An incremental run joins each dispatch it stores to the stories of the similar ones;
/// one removed or given a new text leaves its story, which is split again if it held
/// the others together. A bulk build (``deferred``) appends the signatures only, and
/// groups them all at its end (``groupAll()``): the bands computed in one statement,
/// stored in one sort and read bucket by bucket cost a fraction of a lookup per dispatch.
///
/// While dispatches are stored, every statement writes one row and none can fail half-way:
/// one that could makes SQLite open a statement journal, and with it FTS5 writes its
/// pending terms to disk, which made a bulk build half as long again (as triggers did,
/// see the schema). ``groupAll()`` runs after the full-text index is written.
///
/// A story's id is the smallest rowid among its members, whatever the order they came
/// in: a rebuild and an incremental run give the same ids, and an id never outlives its
/// members (a rowid SQLite hands out again cannot meet a story of its old dispatch).
struct StoryGroups {
    let db: Database
    /// A bulk build: grouping waits for ``groupAll()``, and the tables have no index yet.
    var deferred = false

    /// The similarity from which two dispatches of the same day tell one story, and from
    /// which two dispatches up to ``daysApart`` days apart (or undated) do: chosen on 112
    /// hand-judged pairs of the shared corpus (docs/RELEVANCE.md, "Story groups"), where
    /// pairs of different days above the first were mostly daily bulletins and follow-ups
    /// that share their wording, not versions of one story.
    static let sameDayThreshold = 0.35
    static let otherDayThreshold = 0.75
    /// Or, the same day, when most of the shorter text is in the longer one (an update
    /// that rewrites the lead and doubles the story: ``StorySignature/containment(with:)``).
    static let sameDayContainment = 0.6
    static let daysApart = 7
    /// Rowids read per band key, newest first: a stock phrase shared by thousands of
    /// dispatches must not make each new one compare itself with all of them.
    static let candidatesPerBand = 8
    /// A story is split again, after one of its members left, up to this many members
    /// (every pair compared); a larger one keeps its id until its members change again.
    static let largestRegrouped = 2_000

    /// Puts `rowid`, just stored with `signature` (nil: a text too short to group) and
    /// dated `day` (a day number), in its story (``deferred``: alone until ``groupAll()``).
    func add(_ rowid: Int64, day: Int?, signature: StorySignature?) throws {
        guard !deferred, let signature else {
            try storeMember(rowid, story: rowid, day: day, signature: signature)
            return
        }
        let member = SignedDispatch(rowid: rowid, day: day, signature: signature)
        var stories: Set<Int64> = []
        for candidate in try candidates(of: signature) where candidate.member.rowid < rowid && candidate.member.tellsOneStory(with: member) {
            stories.insert(candidate.story)
        }
        let story = try Self.story(joinedBy: member, among: stories, anchor: signedMember)
        try storeMember(rowid, story: story, day: day, signature: signature)
        try insertBands(of: rowid, day: day, signature)
    }

    /// The story `member` joins among `stories`, those of the earlier dispatches it tells
    /// one story with: the first, by id, whose anchor (its first member, whose rowid is
    /// its id) is of its day or tells one story with it too; none: a story of its own.
    /// The same day, a neighbour is enough: versions of a story that day (a short flash,
    /// the full text, a rewritten lead) are linked through the middle one, and a bulletin
    /// comes once a day.
    static func story(joinedBy member: SignedDispatch, among stories: Set<Int64>, anchor: (Int64) throws -> SignedDispatch?) rethrows -> Int64 {
        for story in stories.sorted() where story < member.rowid {
            guard let first = try anchor(story) else { continue }
            if (first.day != nil && first.day == member.day) || first.tellsOneStory(with: member) { return story }
        }
        return member.rowid
    }

    /// The stored member `rowid` (nil: none, or no signature).
    private func signedMember(_ rowid: Int64) throws -> SignedDispatch? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT rowid, day, signature FROM story_members WHERE rowid = ?"), arguments: [rowid])
            .flatMap(Self.member(in:))
    }

    /// Takes `rowid` out of its story: it is removed, or its text changes. What remains of
    /// the story is split into the groups its members still form without it. (``deferred``:
    /// it has no bands yet, nor its story other members.)
    func remove(_ rowid: Int64) throws {
        guard !deferred else {
            try db.cachedStatement(sql: "DELETE FROM story_members WHERE rowid = ?").execute(arguments: [rowid])
            return
        }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT story, signature FROM story_members WHERE rowid = ?"),
                                         arguments: [rowid]) else { return }
        if let signature = Self.signature(in: row) {
            let bands = try db.cachedStatement(sql: "DELETE FROM story_bands WHERE key = ? AND member = ?")
            for key in signature.bandKeys { try bands.execute(arguments: [key, rowid]) }
        }
        try db.cachedStatement(sql: "DELETE FROM story_members WHERE rowid = ?").execute(arguments: [rowid])
        try regroup(row["story"])
    }

    /// Groups every dispatch recorded (a bulk build, an upgrade): computes and indexes the
    /// bands and joins the dispatches of each bucket that tell one story. In a bucket of
    /// more than ``candidatesPerBand`` dispatches, each is compared with the next ones
    /// only, as an incremental run compares a new dispatch with the newest ones.
    func groupAll() throws {
        let bandNumbers = (0..<StorySignature.bands).map { "(\($0))" }.joined(separator: ", ")
        try db.execute(sql: """
            INSERT OR IGNORE INTO story_bands(key, member, day)
            SELECT \(StoryBandFunction.name)(m.signature, b.column1) AS key, m.rowid, m.day FROM story_members m, (VALUES \(bandNumbers)) b
            WHERE m.signature IS NOT NULL ORDER BY key, m.rowid
            """)
        try DispatchIndex.createStoryIndexes(db)
        // Each dispatch's similar earlier ones, then the stories placed in rowid order.
        var earlier: [Int64: Set<Int64>] = [:]
        var bucket: [(rowid: Int64, day: Int?)] = []
        // The signatures a bucket read, each once (a dispatch is compared with up to 16 others).
        var signed: [Int64: SignedDispatch?] = [:]
        let memberStatement = try db.cachedStatement(sql: "SELECT rowid, day, signature FROM story_members WHERE rowid = ?")
        func member(_ rowid: Int64) throws -> SignedDispatch? {
            if let known = signed[rowid] { return known }
            let member = try Row.fetchOne(memberStatement, arguments: [rowid]).flatMap(Self.member(in:))
            signed[rowid] = member
            return member
        }
        // Pairs too far apart in time are never compared, and their signatures never read:
        // a random page each, most of the time grouping takes at a million dispatches.
        func compareBucket() throws {
            signed.removeAll(keepingCapacity: true)
            for (index, first) in bucket.enumerated() {
                for second in bucket.dropFirst(index + 1).prefix(Self.candidatesPerBand) where SignedDispatch.mayTellOneStory(first.day, second.day) {
                    guard let a = try member(first.rowid), let b = try member(second.rowid), a.tellsOneStory(with: b) else { continue }
                    earlier[max(a.rowid, b.rowid), default: []].insert(min(a.rowid, b.rowid))
                }
            }
        }
        // The bands in key order, as stored: each bucket's members in rowid order.
        let bands = try Row.fetchCursor(db, sql: "SELECT key, member, day FROM story_bands ORDER BY key, member")
        var bucketKey: Int64?
        while let band = try bands.next() {
            // By position: a column name costs a lookup per row.
            let key: Int64 = band[0]
            if key != bucketKey {
                if bucket.count > 1 { try compareBucket() }
                bucket.removeAll(keepingCapacity: true)
                bucketKey = key
            }
            bucket.append((band[1], band[2]))
        }
        if bucket.count > 1 { try compareBucket() }
        var storyOf: [Int64: Int64] = [:]
        for rowid in earlier.keys.sorted() {
            guard let placed = try signedMember(rowid) else { continue }
            storyOf[rowid] = try Self.story(joinedBy: placed, among: Set(earlier[rowid]!.map { storyOf[$0] ?? $0 }), anchor: signedMember)
        }
        try setStories(storyOf.filter { $0.key != $0.value }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Gives the members of `story` the ids of the groups they form among themselves.
    private func regroup(_ story: Int64) throws {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT rowid, day, signature FROM story_members WHERE story = ? ORDER BY rowid LIMIT ?"),
                                    arguments: [story, Self.largestRegrouped + 1])
        guard !rows.isEmpty, rows.count <= Self.largestRegrouped else { return }
        let members = rows.map { (rowid: $0["rowid"] as Int64, member: Self.member(in: $0)) }
        let signed = Dictionary(members.compactMap { entry in entry.member.map { (entry.rowid, $0) } }, uniquingKeysWith: { first, _ in first })
        var storyOf: [Int64: Int64] = [:]
        for (index, entry) in members.enumerated() {
            guard let member = entry.member else {
                storyOf[entry.rowid] = entry.rowid
                continue
            }
            let stories = Set(members.prefix(index).compactMap { earlier in
                earlier.member.flatMap { $0.tellsOneStory(with: member) ? storyOf[earlier.rowid] : nil }
            })
            storyOf[entry.rowid] = Self.story(joinedBy: member, among: stories) { signed[$0] }
        }
        try setStories(storyOf.filter { $0.value != story }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Gives each rowid its story, a row a statement (see above: no statement journal).
    private func setStories(_ stories: [(rowid: Int64, story: Int64)]) throws {
        let update = try db.cachedStatement(sql: "UPDATE story_members SET story = ? WHERE rowid = ?")
        for (rowid, story) in stories { try update.execute(arguments: [story, rowid]) }
    }

    private func storeMember(_ rowid: Int64, story: Int64, day: Int?, signature: StorySignature?) throws {
        try db.cachedStatement(sql: "INSERT INTO story_members(rowid, story, day, signature) VALUES (?, ?, ?, ?)")
            .execute(arguments: [rowid, story, day, signature.map { Data($0.encoded) }])
    }

    /// The dispatches sharing a band with `signature`, with their story: the rows of each
    /// band key are bounded (``candidatesPerBand``, the newest), read in one statement.
    private func candidates(of signature: StorySignature) throws -> [(member: SignedDispatch, story: Int64)] {
        var rowids = try Int64.fetchAll(db.cachedStatement(sql: Self.candidatesSQL), arguments: StatementArguments(signature.bandKeys))
        rowids = Array(Set(rowids)).sorted()
        let statement = try db.cachedStatement(sql: "SELECT story, day, signature FROM story_members WHERE rowid = ?")
        return try rowids.compactMap { rowid in
            // Columns by position: a name costs a lookup per row.
            guard let row = try Row.fetchOne(statement, arguments: [rowid]), let bytes = row[2] as Data?,
                  let signature = bytes.withUnsafeBytes({ StorySignature(encoded: $0) }) else { return nil }
            return (SignedDispatch(rowid: rowid, day: row[1], signature: signature), row[0])
        }
    }

    private static let candidatesSQL = (0..<StorySignature.bands)
        .map { _ in "SELECT * FROM (SELECT member FROM story_bands WHERE key = ? ORDER BY member DESC LIMIT \(candidatesPerBand))" }
        .joined(separator: " UNION ALL ")

    private func insertBands(of rowid: Int64, day: Int?, _ signature: StorySignature) throws {
        // OR IGNORE: two bands of one signature may hash alike, and a constraint that could
        // abort the statement would make SQLite open a statement journal, at which FTS5
        // writes its pending terms.
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO story_bands(key, member, day) VALUES (?, ?, ?)")
        for key in signature.bandKeys { try insert.execute(arguments: [key, rowid, day]) }
    }

    /// The signature in a row that selected `signature` (nil: none stored).
    static func signature(in row: Row) -> StorySignature? {
        (row["signature"] as Data?).flatMap { $0.withUnsafeBytes { StorySignature(encoded: $0) } }
    }

    /// The member in a row that selected `rowid`, `day` and `signature` (nil: no signature).
    private static func member(in row: Row) -> SignedDispatch? {
        signature(in: row).map { SignedDispatch(rowid: row["rowid"], day: row["day"], signature: $0) }
    }
}

/// What grouping reads of a dispatch: its rowid, day (number, nil: undated) and signature.
struct SignedDispatch {
    let rowid: Int64
    let day: Int?
    let signature: StorySignature

    /// Whether two dispatches tell one story (``StoryGroups/sameDayThreshold``).
    func tellsOneStory(with other: SignedDispatch) -> Bool {
        guard Self.mayTellOneStory(day, other.day) else { return false }
        let similarity = signature.similarity(to: other.signature)
        guard let day, day == other.day else { return similarity >= StoryGroups.otherDayThreshold }
        return similarity >= StoryGroups.sameDayThreshold || signature.containment(with: other.signature) >= StoryGroups.sameDayContainment
    }

    /// Whether dispatches of these days (nil: undated) may tell one story at all: at most
    /// ``StoryGroups/daysApart`` days apart, or undated. Known from the bands alone.
    static func mayTellOneStory(_ day: Int?, _ other: Int?) -> Bool {
        guard let day, let other else { return true }
        return abs(day - other) <= StoryGroups.daysApart
    }
}
