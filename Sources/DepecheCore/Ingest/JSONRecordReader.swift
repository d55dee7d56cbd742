import Foundation

/// Reads JSON Lines (one object per line) and JSON arrays of objects, mapping each
/// object's keys to dispatch fields with a ``FieldMapping``.
public struct JSONRecordReader {
    public let mapping: FieldMapping

    public init(mapping: FieldMapping) {
        self.mapping = mapping
    }

    /// Streams a JSON Lines file; a bad line is reported and the next one read.
    public func readLines(of input: InputFile, record: (IngestRecord) throws -> Void, problem: (IngestProblem) -> Void) throws {
        try input.forEachLine { line, number in
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            let decoded = TextDecoding.decode(line)
            if decoded.usedWindows1252 {
                problem(IngestProblem(file: input.path, line: number, message: "not valid UTF-8; read as Windows-1252"))
            }
            do {
                let object = try parseObject(Data(decoded.text.utf8), file: input.path, line: number)
                try record(makeRecord(object, file: input.path, line: number, problem: problem))
            } catch let failure as IngestProblem {
                problem(failure)
            }
        }
    }

    /// Reads a whole JSON document holding an array of objects (or one object).
    public func readDocument(_ bytes: [UInt8], file: String, record: (IngestRecord) throws -> Void, problem: (IngestProblem) -> Void) throws {
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
            do {
                try record(makeRecord(object, file: file, line: index + 1, lineIsElement: true, problem: problem))
            } catch let failure as IngestProblem {
                problem(failure)
            }
        }
    }

    private func parseObject(_ data: Data, file: String, line: Int) throws -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw IngestProblem(file: file, line: line, message: "invalid JSON: \(Self.reason(error))")
        }
        guard let object = value as? [String: Any] else {
            throw IngestProblem(file: file, line: line, message: "expected a JSON object, found \(Self.kind(of: value))")
        }
        return object
    }

    /// Builds the record of one object; `line` is the line number, or the array position.
    /// A date that cannot be read is reported and the dispatch kept without a date.
    func makeRecord(_ object: [String: Any], file: String, line: Int, lineIsElement: Bool = false, problem: (IngestProblem) -> Void) throws -> IngestRecord {
        let columns = mapping.resolve(columns: Array(object.keys))
        func text(_ field: DispatchField) -> String? {
            guard let column = columns[field], let value = object[column] else { return nil }
            return Self.text(of: value)
        }
        let title = text(.title) ?? ""
        let body = text(.body) ?? ""
        // An array element has no line of its own: its position goes in the message.
        let problemLine = lineIsElement ? nil : line
        let prefix = lineIsElement ? "element \(line): " : ""
        guard !title.isEmpty || !body.isEmpty else {
            let keys = object.keys.sorted().joined(separator: ", ")
            throw IngestProblem(file: file, line: problemLine, message: "\(prefix)no title or body field (keys: \(keys); map one with --field)")
        }
        var writtenDate: WrittenDate?
        if let rawDate = text(.date) {
            writtenDate = FrenchDate.parse(rawDate)
            if writtenDate == nil {
                problem(IngestProblem(file: file, line: problemLine, message: "\(prefix)unrecognised date '\(rawDate.prefix(40))'; indexed without a date"))
            }
        }
        let dispatch = Dispatch(
            id: text(.id) ?? "\(file):\(line)",
            title: title,
            standfirst: text(.standfirst) ?? "",
            body: body,
            source: text(.source),
            category: text(.category),
            city: text(.city),
            author: text(.author),
            url: text(.url),
            origin: Origin(file: file, line: line))
        return IngestRecord(dispatch: dispatch, writtenDate: writtenDate)
    }

    /// Strings as they are, numbers as written, lists of strings as paragraphs; nil for null or empty.
    static func text(of value: Any) -> String? {
        let text: String
        switch value {
        case let string as String: text = string
        case let number as NSNumber: text = number.stringValue
        case let list as [Any]: text = list.compactMap { Self.text(of: $0) }.joined(separator: "\n\n")
        default: return nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

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
