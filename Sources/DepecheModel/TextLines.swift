/// Lines as every line-based reader of depeche cuts them (batch files, synonym files,
/// pages, JSON Lines, CSV and TSV rows): a line ends at LF, at CRLF (Windows) or at a
/// bare CR (classic Mac OS, which some spreadsheet exports still write). Swift reads
/// `\r\n` as one character, so splitting a `String` on `"\n"` never splits a Windows file.
/// Inlinable, as every generic here: the readers of the other modules specialize them.
public enum TextLines {
    /// The UTF-8 byte order mark, which Excel's "CSV UTF-8" writes at the start.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// True for a character that ends a line.
    @inlinable
    public static func isLineEnd(_ character: Character) -> Bool {
        character == "\n" || character == "\r\n" || character == "\r"
    }

    /// The lines of `text` without their ends; the text after the last end is a line,
    /// empty when the text ends with one (as `split(omittingEmptySubsequences: false)`).
    @inlinable
    public static func lines(_ text: some StringProtocol) -> [Substring] {
        Substring(text).split(omittingEmptySubsequences: false, whereSeparator: isLineEnd)
    }

    /// The same cut over UTF-8 bytes: CRLF is one end, never an empty line between two.
    @inlinable
    public static func lines<Bytes: BidirectionalCollection<UInt8>>(bytes: Bytes) -> [Bytes.SubSequence] {
        var lines: [Bytes.SubSequence] = []
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte == 0x0A || byte == 0x0D else {
                bytes.formIndex(after: &index)
                continue
            }
            lines.append(bytes[start..<index])
            bytes.formIndex(after: &index)
            if byte == 0x0D, index != bytes.endIndex, bytes[index] == 0x0A { bytes.formIndex(after: &index) }
            start = index
        }
        lines.append(bytes[start..<bytes.endIndex])
        return lines
    }

    /// The first line of `bytes` (up to LF or CR), without a leading byte order mark.
    @inlinable
    public static func firstLine<Bytes: Collection<UInt8>>(of bytes: Bytes) -> Bytes.SubSequence {
        let line = withoutByteOrderMark(bytes)
        return line.prefix { $0 != 0x0A && $0 != 0x0D }
    }

    /// `bytes` without a leading byte order mark.
    @inlinable
    public static func withoutByteOrderMark<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence {
        bytes.starts(with: byteOrderMark) ? bytes.dropFirst(byteOrderMark.count) : bytes[...]
    }
}
