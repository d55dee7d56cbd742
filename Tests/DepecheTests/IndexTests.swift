import Foundation
import GRDB
import Testing
import DepecheAnalysis
@testable import DepecheModel
@testable import DepecheIndex
@testable import DepecheIndexing
@testable import DepecheSearch

@Suite("Index updates")
struct IndexTests {
    @Test func reindexingUnchangedSourcesChangesNothing() throws {
        let folder = try TestSupport.temporaryFolder()
        let source = folder + "/a.jsonl", database = folder + "/i.sqlite"
        try TestSupport.write([["id": "1", "title": "Un", "body": "premier"], ["id": "2", "title": "Deux", "body": "second"]], to: source)
        let first = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        let second = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        #expect(first.added == 2)
        #expect(second.added == 0 && second.unchanged == 2)
        #expect(try DispatchIndex(path: database).count() == 2)
    }

    @Test func changedDispatchReplacesItsOldText() throws {
        let folder = try TestSupport.temporaryFolder()
        let source = folder + "/a.jsonl", database = folder + "/i.sqlite"
        try TestSupport.write([["id": "1", "title": "Kribi", "body": "ancien texte sur le cacao"]], to: source)
        _ = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        try TestSupport.write([["id": "1", "title": "Kribi", "body": "nouveau texte sur le café"]], to: source)
        let report = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        #expect(report.updated == 1)
        let searcher = Searcher(index: try DispatchIndex(path: database))
        #expect(try searcher.search("cacao").total == 0)
        #expect(try searcher.search("café").hits.map(\.id) == ["1"])
    }

    @Test func summariesAreTheSameWhetherKeptRowByRowOrFilledAtTheEndOfABulkBuild() throws {
        let folder = try TestSupport.temporaryFolder()
        let first = folder + "/a.jsonl", second = folder + "/b.jsonl", database = folder + "/i.sqlite", rebuilt = folder + "/r.sqlite"
        try TestSupport.write([["id": "1", "title": "Cacao", "body": "La récolte du cacao.", "date": "2020-01-01", "source": "APS"]], to: first)
        try TestSupport.write([
            ["id": "2", "title": "Café", "body": String(repeating: "Le café du jour et le cacao. ", count: 30), "date": "2021-06-01",
             "source": "Agence", "category": "Économie"],
            ["id": "3", "title": "Sans date", "body": "Le marché."],
            ["id": "1", "title": "Cacao", "body": "La récolte du cacao, revue.", "date": "2019-03-01", "source": "APS"],
        ], to: second)
        // Bulk, then row by row (an update among them); against one bulk build of both.
        _ = try IndexUpdater.run(paths: [first], databasePath: database, options: IndexRunOptions())
        _ = try IndexUpdater.run(paths: [first, second], databasePath: database, options: IndexRunOptions())
        _ = try IndexUpdater.run(paths: [first, second], databasePath: rebuilt, options: IndexRunOptions())
        let summaries = """
            SELECT group_concat(x, ' | ') FROM (
                SELECT d.id || ' ' || f.length AS x FROM dispatches d JOIN dispatch_facets f ON f.rowid = d.rowid
                UNION ALL SELECT 'block ' || block || ' ' || ifnull(newest, '-') FROM dispatch_blocks
                UNION ALL SELECT field || ' ' || value FROM facet_values ORDER BY 1)
            """
        let incremental = try DispatchIndex(path: database).read { try String.fetchOne($0, sql: summaries) }
        #expect(incremental == "1 6 | 2 211 | 3 4 | block 0 2021-06-01 | category Économie | source APS | source Agence")
        #expect(try DispatchIndex(path: rebuilt).read { try String.fetchOne($0, sql: summaries) } == incremental)
        // The columns' blobs (length, day number, source id and category id of each
        // rowid) say what the facets say.
        for path in [database, rebuilt] {
            try DispatchIndex(path: path).read { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT lengths, days, sources, categories FROM dispatch_columns WHERE block = 0"))
                let columns = (0..<4).map { (row[$0] as Data).withUnsafeBytes { bytes in
                    (0..<bytes.count / 4).map { Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
                } }
                #expect(columns.allSatisfy { $0.count == DispatchIndex.blockSize })
                let facets = try Row.fetchAll(db, sql: """
                    SELECT f.rowid, f.length, f.date, ifnull(s.id, 0), ifnull(c.id, 0) FROM dispatch_facets f
                    LEFT JOIN facet_values s ON s.field = 'source' AND s.value = f.source
                    LEFT JOIN facet_values c ON c.field = 'category' AND c.value = f.category
                    """)
                #expect(facets.count == 3)
                for facet in facets {
                    let rowid: Int = facet[0], date = (facet[2] as String?).flatMap { Day(iso: $0) }
                    #expect(columns.map { $0[rowid] } == [facet[1], date.map { Int32($0.dayNumber) } ?? DispatchColumns.undated, facet[3], facet[4]],
                            "\(path) rowid \(rowid)")
                }
                #expect(columns[0][0] == 0 && columns[1][0] == DispatchColumns.undated, "rowid 0 holds no dispatch")
            }
        }
    }

