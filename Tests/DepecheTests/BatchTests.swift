import Foundation
import Testing

/// `depeche batch`: a list of queries, one hit list, errors per line.
@Suite("Batch search")
struct BatchTests {
    static var database: String { CommandLineTests.bundledIndex }

    func write(_ text: String, named name: String) throws -> String {
        let path = try TestSupport.temporaryFolder() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aListOfQueriesGivesOneListAndABadLineDoesNotStopIt() throws {
        let file = try write("# veille Congo\nRosatom\n\nDakar OR\nBouenza\n", named: "veille.txt")
        let run = try CLI.run(["batch", file, "--db", Self.database, "--fields", "rank,id", "--limit", "1"])
        #expect(run.status == 2)
        #expect(run.stdout == "query,rank,id\r\nRosatom,1,001_congo-rosatom-centres-de-donnees\r\nBouenza,1,026_congo-sassou-nguesso-agriculture\r\n")
        let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("depeche:") }
        #expect(errors == ["depeche: \(file):4: query error at column 7: OR needs a term after it"])
        // The summary: each query, its hits, its newest date.
        #expect(run.stderr.contains("Rosatom "))
        #expect(run.stderr.contains("\(file):4: query error at column 7"))
    }

    @Test func aTableGivesNamesDatesAndSourcesPerQuery() throws {
        let file = try write("name,query,since,source\nNucléaire,Rosatom,2020,\nSénégal,Dakar,,APS\n", named: "requetes.csv")
        let run = try CLI.run(["batch", file, "--db", Self.database, "--format", "json", "--fields", "id,date,source", "--limit", "0"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let hits = try #require(object["hits"] as? [[String: Any]])
        let queries = try #require(object["queries"] as? [[String: Any]])
        #expect(queries.map { $0["query"] as? String } == ["Nucléaire", "Sénégal"])
        #expect(queries.map { $0["origin"] as? String } == ["\(file):2", "\(file):3"])
        // `since 2020` keeps the 2020 Rosatom dispatch and its update, not the 2019 one.
        #expect(hits.filter { $0["query"] as? String == "Nucléaire" }.map { $0["id"] as? String }
            == ["001_congo-rosatom-centres-de-donnees", "043_congo-rosatom-centres-de-donnees-maj"])
        let dakar = hits.filter { $0["query"] as? String == "Sénégal" }
        #expect(!dakar.isEmpty && dakar.allSatisfy { $0["source"] as? String == "APS" })
        #expect(queries[1]["total"] as? Int == dakar.count)
    }

    @Test func aHitFoundByTwoQueriesIsListedOncePerQuery() throws {
        let file = try write("Rosatom\ndata center\n", named: "two.txt")
        let run = try CLI.run(["batch", file, "--db", Self.database, "--fields", "id", "--format", "tsv"])
        #expect(run.stdout.contains("Rosatom\t001_congo-rosatom-centres-de-donnees\n"))
        #expect(run.stdout.contains("data center\t001_congo-rosatom-centres-de-donnees\n"))
    }

    @Test func theSummaryFormatAndStandardInput() throws {
        let queries = try write("Rosatom\nzzzq\n", named: "stdin.txt")
        let run = try CLI.run(["batch", "-", "--db", Self.database, "--format", "summary"], input: queries)
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("query") == true)
        #expect(lines.contains { $0.hasPrefix("Rosatom") && $0.contains(" 3  2020-12-10") })
        #expect(lines.contains { $0.hasPrefix("zzzq") && $0.contains(" 0  —") })
        let nothing = try write("zzzq\n", named: "none.txt")
        #expect(try CLI.run(["batch", nothing, "--db", Self.database]).status == 1)
        let table = try write("titre,requete\nx,y\n", named: "bad.csv")
        let refused = try CLI.run(["batch", table, "--db", Self.database])
        #expect(refused.status == 2 && refused.stderr == "depeche: \(table):1: no query column (columns: titre, requete)\n")
    }
}

