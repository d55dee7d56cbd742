import Foundation

/// The formats `depeche index` reads, chosen from the file name (a `.gz` suffix is
/// looked through) or, for standard input, from the first byte.
public enum InputFormat: String, CaseIterable, Sendable {
    /// A scraped agency page in the seed layout, one dispatch per file.
    case page
    /// One JSON object per line.
    case jsonLines
    /// A JSON array of objects (or a single object).
    case jsonDocument

    static func forFile(_ path: String) -> InputFormat? {
        var name = (path as NSString).lastPathComponent.lowercased()
        if name.hasSuffix(".gz") { name = String(name.dropLast(3)) }
        switch (name as NSString).pathExtension {
        case "jsonl", "ndjson": return .jsonLines
        case "json": return .jsonDocument
        case "txt", "page", "": return .page
        default: return nil
        }
    }
}

/// Turns paths (files, folders, `-`) into ingest records, one format reader per file,
/// text normalized to NFC. Problems are reported per file and record; reading goes on.
public final class Ingestor {
    private let jsonReader: JSONRecordReader
    private let icu: ICUText

    public init(mapping: FieldMapping = FieldMapping()) throws {
        jsonReader = JSONRecordReader(mapping: mapping)
        icu = try ICUText()
    }

    /// The files to read, in a stable order: named files as given, folders walked
    /// recursively (sorted; hidden entries and unknown extensions skipped).
    public func files(for paths: [String], problem: (IngestProblem) -> Void) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                files.append(contentsOf: walk(path, problem: problem))
            } else {
                files.append(path)
            }
        }
        return files
    }

    private func walk(_ folder: String, problem: (IngestProblem) -> Void) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            problem(IngestProblem(file: folder, message: "cannot list folder"))
            return []
        }
        var files: [String] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                files.append(contentsOf: walk(path, problem: problem))
            } else if InputFormat.forFile(path) != nil {
                files.append(path)
            }
        }
        return files
    }

    /// Reads one file (or `-`), calling `record` for each dispatch and `problem` for
    /// each record that could not be read. Throws when the file as a whole cannot be read.
    public func read(file: String, record: (IngestRecord) throws -> Void, problem: (IngestProblem) -> Void) throws {
        let input = try InputFile(path: file)
        guard let format = file == "-" ? try sniff(input) : InputFormat.forFile(file) else {
            throw IngestProblem(file: file, message: "unsupported file type (expected .txt pages, .jsonl or .json, optionally .gz)")
        }
        func normalized(_ read: IngestRecord) throws { try record(normalize(read)) }
        switch format {
        case .jsonLines:
            try jsonReader.readLines(of: input, record: normalized, problem: problem)
        case .jsonDocument:
            let bytes = try input.readAll()
            let opensArray = bytes.first(where: { !Self.isJSONSpace($0) }) == UInt8(ascii: "[")
            if opensArray || (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil {
                try jsonReader.readDocument(bytes, file: file, record: normalized, problem: problem)
            } else {
                // Many `.json` files are JSON Lines in fact.
                try jsonReader.readLines(of: InputFile(path: file), record: normalized, problem: problem)
            }
        case .page:
            let bytes = try input.readAll()
            if bytes.contains(0) { throw IngestProblem(file: file, message: "binary file (NUL bytes), not a text page") }
            let decoded = TextDecoding.decode(bytes)
            if decoded.usedWindows1252 { problem(IngestProblem(file: file, message: "not valid UTF-8; read as Windows-1252")) }
            try normalized(PageParser.parse(decoded.text, id: Self.pageID(file), file: file))
        }
    }

    /// Standard input: JSON when it opens with `{` or `[`, a page otherwise.
    private func sniff(_ input: InputFile) throws -> InputFormat {
        let first = try input.peek().first(where: { !Self.isJSONSpace($0) })
        switch first {
        case UInt8(ascii: "{"): return .jsonLines
        case UInt8(ascii: "["): return .jsonDocument
        default: return .page
        }
    }

    /// The id of a page: its file name without extension(s) (`000_56b7b411e1511fc9`).
    static func pageID(_ file: String) -> String {
        if file == "-" { return "stdin" }
        var name = (file as NSString).lastPathComponent
        if name.lowercased().hasSuffix(".gz") { name = String(name.dropLast(3)) }
        return (name as NSString).deletingPathExtension
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0xEF || byte == 0xBB || byte == 0xBF
    }

    /// NFC for every text field, so that decomposed accents match composed ones.
    private func normalize(_ record: IngestRecord) -> IngestRecord {
        var record = record
        var dispatch = record.dispatch
        dispatch.title = icu.nfc(dispatch.title)
        dispatch.standfirst = icu.nfc(dispatch.standfirst)
        dispatch.body = icu.nfc(dispatch.body)
        dispatch.source = dispatch.source.map(icu.nfc)
        dispatch.category = dispatch.category.map(icu.nfc)
        dispatch.city = dispatch.city.map(icu.nfc)
        dispatch.author = dispatch.author.map(icu.nfc)
        record.dispatch = dispatch
        return record
    }
}