    @Test func sameTextUnderTwoIdsIsStoredOnceAndBothIdsShowIt() throws {
        let database = try TestSupport.index(records: [
            ["id": "first", "title": "Même dépêche", "body": "Même texte."],
            ["id": "second", "title": "Même dépêche", "body": "Même  texte."],
        ])
        let index = try DispatchIndex(path: database)
        #expect(try index.count() == 1)
        // Shown under its own id (its own metadata too: IdentityTests), with the stored text.
        #expect(try index.dispatch(id: "second")?.id == "second")
        #expect(try index.dispatch(id: "second")?.body == "Même texte.")
        #expect(try Searcher(index: index).search("texte").total == 1)
    }

    @Test func yearlessPageDatesTakeTheBatchNewestYearOrTheYearOption() throws {
        let folder = try TestSupport.temporaryFolder()
        let records = folder + "/r.jsonl"
        try TestSupport.write([["id": "r", "title": "Récent", "body": "x", "date": "2020-09-27"]], to: records)
        let page = TestSupport.fixture("page-with-ticker.txt")
        let inferred = folder + "/inferred.sqlite"
        let report = try IndexUpdater.run(paths: [page, records], databasePath: inferred, options: IndexRunOptions())
        #expect(report.inferredYears == 1)
        let dispatch = try DispatchIndex(path: inferred).dispatch(id: "page-with-ticker")
        #expect(dispatch?.date == Day(year: 2020, month: 3, day: 14))
        #expect(dispatch?.dateQuality == .inferredYear)

        let given = folder + "/given.sqlite"
        _ = try IndexUpdater.run(paths: [page], databasePath: given, options: IndexRunOptions(year: 2018))
        let withYear = try DispatchIndex(path: given).dispatch(id: "page-with-ticker")
        #expect(withYear?.date == Day(year: 2018, month: 3, day: 14))
        #expect(withYear?.dateQuality == .explicit)
    }

    @Test func rebuildReplacesTheContentOfAnExistingIndex() throws {
        let folder = try TestSupport.temporaryFolder()
        let old = folder + "/old.jsonl", new = folder + "/new.jsonl", database = folder + "/i.sqlite"
        try TestSupport.write([["id": "gone", "title": "Ancien", "body": "cacao"]], to: old)
        try TestSupport.write([["id": "kept", "title": "Nouveau", "body": "café"]], to: new)
        _ = try IndexUpdater.run(paths: [old], databasePath: database, options: IndexRunOptions())
        let reader = try DispatchIndex(path: database, readOnly: true)
        #expect(try reader.count() == 1)
        _ = try IndexUpdater.run(paths: [new], databasePath: database, options: IndexRunOptions(rebuild: true))
        // A connection opened before the swap sees the new content too: the file was updated in place.
        #expect(try Searcher(index: reader).search("café").hits.map(\.id) == ["kept"])
        #expect(try Searcher(index: reader).search("cacao").total == 0)
        #expect(!FileManager.default.fileExists(atPath: database + ".rebuild-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    @Test func unreadableFilesAreReportedAndTheRestIndexed() throws {
        let folder = try TestSupport.temporaryFolder()
        let good = folder + "/good.jsonl", binary = folder + "/binary.txt", database = folder + "/i.sqlite"
        try TestSupport.write([["id": "ok", "title": "Bon", "body": "texte", "date": "2020-01-01"]], to: good)
        FileManager.default.createFile(atPath: binary, contents: Data([0x00, 0x01, 0x02, 0xFF]))
        let report = try IndexUpdater.run(paths: [binary, folder + "/missing.jsonl", good], databasePath: database, options: IndexRunOptions())
        #expect(report.added == 1)
        #expect(report.failedFiles == 2)
        #expect(report.problems.map(\.description) == [
            "\(binary): binary file (NUL bytes), not text",
            "\(folder)/missing.jsonl: no such file",
        ])
    }

    @Test func notAnIndexGivesAClearMessage() throws {
        let folder = try TestSupport.temporaryFolder()
        let bogus = folder + "/bogus.sqlite"
        try "not a database".write(toFile: bogus, atomically: true, encoding: .utf8)
        do {
            _ = try DispatchIndex(path: bogus)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "\(bogus) is a file that is not a depeche index; depeche leaves it untouched: give another --db")
        }
        #expect("\(DispatchIndex.OpenError.missing(path: "x.sqlite"))" == "no index at x.sqlite: build one with `depeche index PATH... --db x.sqlite`")
    }
}