/// Batch files read as a stream, whatever their line ends, marks and size (#27).
@Suite("Batch files: bounded and clean")
struct BatchFileTests {
    static var database: String { CommandLineTests.bundledIndex }
    /// What Excel's "CSV UTF-8" writes first.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The query names of a summary table, in order.
    static func summarized(_ run: CLI.Run) -> [String] {
        run.stdout.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != " " }) }
    }

    static func write(_ bytes: [UInt8], named name: String) throws -> String {
        let path = try TestSupport.temporaryFolder() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func windowsAndClassicMacLineEndsEndLines() throws {
        for ending in ["\r\n", "\r"] {
            let file = try Self.write(Array("Rosatom\(ending)Dakar\(ending)# c\(ending)\(ending)Bouenza\(ending)".utf8), named: "veille.txt")
            let run = try CLI.run(["batch", file, "--db", Self.database, "--format", "summary"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(Self.summarized(run) == ["Rosatom", "Dakar", "Bouenza"], "\(run.stdout)")
        }
        // A table too: rows end at CRLF, and at CR.
        let table = try Self.write(Array("name,query\r\nA,Rosatom\rB,Dakar\r\n".utf8), named: "table.csv")
        #expect(Self.summarized(try CLI.run(["batch", table, "--db", Self.database, "--format", "summary"])) == ["A", "B"])
    }

    @Test func aByteOrderMarkIsNotPartOfTheFirstLine() throws {
        let table = try Self.write(Self.byteOrderMark + Array("query,name\nRosatom,nucléaire\n".utf8), named: "excel.csv")
        let run = try CLI.run(["batch", table, "--db", Self.database, "--format", "summary"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.summarized(run) == ["nucléaire"])
        let plain = try Self.write(Self.byteOrderMark + Array("Rosatom\n".utf8), named: "liste.txt")
        let listed = try CLI.run(["batch", plain, "--db", Self.database, "--format", "json", "--fields", "id"])
        #expect(listed.stdout.contains("\"query\":\"Rosatom\",\"origin\""), "\(listed.stdout)")
    }

    @Test func aSkippedOrUnreadLineMakesTheStatusTwo() throws {
        let ragged = try Self.write(Array("query,name\nRosatom,a,b\nDakar,d\n".utf8), named: "ragged.csv")
        let run = try CLI.run(["batch", ragged, "--db", Self.database, "--format", "summary"])
        #expect(run.status == 2 && run.stderr.contains("\(ragged):2: row has 3 fields, the header has 2; skipped"))
        #expect(Self.summarized(run) == ["d"])
        let empty = try Self.write(Array("\n# rien\n".utf8), named: "empty.csv")
        let refused = try CLI.run(["batch", empty, "--db", Self.database])
        #expect(refused.status == 2 && refused.stderr == "depeche: \(empty): empty file: no header line\n", "\(refused.stderr)")
        let unclosed = try Self.write(Array("query\nRosatom\n\"Dakar\n".utf8), named: "quote.csv")
        let cut = try CLI.run(["batch", unclosed, "--db", Self.database, "--format", "summary"])
        #expect(cut.status == 2 && cut.stderr.contains("\(unclosed):3: quote opened here is never closed"))
    }

    @Test func aHugeLineIsSkippedUnreadAndALongQueryRefused() throws {
        let huge = Array(repeating: UInt8(ascii: "a"), count: 3 << 20) + Array("\n".utf8)
        let long = Array(repeating: UInt8(ascii: "b"), count: 20 << 10) + Array("\n".utf8)
        let file = try Self.write(huge + long + Array("Rosatom\n".utf8), named: "huge.txt")
        let run = try CLI.run(["batch", file, "--db", Self.database, "--format", "summary"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(file):1: line over 64 KB: no query is that long; skipped"))
        #expect(run.stderr.contains("\(file):2: query error at column 1: too long: a query takes at most 8 KB"))
        #expect(Self.summarized(run).last == "Rosatom")
        // The same cap for a command-line query.
        let search = try CLI.run(["search", String(repeating: "mot ", count: 3_000), "--db", Self.database])
        #expect(search.status == 2 && search.stderr.contains("too long: a query takes at most 8 KB"))
    }

    @Test func pipesAndProcessSubstitutionsAreReadAndAFolderIsNamed() throws {
        let fromPipe = try CLI.run(["-c", "'\(CLI.executable)' batch <(printf 'Rosatom\\n') --db '\(Self.database)' --format summary"], executable: "/bin/bash")
        #expect(fromPipe.status == 0 && Self.summarized(fromPipe) == ["Rosatom"], "\(fromPipe.stderr)")
        let synonyms = try CLI.run(["-c", "printf 'Rosatom, zzqx\\n' | '\(CLI.executable)' search zzqx --synonyms /dev/stdin --db '\(Self.database)' --format ids"],
                                   executable: "/bin/bash")
        #expect(synonyms.status == 0 && synonyms.stdout.contains("001_congo-rosatom-centres-de-donnees"), "\(synonyms.stderr)")
        let folder = try TestSupport.temporaryFolder()
        let refused = try CLI.run(["batch", folder, "--db", Self.database])
        #expect(refused.status == 2 && refused.stderr == "depeche: \(folder): a folder, not a file\n")
        let synonymFolder = try CLI.run(["search", "Rosatom", "--synonyms", folder, "--db", Self.database])
        #expect(synonymFolder.status == 2 && synonymFolder.stderr.contains("--synonyms \(folder): a folder, not a file"))
    }

    @Test func eachQueryHasTheTimeBudgetOfASearch() throws {
        let file = try Self.write(Array("Rosatom\n".utf8), named: "one.txt")
        let run = try CLI.run(["batch", file, "--db", Self.database, "--format", "json", "--timeout", "30"])
        #expect(run.status == 0 && run.stdout.contains("\"partial\":false"))
        #expect(try CLI.run(["batch", file, "--db", Self.database, "--timeout", "-1"]).status == 2)
    }
}
