import Foundation

/// Text utilities every stage shares, with no analyzer behind them: trimming, and the
/// control characters and invisible formatting that ingest removes from documents and
/// output keeps from terminals (an index may come from someone else).
public enum PlainText {
    /// The text without leading and trailing white space (Unicode White_Space, which
    /// includes no-break spaces). Inlinable: a generic left to the other modules
    /// unspecialized cost every field of every record, and every synonym at start-up.
    @inlinable
    public static func trimmed(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(text[first..<scalars.index(after: last)])
    }

    /// Format characters that steer bidirectional text or mark byte order, invisible
    /// and meaningless in French wire copy, which scrapers leave in text (U+200E before
    /// each stray `n` of one DRC site): left-to-right and right-to-left marks
    /// (U+200E, U+200F), embeddings and overrides (U+202A–U+202E), isolates
    /// (U+2066–U+2069) and a byte order mark inside text (U+FEFF).
    public static func isInvisibleFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// Control characters other than tab, line feed and carriage return (C0, DEL, C1):
    /// a NUL would cut the text where SQLite reads it, an escape sequence would reach
    /// a reader's terminal.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }

    /// Calls `body` with the UTF-8 of `text` as one buffer: in place for a native string
    /// (every string read from a file), copied for a bridged one. Iterating `utf8` byte by
    /// byte costs several times a loop over the buffer, on every field of every record.
    @inlinable
    public static func withUTF8<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        if let result = try text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// True when the UTF-8 of `text` holds `byte` (an ASCII character).
    @inlinable
    public static func contains(_ text: String, byte: UInt8) -> Bool {
        withUTF8(text) { bytes in bytes.count > 0 && memchr(bytes.baseAddress!, Int32(byte), bytes.count) != nil }
    }

    /// True when the UTF-8 of `text` may hold a control character or invisible
    /// formatting: one pass over the bytes, since nearly every field holds neither and
    /// this runs on every field of every record.
    public static func mayHoldControlsOrFormatting(_ text: String) -> Bool {
        withUTF8(text, mayHoldControlsOrFormatting)
    }

    private static func mayHoldControlsOrFormatting(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            index += 1
            // Printable ASCII and the bytes of other characters: nearly every byte.
            if byte >= 0x20, byte != 0x7F, byte != 0xC2, byte != 0xE2, byte != 0xEF { continue }
            switch byte {
            case 0x09, 0x0A, 0x0D: continue
            case 0x00...0x1F, 0x7F: return true
            case 0xC2: if index < end, (0x80...0x9F).contains(bytes[index]) { return true }
            case 0xE2:
                guard index + 1 < end else { return false }
                let second = bytes[index], third = bytes[index + 1]
                if second == 0x80, third == 0x8E || third == 0x8F || (0xAA...0xAE).contains(third) { return true }
                if second == 0x81, (0xA6...0xA9).contains(third) { return true }
            default: // 0xEF
                if index + 1 < end, bytes[index] == 0xBB, bytes[index + 1] == 0xBF { return true }
            }
        }
        return false
    }

    /// The text without ``isInvisibleFormat(_:)`` characters, before the mending rules run.
    public static func withoutInvisibleFormatting(_ text: String) -> String {
        guard mayHoldControlsOrFormatting(text), text.unicodeScalars.contains(where: isInvisibleFormat) else { return text }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.lazy.filter { !isInvisibleFormat($0) })
        return String(kept)
    }

    /// What ``withoutControls(_:)`` did to a text, for the report.
    public struct ControlRepair: Equatable, Sendable {
        /// Control characters dropped.
        public var removed: [Unicode.Scalar] = []
        /// C1 controls replaced by their Windows-1252 character (U+009C by `œ`).
        public var replaced: [Unicode.Scalar] = []

        public init() {}

        public var isEmpty: Bool { removed.isEmpty && replaced.isEmpty }

        /// `2 control characters removed (U+0000, U+001B); 1 read as Windows-1252 (U+009C → œ)`.
        public var description: String {
            func codes(_ scalars: [Unicode.Scalar], meaning: Bool) -> String {
                Set(scalars.map(\.value)).sorted().prefix(4).map { value in
                    let code = String(format: "U+%04X", value)
                    guard meaning, let scalar = Unicode.Scalar(value), let character = windows1252Meaning(ofC1: scalar) else { return code }
                    return "\(code) → \(Character(character))"
                }.joined(separator: ", ")
            }
            var parts: [String] = []
            if !removed.isEmpty {
                parts.append((removed.count == 1 ? "1 control character" : "\(removed.count) control characters") + " removed (\(codes(removed, meaning: false)))")
            }
            if !replaced.isEmpty {
                let count = replaced.count == 1 ? "1 control character" : "\(replaced.count) control characters"
                parts.append((removed.isEmpty ? count : "\(replaced.count)") + " read as Windows-1252 (\(codes(replaced, meaning: true)))")
            }
            return parts.joined(separator: "; ")
        }
    }

    /// The text without control characters (see ``isControl(_:)``) nor invisible
    /// formatting, and what was done. A C1 control that Windows-1252 gives a meaning to
    /// (U+0080 `€`, U+009C `œ`, U+0092 `’` …) is a character that went through the wrong
    /// decoding: it is replaced by that character (`c\u{9C}ur` → `cœur`), not dropped.
    public static func withoutControls(_ text: String) -> (text: String, repair: ControlRepair) {
        guard mayHoldControlsOrFormatting(text) else { return (text, ControlRepair()) }
        var kept = String.UnicodeScalarView()
        var repair = ControlRepair()
        for scalar in text.unicodeScalars {
            if let meaning = windows1252Meaning(ofC1: scalar) {
                repair.replaced.append(scalar)
                kept.append(meaning)
            } else if isControl(scalar) {
                repair.removed.append(scalar)
            } else if !isInvisibleFormat(scalar) {
                kept.append(scalar)
            }
        }
        return (String(kept), repair)
    }

    /// Windows-1252 differs from Latin-1 in 0x80–0x9F only (€, ’, œ, “ …).
    private static let upperControls: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// What a C1 control character (U+0080–U+009F) stands for when text was decoded as
    /// Latin-1 instead of Windows-1252 (`c\u{9C}ur` for `cœur`); nil for the five codes
    /// Windows-1252 leaves undefined.
    public static func windows1252Meaning(ofC1 scalar: Unicode.Scalar) -> Unicode.Scalar? {
        guard (0x80...0x9F).contains(scalar.value) else { return nil }
        let meaning = upperControls[Int(scalar.value) - 0x80]
        return meaning == 0xFFFD ? nil : Unicode.Scalar(meaning)
    }

    /// The character a byte stands for in Windows-1252 (a byte that is no UTF-8).
    public static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        if (0x80...0x9F).contains(byte) { return Unicode.Scalar(upperControls[Int(byte) - 0x80])! }
        return Unicode.Scalar(byte)
    }
}