@Suite("Index: incremental batches")
struct IncrementalTests {
    @Test func unchangedFilesAreSkippedWithoutBeingRead() throws {
        let folder = try TestSupport.temporaryFolder()
        let source = folder + "/a.jsonl", database = folder + "/i.sqlite"
        try TestSupport.write([["id": "1", "title": "Un", "body": "premier", "date": "2020-01-01"]], to: source)
        _ = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        let second = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        #expect(second.filesUnchanged == 1 && second.filesRead == 0 && second.unchanged == 1)
        // Touched, same bytes: recognised by its hash.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: source)
        let touched = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        #expect(touched.filesUnchanged == 1 && touched.filesRead == 0)
        // Changed: read again.
        try TestSupport.write([["id": "1", "title": "Un", "body": "premier, corrigé", "date": "2020-01-01"]], to: source)
        let changed = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        #expect(changed.filesRead == 1 && changed.updated == 1)
    }

    @Test func facetsFollowEveryAddUpdateAndRemoval() throws {
        let folder = try TestSupport.temporaryFolder()
        let first = folder + "/first.jsonl", second = folder + "/second.jsonl", database = folder + "/i.sqlite"
        try TestSupport.write([["id": "a", "title": "Un", "body": "premier texte", "date": "2020-01-01", "source": "AFP"]], to: first)
        try TestSupport.write([["id": "b", "title": "Deux", "body": "second texte", "date": "2020-02-02", "source": "APS"]], to: second)
        _ = try IndexUpdater.run(paths: [first, second], databasePath: database, options: IndexRunOptions())
        try TestSupport.write([["id": "a", "title": "Un", "body": "premier texte revu", "date": "2021-03-03", "source": "ACI"]], to: first)
        try FileManager.default.removeItem(atPath: second)
        _ = try IndexUpdater.run(paths: [first], databasePath: database, options: IndexRunOptions(prune: true))
        let facets = try DispatchIndex(path: database).read { db in
            try Row.fetchAll(db, sql: "SELECT rowid, date, source FROM dispatch_facets").map { "\($0["date"] as String) \($0["source"] as String)" }
        }
        #expect(facets == ["2021-03-03 ACI"])
        let searcher = Searcher(index: try DispatchIndex(path: database))
        var options = SearchOptions()
        options.filters.allow(["aci"], of: .source)
        options.filters.since = Day(year: 2021, month: 1, day: 1)
        #expect(try searcher.search("texte", options: options).hits.map(\.id) == ["a"])
    }

