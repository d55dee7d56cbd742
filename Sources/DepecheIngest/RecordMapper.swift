import Foundation
import DepecheModel

/// Where a record sits in its file, for messages: a line, or a position in a JSON array.
struct RecordLocation {
    let file: String
    let line: Int?
    let element: Int?

    static func line(_ number: Int, of file: String) -> RecordLocation { RecordLocation(file: file, line: number, element: nil) }
    static func element(_ number: Int, of file: String) -> RecordLocation { RecordLocation(file: file, line: nil, element: number) }

    func problem(_ message: String) -> IngestProblem {
        IngestProblem(file: file, line: line, message: element.map { "element \($0): \(message)" } ?? message)
    }

}

/// Turns a record with named columns (a JSON object, a CSV row) into a dispatch, using
/// the columns a ``FieldMapping`` chose and the cleaning scraper exports need.
enum RecordMapper {
    /// Builds the dispatch of one record; a date that cannot be read is reported and the
    /// dispatch kept without one. Throws when the record has neither title nor body.
    static func makeRecord(_ values: [String: Any], columns: [DispatchField: String], at location: RecordLocation,
                    problem: (IngestProblem) -> Void) throws -> IngestRecord {
        func text(_ field: DispatchField) -> String? {
            guard let column = columns[field], let value = values[column] else { return nil }
            return Self.text(of: value)
        }
        let title = text(.title).map { TextCleaning.title($0) } ?? ""
        let body = text(.body).map(TextCleaning.body) ?? ""
        guard !title.isEmpty || !body.isEmpty else {
            let keys = values.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")
            throw location.problem("no title or body field (columns: \(keys); map one with --field)")
        }
        var writtenDate: WrittenDate?
        if let rawDate = text(.date) {
            writtenDate = FrenchDate.parse(rawDate)
            if writtenDate == nil {
                problem(location.problem("unrecognised date '\(rawDate.prefix(40))'; indexed without a date"))
            }
        }
        // FILE:LINE is where the record was read, not what it is (the same export read
        // from another folder would be another dispatch, two exports of the same name one).
        var id = text(.id) ?? text(.url) ?? ""
        if id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            // An id is one line (`--format ids`, `show ID`): breaks and controls become spaces.
            id = String(String.UnicodeScalarView(id.unicodeScalars.map {
                $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
            }))
            problem(location.problem("id with a line break or control character; stored as '\(id.prefix(60))'"))
        }
        let dispatch = Dispatch(
            id: id,
            title: title,
            standfirst: text(.standfirst).map(TextCleaning.body) ?? "",
            body: body,
            source: text(.source).map(Self.siteName),
            category: text(.category),
            city: text(.city),
            author: text(.author),
            url: text(.url),
            origin: Origin(file: location.file, line: location.line ?? location.element ?? 0))
        var record = IngestRecord(dispatch: dispatch, writtenDate: writtenDate)
        record.columns = columns
        return record
    }

    /// A source given as a web address (`https://www.actualite.cd`) named by its host (`actualite.cd`).
    static func siteName(_ source: String) -> String {
        guard source.hasPrefix("http://") || source.hasPrefix("https://"), let host = URL(string: source)?.host else { return source }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
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
        let trimmed = PlainText.trimmed(PlainText.withoutInvisibleFormatting(text))
        return trimmed.isEmpty ? nil : trimmed
    }
}
