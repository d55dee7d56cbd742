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