    @Test func pruneRemovesDispatchesOfVanishedFilesButKeepsTextsSeenElsewhere() throws {
        let folder = try TestSupport.temporaryFolder()
        let first = folder + "/first.jsonl", second = folder + "/second.jsonl", database = folder + "/i.sqlite"
        try TestSupport.write([["id": "only-first", "title": "Seul", "body": "uniquement ici", "date": "2020-01-01"],
                   ["id": "shared-a", "title": "Partagé", "body": "dans les deux fichiers", "date": "2020-01-01"]], to: first)
        try TestSupport.write([["id": "shared-b", "title": "Partagé", "body": "dans les deux fichiers", "date": "2020-01-01"]], to: second)
        let initial = try IndexUpdater.run(paths: [first, second], databasePath: database, options: IndexRunOptions())
        #expect(initial.added == 2 && initial.duplicates == 1)
        try FileManager.default.removeItem(atPath: first)
        let withoutPrune = try IndexUpdater.run(paths: [second], databasePath: database, options: IndexRunOptions())
        #expect(withoutPrune.pruned == 0)
        #expect(try DispatchIndex(path: database).count() == 2)
        let pruned = try IndexUpdater.run(paths: [second], databasePath: database, options: IndexRunOptions(prune: true))
        #expect(pruned.pruned == 1)
        let index = try DispatchIndex(path: database)
        #expect(try index.count() == 1)
        #expect(try index.dispatch(id: "only-first") == nil)
        let kept = try index.dispatch(id: "shared-b")
        #expect(kept?.id == "shared-b")
        #expect(kept?.origin.file == second)
        #expect(try Searcher(index: index).search("uniquement").total == 0)
    }

    @Test func pruningEveryFileOfATextLeavesNoDuplicatePointingNowhere() throws {
        // Removing a dispatch only once no duplicate points to it keeps `duplicates` whole,
        // in either order, without relying on SQLite's cascade (bulk builds run with
        // foreign keys off).
        for vanishing in [["a", "b"], ["b", "a"], ["a"], ["b"]] {
            let folder = try TestSupport.temporaryFolder()
            let database = folder + "/i.sqlite"
            func path(_ name: String) -> String { folder + "/\(name).jsonl" }
            try TestSupport.write([["id": "a1", "title": "Commun", "body": "le même texte", "date": "2020-01-01"]], to: path("a"))
            try TestSupport.write([["id": "b1", "title": "Commun", "body": "le même texte", "date": "2020-01-02"]], to: path("b"))
            try TestSupport.write([["id": "c1", "title": "Autre", "body": "un autre texte", "date": "2020-01-03"]], to: path("c"))
            let initial = try IndexUpdater.run(paths: ["a", "b", "c"].map(path), databasePath: database, options: IndexRunOptions())
            #expect(initial.added == 2 && initial.duplicates == 1)
            for name in vanishing { try FileManager.default.removeItem(atPath: path(name)) }
            let remaining = ["a", "b", "c"].filter { !vanishing.contains($0) }.map(path)
            let pruned = try IndexUpdater.run(paths: remaining, databasePath: database, options: IndexRunOptions(prune: true))
            #expect(pruned.pruned == (vanishing.count == 2 ? 1 : 0), "\(vanishing)")
            let (dispatches, duplicates, orphans) = try DispatchIndex(path: database).read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM dispatches")!,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM duplicates")!,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM duplicates WHERE dispatch_rowid NOT IN (SELECT rowid FROM dispatches)")!)
            }
            #expect(dispatches == (vanishing.count == 2 ? 1 : 2), "\(vanishing)")
            #expect(duplicates == 0, "\(vanishing)")
            #expect(orphans == 0, "\(vanishing)")
        }
    }

    @Test func corruptFilesInABatchAreNamedAndEveryGoodRecordIndexed() throws {
        let folder = try TestSupport.temporaryFolder()
        let good = folder + "/good.jsonl", binary = folder + "/image.jsonl", database = folder + "/i.sqlite"
        try "{\"id\": \"g1\", \"title\": \"Bon\", \"body\": \"texte\", \"date\": \"2020-01-01\"}\n{oops\n{\"id\": \"g2\", \"title\": \"Bon aussi\", \"body\": \"texte\", \"date\": \"2020-01-02\"}\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: binary, contents: Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00]))
        // A gzip file cut in the middle of its second record.
        let truncated = folder + "/cut.jsonl.gz"
        let whole = try Data(contentsOf: URL(fileURLWithPath: TestSupport.fixture("records.jsonl.gz")))
        FileManager.default.createFile(atPath: truncated, contents: whole.prefix(whole.count - 120))
        let report = try IndexUpdater.run(paths: [good, binary, truncated], databasePath: database, options: IndexRunOptions())
        #expect(report.added >= 3, "the good file's two records and what precedes the cut")
        #expect(report.failedFiles == 2)
        #expect(report.problems.map(\.description).contains { $0.hasPrefix("\(good):2: invalid JSON") })
        #expect(report.problems.map(\.description).contains("\(binary): binary file (NUL bytes), not text"))
        #expect(report.problems.map(\.description).contains("\(truncated): cannot read: truncated gzip data"))
        #expect(try DispatchIndex(path: database).dispatch(id: "g2")?.title == "Bon aussi")
    }
}

