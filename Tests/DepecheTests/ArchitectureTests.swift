import Foundation
import Testing

/// The layering of docs/ARCHITECTURE.md, read from the sources: each stage imports only
/// the stages before it, only the index speaks SQL and FTS5's query language.
@Suite("Architecture")
struct ArchitectureTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// The project's modules each target may import (system and C modules aside).
    static let allowed: [String: Set<String>] = [
        "DepecheModel": [],
        "DepecheAnalysis": ["DepecheModel"],
        "DepecheIngest": ["DepecheModel", "DepecheAnalysis"],
        "DepecheRanking": ["DepecheModel"],
        "DepecheIndex": ["DepecheModel", "DepecheAnalysis", "DepecheRanking", "GRDB", "GRDBSQLite"],
        "DepecheIndexing": ["DepecheModel", "DepecheAnalysis", "DepecheIngest", "DepecheIndex"],
        "DepecheSearch": ["DepecheModel", "DepecheAnalysis", "DepecheRanking", "DepecheIndex"],
        "DepecheOutput": ["DepecheModel"],
        "depeche": ["DepecheModel", "DepecheIngest", "DepecheRanking", "DepecheIndex", "DepecheIndexing", "DepecheSearch",
                    "DepecheOutput", "ArgumentParser"],
        "depeche-bench": ["DepecheModel", "DepecheIndex", "DepecheSearch", "DepecheOutput"],
    ]
    static let projectModules: Set<String> = Set(allowed.keys.map { $0 == "depeche-bench" ? "depeche_bench" : $0 })
        .union(["GRDB", "GRDBSQLite", "ArgumentParser"])

    /// Each Swift file of each target, with its text.
    static func files() throws -> [(target: String, path: String, text: String)] {
        var found: [(String, String, String)] = []
        for target in try FileManager.default.contentsOfDirectory(atPath: sources.path) where allowed[target] != nil {
            let folder = sources.appendingPathComponent(target)
            guard let walker = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let path as String in walker where path.hasSuffix(".swift") {
                found.append((target, "\(target)/\(path)", try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)))
            }
        }
        return found
    }

    @Test func eachTargetImportsOnlyTheStagesBeforeIt() throws {
        let files = try Self.files()
        #expect(Set(files.map(\.target)) == Set(Self.allowed.keys))
        for file in files {
            for line in file.text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                let module = String(line.split(separator: " ").last!)
                guard Self.projectModules.contains(module) else { continue }
                #expect(Self.allowed[file.target]!.contains(module), "\(file.path) imports \(module)")
            }
        }
    }

    @Test func onlyTheIndexWritesSQLOrTheFullTextQueryLanguage() throws {
        // A statement, a MATCH, or the tokenizer's markers (the index writes a
        // `FullTextMatch` in FTS5's language: `.fts5`).
        let spoken = ["SELECT ", "MATCH ?", "INSERT INTO", "\\u{1}", "exactMarker", "verbatimMarker", ".fts5"]
        for file in try Self.files() where file.target != "DepecheIndex" {
            for word in spoken {
                #expect(!file.text.contains(word), "\(file.path) contains \(word)")
            }
        }
    }
}
