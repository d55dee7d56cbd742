import Foundation

/// Reads JSON Lines (one object per line) and JSON arrays of objects, mapping each
/// object's keys to dispatch fields with a ``FieldMapping``.
public struct JSONRecordReader {
    public let mapping: FieldMapping

    public init(mapping: FieldMapping) {
        self.mapping = mapping
    }

    /// Lines that are not JSON at the start of a file after which it is taken for
    /// something else (a binary or text file named `.jsonl`): reading on would only make
    /// one message per line.
    static let leadingGarbageLimit = 1_000

    /// Streams a JSON Lines file; a bad line is reported and the next one read.
    public func readLines(of input: InputFile, record: (IngestRecord) throws -> Void, problem: (IngestProblem) -> Void) throws {
        var firstObject = true
        var leadingFailures = 0
        try input.forEachLine({ line, number in
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            let decoded = TextDecoding.decode(line)
            if decoded.usedWindows1252 {
                problem(IngestProblem(file: input.path, line: number, message: "not valid UTF-8; read as Windows-1252", isRepair: true))
            }
            do {
                let object: [String: Any]
                do {
                    object = try parseObject(decoded.text, file: input.path, line: number)
                } catch let failure as IngestProblem where firstObject {
                    leadingFailures += 1
                    guard leadingFailures < Self.leadingGarbageLimit else {
                        throw IngestProblem(file: input.path, message: "not JSON Lines: its first \(Self.leadingGarbageLimit) lines hold no JSON object; "
                            + "the rest of the file was not read")
                    }
                    throw failure
                }
                if firstObject {
                    firstObject = false
                    reportFirstRecord(object, at: .line(number, of: input.path), problem: problem)
                }
                try record(makeRecord(object, at: .line(number, of: input.path), problem: problem))
            } catch let failure as IngestProblem where failure.line != nil {
                problem(failure)
            }
        }, tooLarge: { number in
            problem(IngestProblem(file: input.path, line: number, message: "record too large (over \(InputFile.megabytes(InputFile.largestRecord))); skipped"))
        })
    }

    /// Reads a whole JSON document holding an array of objects (or one object).
    public func readDocument(_ bytes: [UInt8], file: String, record: (IngestRecord) throws -> Void, problem: (IngestProblem) -> Void) throws {
        if bytes.withUnsafeBufferPointer({ Self.nestsDeeperThan(Self.deepestNesting, $0) }) {
            throw IngestProblem(file: file, message: "JSON nested more than \(Self.deepestNesting) levels deep; not dispatches")
        }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw IngestProblem(file: file, message: "invalid JSON: \(Self.reason(error))")
        }
        let objects: [Any] = (value as? [Any]) ?? [value]
        for (index, element) in objects.enumerated() {
            guard let object = element as? [String: Any] else {
                problem(IngestProblem(file: file, message: "element \(index + 1) of the array is not an object"))
                continue
            }
            if index == 0 { reportFirstRecord(object, at: .element(1, of: file), problem: problem) }
            do {
                try record(makeRecord(object, at: .element(index + 1, of: file), problem: problem))
            } catch let failure as IngestProblem {
                problem(failure)
            }
        }
    }

    private func makeRecord(_ object: [String: Any], at location: RecordLocation, problem: (IngestProblem) -> Void) throws -> IngestRecord {
        try RecordMapper.makeRecord(object, columns: mapping.resolve(columns: Array(object.keys)), at: location, problem: problem)
    }

    /// Says once per file, judging by the first record, that records carry no date, or
    /// lack a key a `--field` names (JSON records may omit keys, so it is a warning, not
    /// the refusal a table's header gets).
    private func reportFirstRecord(_ object: [String: Any], at location: RecordLocation, problem: (IngestProblem) -> Void) {
        let fields = object.keys.sorted().joined(separator: ", ")
        let columns = mapping.resolve(columns: Array(object.keys))
        for (field, key) in mapping.overrides.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where columns[field] == nil {
            problem(location.problem("--field \(field.rawValue)=\(key): the first record has no key \(key) (fields: \(fields)); records without it are indexed without their \(field.rawValue)"))
        }
        guard columns[.date] == nil, mapping.overrides[.date] == nil else { return }
        problem(location.problem("no date field (fields: \(fields)); dispatches indexed without dates"))
    }

    /// Dispatches are flat records; deeper JSON is refused before Foundation's recursive
    /// parser could exhaust the stack of the thread reading it.
    static let deepestNesting = 64

    /// True when a JSON text nests arrays and objects more than `limit` deep. A text with
    /// no more than `limit` brackets cannot: counting them is one vectorized pass, where
    /// following strings to find the depth is a byte at a time (a dispatch has a few).
    static func nestsDeeperThan(_ limit: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var openings = 0
        for byte in bytes { openings &+= byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") ? 1 : 0 }
        return openings > limit && nestingDepth(bytes) > limit
    }

    /// The deepest nesting of arrays and objects in a JSON text, strings skipped.
    static func nestingDepth(_ bytes: some Sequence<UInt8>) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    private func parseObject(_ text: String, file: String, line: Int) throws -> [String: Any] {
        var text = text
        if text.withUTF8({ Self.nestsDeeperThan(Self.deepestNesting, $0) }) {
            throw IngestProblem(file: file, line: line, message: "JSON nested more than \(Self.deepestNesting) levels deep; not a dispatch")
        }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw IngestProblem(file: file, line: line, message: "invalid JSON: \(Self.reason(error))")
        }
        guard let object = value as? [String: Any] else {
            throw IngestProblem(file: file, line: line, message: "expected a JSON object, found \(Self.kind(of: value))")
        }
        return object
    }

    /// Builds the record of one object; `line` is the line number, or the array position.
    static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: return "an array"
        case is String: return "a string"
        case is NSNumber: return "a number"
        default: return "null"
        }
    }

    /// Foundation's JSON errors carry their useful part in the debug description.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        let detail = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
        return detail.split(separator: "\n").first.map(String.init) ?? "parse error"
    }
}