@Suite("Index: versions")
struct IndexVersionTests {
    @Test func anIndexBuiltWithAnotherAnalyzerAsksForARebuildAndARebuildFixesIt() throws {
        let folder = try TestSupport.temporaryFolder()
        let source = folder + "/a.jsonl"
        try TestSupport.write([["id": "1", "title": "Cacao", "body": "récolte", "date": "2020-01-01"]], to: source)
        let database = folder + "/i.sqlite"
        _ = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions())
        try DispatchIndex(path: database).queue.write { db in
            try db.execute(sql: "UPDATE meta SET value = '0' WHERE key = 'analyzer_version'")
        }
        do {
            _ = try DispatchIndex(path: database)
            Issue.record("expected a refusal")
        } catch {
            #expect("\(error)" == "\(database) was built with French analysis version 0 and this depeche uses version \(DispatchIndex.analyzerVersion); rebuild it with `depeche index PATH... --rebuild`")
        }
        _ = try IndexUpdater.run(paths: [source], databasePath: database, options: IndexRunOptions(rebuild: true))
        #expect(try Searcher(index: DispatchIndex(path: database)).search("cacao").total == 1)
    }

    @Test func theUpgradeStepsAreOrderedAndEndAtTheCurrentSchema() {
        let versions = DispatchIndex.schemaUpgrades.map(\.version)
        #expect(versions == versions.sorted() && Set(versions).count == versions.count)
        #expect(versions.last == DispatchIndex.schemaVersion)
        #expect(DispatchIndex.upgradableSchemas.allSatisfy { from in versions.contains { $0 > from } })
    }

    @Test(arguments: [2, 3, 4, 5, 6, 7, 8])
    func anOlderSchemaIsUpgradedInPlaceByTheNextIndexRunAndRefusedBySearchesUntilThen(version: Int) throws {
        // Texts long enough to have story signatures, and bands.
        let database = try TestSupport.index(records: [
            ["id": "1", "title": "Cacao", "body": "La récolte du cacao avance bien cette année dans les plantations de l'ouest, "
                + "où les pluies sont revenues à temps et où les coopératives attendent un prix plus juste.",
             "date": "2020-01-01", "source": "APS"],
            ["id": "2", "title": "Café", "body": "Le café et le cacao reculent sur les marchés de Londres et de New York, "
                + "après une semaine de hausse portée par les craintes sur la météo en Afrique de l'Ouest.",
             "date": "2020-01-02", "source": "Agence", "category": "Économie"],
        ])
        let lengths = "SELECT rowid, length FROM dispatch_facets ORDER BY rowid"
        let blocks = "SELECT block || ' ' || newest FROM dispatch_blocks"
        let values = "SELECT field || ' ' || value FROM facet_values ORDER BY 1"
        let columns = "SELECT * FROM dispatch_columns"
        let bands = "SELECT key, member FROM story_bands ORDER BY key, member"
        let built = try DispatchIndex(path: database).read { try Row.fetchAll($0, sql: lengths) }
        let builtBands = try DispatchIndex(path: database).read { try Row.fetchAll($0, sql: bands) }
        #expect(builtBands.count == 2 * StorySignature.bands)
        let builtColumns = try DispatchIndex(path: database).read { try Row.fetchAll($0, sql: columns) }
        #expect(try DispatchIndex(path: database).read { try String.fetchAll($0, sql: blocks) } == ["0 2020-01-02"])
        #expect(builtColumns.count == 1)
        // What depeche's schema 2 was: no length among the facets; schema 3: no columns.
        try DispatchIndex(path: database).queue.write { db in
            if version == 2 {
                // Schema 2 had FTS5's table of row sizes (one varint per column; one for all will do).
                try db.execute(sql: "CREATE TABLE dispatch_fts_docsize(id INTEGER PRIMARY KEY, sz BLOB)")
                for row in try Row.fetchAll(db, sql: "SELECT rowid, length FROM dispatch_facets") {
                    var length: Int = row[1], bytes: [UInt8] = [UInt8(length & 0x7f)]
                    length >>= 7
                    while length > 0 { bytes.insert(UInt8(length & 0x7f) | 0x80, at: 0); length >>= 7 }
                    try db.execute(sql: "INSERT INTO dispatch_fts_docsize(id, sz) VALUES (?, ?)", arguments: [row[0] as Int64, Data(bytes)])
                }
                try db.execute(sql: "ALTER TABLE dispatch_facets DROP COLUMN length; DROP TABLE dispatch_blocks; DROP TABLE facet_values")
            }
            if version <= 3 { try db.execute(sql: "DROP TABLE dispatch_columns") }
            // Schema 4 kept no metadata of duplicates and no reading of sources; nor did
            // any index mark itself with depeche's application id.
            if version <= 4 {
                for column in DispatchIndex.duplicateMetadataColumns {
                    try db.execute(sql: "ALTER TABLE duplicates DROP COLUMN \(column.split(separator: " ")[0])")
                }
                for column in DispatchIndex.sourceReadingColumns {
                    try db.execute(sql: "ALTER TABLE sources DROP COLUMN \(column.split(separator: " ")[0])")
                }
            }
            // Schema 5 had no index runs and no saved searches.
            if version <= 5 {
                try db.execute(sql: """
                    DROP INDEX dispatches_changed_run; DROP TABLE saved_searches;
                    ALTER TABLE dispatches DROP COLUMN added_run; ALTER TABLE dispatches DROP COLUMN changed_run
                    """)
            }
            // Schema 8 had no record of what saved searches were shown, and stored a record
            // without an id under its origin, as the file was named.
            try db.execute(sql: "DROP TABLE watch_delivered; UPDATE dispatches SET id = 'records.jsonl:2', origin = 'records.jsonl:2' WHERE id = '2'")
            // Schema 6 had no story groups; schema 7 kept their bands in a rowid table, indexed.
            if version <= 6 {
                try db.execute(sql: "DROP TABLE story_members; DROP TABLE story_bands")
            } else if version == 7 {
                try db.execute(sql: """
                    CREATE TABLE story_bands_rows(key INTEGER NOT NULL, member INTEGER NOT NULL);
                    INSERT INTO story_bands_rows SELECT key, member FROM story_bands;
                    DROP TABLE story_bands; ALTER TABLE story_bands_rows RENAME TO story_bands;
                    CREATE INDEX story_bands_key ON story_bands(key, member);
                    """)
            }
            try db.execute(sql: "PRAGMA application_id = 0; UPDATE meta SET value = ? WHERE key = 'schema_version'", arguments: [String(version)])
        }
        do {
            _ = try DispatchIndex(path: database, readOnly: true)
            Issue.record("expected a refusal")
        } catch {
            #expect("\(error)" == "\(database) was made by an older depeche (index schema \(version)); the next `depeche index PATH... --db \(database)` upgrades it in place")
        }
        let upgraded = try DispatchIndex(path: database)
        #expect(upgraded.upgradedFrom == version)
        #expect(try DispatchIndex(path: database).upgradedFrom == nil)
        #expect(try upgraded.read { try Row.fetchAll($0, sql: lengths) } == built)
        #expect(try upgraded.read { try String.fetchAll($0, sql: blocks) } == ["0 2020-01-02"])
        #expect(try upgraded.read { try String.fetchAll($0, sql: values) } == ["category Économie", "source APS", "source Agence"])
        #expect(try upgraded.read { try Row.fetchAll($0, sql: columns) } == builtColumns)
        #expect(try upgraded.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'schema_version'") } == "\(DispatchIndex.schemaVersion)")
        #expect(try upgraded.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") } == IndexFile.applicationID)
        #expect(try upgraded.read { try String.fetchAll($0, sql: "SELECT name FROM pragma_table_info('sources')") }.contains("read_options"))
        #expect(try upgraded.read { try String.fetchAll($0, sql: "SELECT name FROM pragma_table_info('dispatches')") }.contains("changed_run"))
        #expect(try upgraded.savedSearches().searches.isEmpty)
        #expect(try upgraded.read { try Int.fetchOne($0, sql: "SELECT count(DISTINCT story) FROM story_members") } == 2)
        #expect(try upgraded.read { try Row.fetchAll($0, sql: bands) } == builtBands)
        #expect(try upgraded.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM story_bands WHERE day IS NULL") } == 0)
        #expect(try upgraded.read { try Bool.fetchOne($0, sql: "SELECT wr FROM pragma_table_list WHERE name = 'story_bands'") } == true)
        #expect(try upgraded.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'story_bands%'") } == ["story_bands"])
        // The positional id became the record's own; the origin names the file absolutely.
        let second = try upgraded.read { try Row.fetchOne($0, sql: "SELECT id, origin, source_file, content_hash FROM dispatches WHERE rowid = 2")! }
        let derived = Dispatch.derivedID(source: "Agence", explicitDay: Day(iso: "2020-01-02"), contentHash: second["content_hash"])
        #expect(second["id"] == derived && derived.hasPrefix("2020-01-02-"))
        #expect(second["origin"] == (second["source_file"] as String) + ":2")
        #expect(try Searcher(index: DispatchIndex(path: database, readOnly: true)).search("cacao").hits.map(\.id) == ["1", derived])
    }

    @Test func theFacetsKeepEachDispatchLengthAsFTS5CountsIt() throws {
        let database = try TestSupport.index(records: [
            ["id": "1", "title": "Côte d’Ivoire", "standfirst": "Chapeau court.", "body": String(repeating: "La récolte du cacao avance. ", count: 40)],
        ])
        try DispatchIndex(path: database).read { db in
            let length = try Int.fetchOne(db, sql: "SELECT length FROM dispatch_facets")
            #expect(length == 2 + 2 + 40 * 5) // côte ivoire (d’ elided), chapeau court, la récolte du cacao avance
            // FTS5 keeps no sizes (columnsize=0): its bm25 tokenizes the row again, and
            // relevanceIsFTS5Bm25WithTheFieldWeights checks that it counts these lengths.
            #expect(try !db.tableExists("dispatch_fts_docsize"))
        }
        // One byte per column under 128 tokens; two for 128 and more (7 bits each, high bit first).
        #expect(TokenCountFunction.tokenCount([0x03, 0x02]) == 5)
        #expect(TokenCountFunction.tokenCount([0x02, 0x81, 0x00, 0x81, 0x01]) == 2 + 128 + 129)
    }

    @Test func aMemoryMappedIndexGivesTheSameHitsAndOnlyWhenAsked() throws {
        let database = try TestSupport.index(records: SearchTests.mixedRecords(count: 50))
        let mapped = try DispatchIndex(path: database, readOnly: true, memoryMapped: true)
        let copied = try DispatchIndex(path: database, readOnly: true)
        #expect(try mapped.read { try Int.fetchOne($0, sql: "PRAGMA mmap_size") } == DispatchIndex.mappedBytes)
        #expect(try copied.read { try Int.fetchOne($0, sql: "PRAGMA mmap_size") } == 0)
        let hits = { (index: DispatchIndex) in try Searcher(index: index).search("cacao").hits.map { "\($0.id) \($0.score)" } }
        #expect(try hits(mapped) == hits(copied))
        #expect(try !hits(mapped).isEmpty)
    }

    @Test func anIndexFromANewerDepecheIsRefused() throws {
        let database = try TestSupport.index(records: [["id": "1", "title": "Cacao", "body": "récolte", "date": "2020-01-01"]])
        try DispatchIndex(path: database).queue.write { db in
            try db.execute(sql: "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        }
        #expect(throws: DispatchIndex.OpenError.self) { try DispatchIndex(path: database) }
    }
}
