import DepecheModel

/// Reads CSV and TSV exports with a header line, as scrapers write them: quoted fields
/// with embedded line breaks and doubled quotes (RFC 4180), and a delimiter among
/// `,` `;` `|` and tab, detected from the header.
struct DelimitedReader {
    let mapping: FieldMapping
    /// The delimiter to prefer when the header does not decide (tab for `.tsv`).
    let preferredDelimiter: UInt8

    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "\t")]

    /// The candidate found most often in the header line, outside quotes.
    static func detectDelimiter(header: ArraySlice<UInt8>, preferred: UInt8) -> UInt8 {
        var counts: [UInt8: Int] = [:]
        var inQuotes = false
        for byte in header {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes, candidates.contains(byte) { counts[byte, default: 0] += 1 }
        }
        let best = counts.values.max() ?? 0
        if best == 0 || counts[preferred] == best { return preferred }
        return candidates.first { counts[$0] == best } ?? preferred
    }

    func read(_ input: InputFile, record: (IngestRecord) throws -> Void, problem: (IngestProblem) -> Void) throws {
        let start = try input.peek()
        let headerLine = TextLines.firstLine(of: start)
        var splitter = RowSplitter(delimiter: Self.detectDelimiter(header: headerLine, preferred: preferredDelimiter))
        var header: [String]?
        var columns: [DispatchField: String] = [:]
        var reportedEncoding = false

        func row(_ rawFields: [[UInt8]], line: Int) throws {
            let decoded = rawFields.map { TextDecoding.decode($0) }
            if !reportedEncoding, decoded.contains(where: \.usedWindows1252) {
                reportedEncoding = true
                problem(IngestProblem(file: input.path, line: line, message: "not valid UTF-8; read as Windows-1252", isRepair: true))
            }
            let fields = decoded.map(\.text)
            guard let names = header else {
                let names = fields.map { PlainText.trimmed($0) }
                header = names
                columns = mapping.resolve(columns: names)
                let listed = names.filter { !$0.isEmpty }.joined(separator: ", ")
                // A --field naming a column the header lacks is a mistake, not a choice: the
                // file is refused whole rather than indexed without that field.
                if let (field, column) = mapping.overrides.sorted(by: { $0.key.rawValue < $1.key.rawValue }).first(where: { columns[$0.key] == nil }) {
                    throw IngestProblem(file: input.path, line: line,
                                        message: "--field \(field.rawValue)=\(column): no column \(column) in this file (columns: \(listed)); file not indexed")
                }
                if columns[.body] == nil {
                    problem(IngestProblem(file: input.path, line: line,
                                          message: "no body column (columns: \(listed)); dispatches indexed with their titles only (map one with --field body=COLUMN)"))
                }
                if columns[.date] == nil {
                    problem(IngestProblem(file: input.path, line: line, message: "no date column (columns: \(listed)); dispatches indexed without dates"))
                }
                return
            }
            if fields.count == 1, fields[0].isEmpty { return }
            guard fields.count == names.count else {
                problem(IngestProblem(file: input.path, line: line, message: "row has \(fields.count) fields, the header has \(names.count); skipped"))
                return
            }
            var values: [String: Any] = [:]
            for (name, value) in zip(names, fields) where values[name] == nil { values[name] = value }
            do {
                try record(RecordMapper.makeRecord(values, columns: columns, at: .line(line, of: input.path), problem: problem))
            } catch let failure as IngestProblem {
                problem(failure)
            }
        }

        do {
            while true {
                let chunk = try input.readChunk()
                if chunk.isEmpty { break }
                try splitter.feed(chunk, row: row)
            }
        } catch let tooLarge as RowSplitter.RowTooLarge {
            // Inside a quote or not, where the next row starts cannot be told safely.
            problem(IngestProblem(file: input.path, line: tooLarge.line,
                                  message: "record too large (over \(InputFile.megabytes(InputFile.largestRecord))); the rest of the file was not read"))
            if header == nil { throw IngestProblem(file: input.path, message: "the header line is too large; not a CSV or TSV file") }
            return
        }
        if let openedAt = try splitter.finish(row: row) {
            problem(IngestProblem(file: input.path, line: openedAt, message: "quote opened here is never closed; the rest of the file was not read"))
        }
        if header == nil { throw IngestProblem(file: input.path, message: "empty file: no header line") }
    }
}

/// The byte-level state machine of ``DelimitedReader``: fed chunk by chunk (a quoted
/// field may span chunks and lines), it hands over each row with its first line number.
struct RowSplitter {
    let delimiter: UInt8
    private var fields: [[UInt8]] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    /// A quote seen inside a quoted field: either the first of a doubled quote or its end.
    private var quotePending = false
    private var fieldStarted = false
    private var line = 1
    private var rowLine = 1
    /// Bytes of the current row in its finished fields.
    private var rowBytes = 0
    /// The last byte was a CR that ended a line: an LF right after it ends nothing more.
    private var afterCarriageReturn = false

    /// A row over ``InputFile/largestRecord`` bytes, starting at `line`.
    struct RowTooLarge: Error {
        let line: Int
    }

    init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    mutating func feed(_ bytes: ArraySlice<UInt8>, row: ([[UInt8]], Int) throws -> Void) throws {
        for byte in bytes {
            // Lines end at LF, CRLF or a bare CR (TextLines), in quotes too for counting.
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == 0x0A {
                    if inQuotes && !quotePending { try append(byte) }
                    continue
                }
            }
            if quotePending {
                quotePending = false
                if byte == UInt8(ascii: "\"") {
                    field.append(byte)
                    continue
                }
                inQuotes = false
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    quotePending = true
                } else {
                    if byte == 0x0A || byte == 0x0D { line += 1 }
                    afterCarriageReturn = byte == 0x0D
                    try append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where !fieldStarted:
                inQuotes = true
                fieldStarted = true
            case delimiter:
                endField()
                if rowBytes > InputFile.largestRecord { throw RowTooLarge(line: rowLine) }
            case 0x0A, 0x0D:
                afterCarriageReturn = byte == 0x0D
                endField()
                try row(fields, rowLine)
                fields.removeAll(keepingCapacity: true)
                rowBytes = 0
                line += 1
                rowLine = line
            default:
                try append(byte)
                fieldStarted = true
            }
        }
    }

    /// Hands over the last row; returns the line of a quote never closed, if any.
    mutating func finish(row: ([[UInt8]], Int) throws -> Void) throws -> Int? {
        if inQuotes && !quotePending { return rowLine }
        if fieldStarted || !fields.isEmpty {
            endField()
            try row(fields, rowLine)
        }
        return nil
    }

    private mutating func append(_ byte: UInt8) throws {
        field.append(byte)
        if rowBytes + field.count > InputFile.largestRecord { throw RowTooLarge(line: rowLine) }
    }

    private mutating func endField() {
        rowBytes += field.count + 1
        fields.append(field)
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
    }
}
