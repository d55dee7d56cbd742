import Foundation
import DepecheModel
import DepecheAnalysis

/// The formats `depeche index` reads, chosen from the file name (a `.gz` suffix is
/// looked through), from the first byte for standard input, or by `--format`.
public enum InputFormat: String, CaseIterable, Sendable {
    /// A scraped agency page in the seed layout, one dispatch per file.
    case page
    /// One JSON object per line.
    case jsonl
    /// A JSON array of objects (or a single object, or JSON Lines in a `.json` file).
    case json
    /// Comma-separated values with a header (`;` and `|` detected too).
    case csv
    /// Tab-separated values with a header.
    case tsv

    static func forFile(_ path: String) -> InputFormat? {
        var name = (path as NSString).lastPathComponent.lowercased()
        if name.hasSuffix(".gz") { name = String(name.dropLast(3)) }
        switch (name as NSString).pathExtension {
        case "jsonl", "ndjson": return .jsonl
        case "json": return .json
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "txt", "page", "": return .page
        default: return nil
        }
    }
}

/// Turns paths (files, folders, `-`) into ingest records, one format reader per file,
/// text normalized to NFC. Problems are reported per file and record; reading goes on.
///
///     let ingestor = try Ingestor()
///     for file in ingestor.files(for: ["corpus"], problem: { print($0) }) {
///         try ingestor.read(file: file, record: { print($0.dispatch.title) }, problem: { print($0) })
///     }
public final class Ingestor {
    private let mapping: FieldMapping
    /// The format of every file, when `--format` forces one.
    private let forcedFormat: InputFormat?
    private let icu: ICUText

    public init(mapping: FieldMapping = FieldMapping(), format: InputFormat? = nil) throws {
        self.mapping = mapping
        forcedFormat = format
        icu = try ICUText()
    }

    /// The files to read, in a stable order: named files as given, folders walked
    /// recursively (sorted; hidden entries and unknown extensions skipped; `include` and
    /// `exclude` globs, matched against the name and the path, choose among them).
    ///
    /// Each real folder and file is visited once, by device and inode, however many links
    /// lead to it (a link loop, `ln -s .. up`). In folders, only regular files are read: a
    /// FIFO, socket or device found there is reported and skipped (reading a FIFO nobody
    /// writes would block the run forever); one named on the command line is read, as
    /// standard input is (`depeche index <(zcat export.jsonl.gz)`).
    ///
    /// A glob with a `/` is matched against the path under the folder named (`drc/*.csv`
    /// in `depeche index corpus`) as well as against the whole path; an `--include`
    /// that matches no file of any folder named is said, since it usually means a
    /// mistyped pattern.
    public func files(for paths: [String], include: [String] = [], exclude: [String] = [], problem: (IngestProblem) -> Void) -> [String] {
        var files: [String] = []
        var visited = Set<FileIdentity>()
        var folders: [String] = []
        var matched = Set<String>()
        for path in paths {
            var status = stat()
            let exists = path != "-" && stat(path, &status) == 0
            if exists, status.st_mode & S_IFMT == S_IFDIR {
                folders.append(path)
                let selection = Selection(root: path, include: include, exclude: exclude)
                files.append(contentsOf: walk(path, selection, visited: &visited, matched: &matched, problem: problem))
            } else if !exists || visited.insert(FileIdentity(status)).inserted {
                files.append(path)
            }
        }
        if !folders.isEmpty {
            for pattern in include where !matched.contains(pattern) {
                problem(IngestProblem(file: folders.joined(separator: ", "), message: "--include '\(pattern)' matched no file "
                    + "(a glob matches the file name, or with a /, the path under the folder: drc/*.csv)"))
            }
        }
        return files
    }

    /// The `--include` and `--exclude` globs of a walk, and the folder they are relative to.
    private struct Selection {
        let root: String
        let include: [String]
        let exclude: [String]

        /// The include pattern `path` matches (the first), or nil; `""` when there are none.
        func included(_ path: String) -> String? {
            include.isEmpty ? "" : include.first { Ingestor.glob($0, matches: path, under: root) }
        }

