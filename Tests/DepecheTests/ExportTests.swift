import Foundation
import Testing
@testable import DepecheIngest
@testable import DepecheOutput

/// Parses CSV or TSV text with the ingest parser (RFC 4180, tested on its own).
func parseDelimited(_ text: String, delimiter: Character) throws -> [[String]] {
    var rows: [[String]] = []
    var splitter = RowSplitter(delimiter: delimiter.asciiValue!)
    try splitter.feed(Array(text.utf8)[...]) { fields, _ in rows.append(fields.map { String(decoding: $0, as: UTF8.self) }) }
    _ = try splitter.finish { fields, _ in rows.append(fields.map { String(decoding: $0, as: UTF8.self) }) }
    return rows
}

@Suite("Export", .serialized)
struct ExportTests {
    /// Dispatches whose fields hold what breaks naive writers: commas, quotes, line breaks, accents.
    static let database: String = {
        let records: [[String: Any]] = (1...12).map { number in
            var record: [String: Any] = [
                "id": "e\(number)",
                "title": "Cacao, \"prix\" record n°\(number) à Abidjan; l’État réagit | Côte d’Ivoire",
                "body": "Premier paragraphe sur le cacao, numéro \(number).\nSecond paragraphe : « des planteurs » inquiets.\tFin.",
                "date": "2021-0\(number % 9 + 1)-1\(number % 10)",
                "source": number % 2 == 0 ? "AIP" : "APS",
                "category": "Économie",
                "url": "https://example.org/cacao?n=\(number)&x=\"y\"",
                "standfirst": "Chapeau \(number)",
            ]
            if number % 3 == 0 { record["author"] = "Awa Traoré" }
            return record
        }
        return try! TestSupport.index(records: records)
    }()

    func run(_ arguments: [String]) throws -> CLI.Run {
        try CLI.run(arguments + ["--db", Self.database])
    }

    func searchJSON(_ query: String, _ extra: [String] = []) throws -> [[String: Any]] {
        let output = try run(["search", query, "--format", "json", "--limit", "1000"] + extra).stdout
        return (try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any])["hits"] as! [[String: Any]]
    }

    static let columns = HitField.defaults.map(\.rawValue)

    func text(_ value: Any?) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber: return JSONText.formatted(number.doubleValue)
        default: return ""
        }
    }

    @Test func csvRoundTripsEveryFieldInTheSearchOrder() throws {
        let reference = try searchJSON("cacao")
        #expect(reference.count == 12)
        let rows = try parseDelimited(try run(["export", "cacao", "--format", "csv"]).stdout, delimiter: ",")
        #expect(rows[0] == Self.columns)
        #expect(rows.count == 13)
        for (row, hit) in zip(rows.dropFirst(), reference) {
            #expect(row == Self.columns.map { text(hit[$0]) })
        }
    }

    @Test func excelCSVHasABOMAndSemicolons() throws {
        let output = try run(["export", "cacao", "--excel", "--fields", "id,title"]).stdout
        #expect(output.hasPrefix("\u{FEFF}id;title\r\n"))
        let rows = try parseDelimited(String(output.dropFirst()), delimiter: ";")
        #expect(rows[1][1].contains("; l’État réagit"))
    }

    @Test func tsvFlattensTabsAndLineBreaks() throws {
        let reference = try searchJSON("cacao")
        let lines = try run(["export", "cacao", "--format", "tsv", "--fields", "id,title,snippet"]).stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 13)
        for (line, hit) in zip(lines.dropFirst(), reference) {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(cells == [text(hit["id"]), text(hit["title"]), text(hit["snippet"]).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")])
        }
    }

    @Test func jsonAndJSONLinesMatchSearch() throws {
        let reference = try searchJSON("cacao", ["--since", "2021-03-01"])
        let document = try JSONSerialization.jsonObject(with: Data(try run(["export", "cacao", "--format", "json", "--since", "2021-03-01"]).stdout.utf8)) as! [String: Any]
        #expect(document["query"] as? String == "cacao")
        #expect(document["total"] as? Int == reference.count)
        let hits = document["hits"] as! [[String: Any]]
        #expect(hits.map { $0["id"] as! String } == reference.map { $0["id"] as! String })
        #expect(NSArray(array: hits).isEqual(to: reference))
        let lines = try run(["export", "cacao", "--format", "jsonl", "--since", "2021-03-01"]).stdout.split(separator: "\n")
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(NSArray(array: objects).isEqual(to: reference))
    }

    @Test func markdownTableEscapesBars() throws {
        let lines = try run(["export", "cacao", "--format", "md", "--fields", "rank,title,source"]).stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "| rank | title | source |")
        #expect(lines[1] == "| --- | --- | --- |")
        #expect(lines[2].hasPrefix("| 1 | Cacao, \"prix\" record n°"))
        #expect(lines[2].contains("l’État réagit \\| Côte d’Ivoire |"))
        #expect(lines.count == 14)
    }

    @Test func fieldsChooseAndOrderColumnsIncludingRankUrlAndBody() throws {
        let rows = try parseDelimited(try run(["export", "cacao", "--fields", "rank,url,body", "--sort", "date"]).stdout, delimiter: ",")
        #expect(rows[0] == ["rank", "url", "body"])
        #expect(rows[1][0] == "1")
        #expect(rows[1][1].hasPrefix("https://example.org/cacao?n="))
        #expect(rows[1][2].contains("\nSecond paragraphe : « des planteurs » inquiets.\tFin."))
        // The author and the standfirst can be asked for; a dispatch without an author has
        // an empty cell (null in JSON, as every missing value).
        let people = try parseDelimited(try run(["export", "cacao", "--fields", "id,author,standfirst", "--sort", "date"]).stdout, delimiter: ",")
        #expect(people[0] == ["id", "author", "standfirst"])
        for row in people.dropFirst() {
            let number = Int(row[0].dropFirst())!
            #expect(row[1] == (number % 3 == 0 ? "Awa Traoré" : "") && row[2] == "Chapeau \(number)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(try run(["export", "cacao", "--format", "json", "--fields", "id,author"]).stdout.utf8)) as! [String: Any]
        #expect((json["hits"] as! [[String: Any]]).allSatisfy { $0["author"] is String || $0["author"] is NSNull })
        let bad = try run(["export", "cacao", "--fields", "id,auteur"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("depeche: --fields: unknown column 'auteur'"))
    }

    @Test func exportToAFileAppearsOnlyWhenComplete() throws {
        let folder = try TestSupport.temporaryFolder()
        let target = folder + "/hits.csv"
        let run = try run(["export", "cacao", "-o", target])
        #expect(run.status == 0)
        #expect(run.stderr == "depeche: 12 hits written to \(target)\n")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("id,title,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["hits.csv"])
    }

    @Test(.longCase) func aKilledExportLeavesNoFileUnderTheFinalName() throws {
        let folder = try TestSupport.temporaryFolder()
        let lines = (0..<20_000).map { "{\"id\": \"k\($0)\", \"title\": \"Récolte de cacao \($0)\", \"body\": \"Le cacao de la campagne \($0).\", \"date\": \"2020-01-01\"}" }
        try lines.joined(separator: "\n").write(toFile: folder + "/big.jsonl", atomically: true, encoding: .utf8)
        let database = folder + "/big.sqlite"
        #expect(try CLI.run(["index", folder + "/big.jsonl", "--db", database]).status == 0)
        let target = folder + "/export.jsonl"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["export", "cacao", "--format", "jsonl", "--fields", "id,title,body,snippet", "-o", target, "--db", database]
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.4)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the export finished before it could be killed")
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