        func excluded(_ path: String) -> Bool {
            exclude.contains { Ingestor.glob($0, matches: path, under: root) }
        }
    }

    /// A file or folder as the file system knows it, whatever the path to it.
    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    private func walk(_ folder: String, _ selection: Selection, visited: inout Set<FileIdentity>, matched: inout Set<String>,
                      problem: (IngestProblem) -> Void) -> [String] {
        var status = stat()
        guard stat(folder, &status) == 0, visited.insert(FileIdentity(status)).inserted else { return [] }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            problem(IngestProblem(file: folder, message: "cannot list folder"))
            return []
        }
        var files: [String] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(entry)
            guard stat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                files.append(contentsOf: walk(path, selection, visited: &visited, matched: &matched, problem: problem))
                continue
            case S_IFREG: break
            default:
                problem(IngestProblem(file: path, message: "not a regular file (a FIFO, socket or device); skipped"))
                continue
            }
            guard forcedFormat != nil || InputFormat.forFile(path) != nil else { continue }
            guard let pattern = selection.included(path) else { continue }
            matched.insert(pattern)
            if selection.excluded(path) { continue }
            guard visited.insert(FileIdentity(status)).inserted else { continue }
            files.append(path)
        }
        return files
    }

    /// Shell-style matching of the file name, or, when the pattern has a `/`, of the path
    /// under `root` (the folder named) or of the whole path.
    static func glob(_ pattern: String, matches path: String, under root: String) -> Bool {
        guard pattern.contains("/") else { return fnmatch(pattern, (path as NSString).lastPathComponent, 0) == 0 }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        if path.hasPrefix(prefix), fnmatch(pattern, String(path.dropFirst(prefix.count)), 0) == 0 { return true }
        return fnmatch(pattern, path, 0) == 0
    }

    /// Reads one file (or `-`), calling `record` for each dispatch and `problem` for
    /// each record that could not be read. Throws when the file as a whole cannot be read.
    public func read(file: String, record: (IngestRecord) throws -> Void, problem: (IngestProblem) -> Void) throws {
        try read(InputFile(path: file), record: record, problem: problem)
    }

    /// Reads an opened file, as ``read(file:record:problem:)``.
    public func read(_ input: InputFile, record: (IngestRecord) throws -> Void, problem: (IngestProblem) -> Void) throws {
        let file = input.path
        let opening = try input.peek()
        if opening.starts(with: [0xFF, 0xFE]) || opening.starts(with: [0xFE, 0xFF]) {
            throw IngestProblem(file: file, message: "UTF-16 text, which depeche does not read: convert it to UTF-8 first "
                + "(iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8)")
        }
        if opening.contains(0) {
            throw IngestProblem(file: file, message: "binary file (NUL bytes), not text")
        }
        guard let format = try forcedFormat ?? (file == "-" || !Self.isRegularFile(file) ? sniff(input) : InputFormat.forFile(file)) else {
            throw IngestProblem(file: file, message: "unsupported file type (expected .txt, .jsonl, .json, .csv or .tsv, optionally .gz; or use --format)")
        }
        func normalized(_ read: IngestRecord) throws { try record(normalize(read, problem: problem)) }
        let jsonReader = JSONRecordReader(mapping: mapping)
        switch format {
        case .csv, .tsv:
            let preferred = format == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: ",")
            try DelimitedReader(mapping: mapping, preferredDelimiter: preferred).read(input, record: normalized, problem: problem)
        case .jsonl:
            try jsonReader.readLines(of: input, record: normalized, problem: problem)
        case .json:
            let bytes = try input.readAll(limit: InputFile.largestDocument)
            let opensArray = bytes.first(where: { !Self.isJSONSpace($0) }) == UInt8(ascii: "[")
            let shallow = JSONRecordReader.nestingDepth(bytes) <= JSONRecordReader.deepestNesting
            if opensArray || (shallow && (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil) {
                try jsonReader.readDocument(bytes, file: file, record: normalized, problem: problem)
            } else {
                // Many `.json` files are JSON Lines in fact.
                try jsonReader.readLines(of: InputFile(path: file), record: normalized, problem: problem)
            }
        case .page:
            let bytes = try input.readAll(limit: InputFile.largestRecord)
            if bytes.contains(0) { throw IngestProblem(file: file, message: "binary file (NUL bytes), not text") }
            let decoded = TextDecoding.decode(bytes)
            if decoded.usedWindows1252 { problem(IngestProblem(file: file, message: "not valid UTF-8; read as Windows-1252", isRepair: true)) }
            let opening = String(TextLines.lines(decoded.text).first ?? "")
            if let delimited = delimitedHeaderFormat(opening) {
                throw IngestProblem(file: file, line: 1, message: "this page opens with what reads as a \(delimited.rawValue.uppercased()) header "
                    + "(\(opening.prefix(40))…); give --format \(delimited.rawValue) to read it as such")
            }
            try normalized(PageParser.parse(decoded.text, id: Self.pageID(file), file: file))
        }
    }

    /// Standard input: JSON when it opens with `{` or `[`, CSV or TSV when its first line
    /// is a header naming a title or body column, a page otherwise.
    private func sniff(_ input: InputFile) throws -> InputFormat {
        let bytes = try input.peek()
        switch bytes.first(where: { !Self.isJSONSpace($0) }) {
        case UInt8(ascii: "{"): return .jsonl
        case UInt8(ascii: "["): return .json
        default: return delimitedHeaderFormat(firstLine(of: bytes)) ?? .page
        }
    }

    /// `.csv` or `.tsv` when `line` reads as the header of such a file: two columns or
    /// more, one of which the mapping takes for the title or the body.
    func delimitedHeaderFormat(_ line: String) -> InputFormat? {
        for delimiter in ["\t", ",", ";", "|"] {
            let columns = line.components(separatedBy: delimiter)
                .map { PlainText.trimmed($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard columns.count >= 2 else { continue }
            let resolved = mapping.resolve(columns: columns)
            if resolved[.title] != nil || resolved[.body] != nil { return delimiter == "\t" ? .tsv : .csv }
        }
        return nil
    }

    private func firstLine(of bytes: ArraySlice<UInt8>) -> String {
        String(decoding: TextLines.firstLine(of: bytes), as: UTF8.self)
    }

    /// True for a regular file (through links); false for a pipe, device or socket,
    /// whose name says nothing of its format.
    public static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// The id of a page: its file name without extension(s) (`000_56b7b411e1511fc9`);
    /// none for standard input (derived from the page when stored).
    static func pageID(_ file: String) -> String {
        if file == "-" { return "" }
        var name = (file as NSString).lastPathComponent
        if name.lowercased().hasSuffix(".gz") { name = String(name.dropLast(3)) }
        return (name as NSString).deletingPathExtension
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0xEF || byte == 0xBB || byte == 0xBF
    }

    /// Entities decoded, control characters and invisible formatting removed (the
    /// control characters reported), and NFC for every text field, so that `&eacute;`,
    /// `e` + U+0301 and `é` are the same text.
    private func normalize(_ record: IngestRecord, problem: (IngestProblem) -> Void) -> IngestRecord {
        var repair = PlainText.ControlRepair()
        func clean(_ text: String) -> String {
            let (kept, done) = PlainText.withoutControls(TextCleaning.decodingEntities(text))
            repair.removed += done.removed
            repair.replaced += done.replaced
            return icu.nfc(kept)
        }
        var record = record
        var dispatch = record.dispatch
        dispatch.title = clean(dispatch.title)
        dispatch.standfirst = clean(dispatch.standfirst)
        dispatch.body = clean(dispatch.body)
        dispatch.source = dispatch.source.map(clean)
        dispatch.category = dispatch.category.map(clean)
        dispatch.city = dispatch.city.map(clean)
        dispatch.author = dispatch.author.map(clean)
        if !repair.isEmpty {
            problem(IngestProblem(file: dispatch.origin.file, line: dispatch.origin.line == 0 ? nil : dispatch.origin.line,
                                  message: repair.description, isRepair: true))
        }
        record.dispatch = dispatch
        return record
    }
}
