import Foundation
import DepecheModel

/// Repairs for the text scrapers leave behind, applied at ingest. Written on the
/// String's own views: Foundation's bridged string searches cost more than parsing
/// the JSON they are applied to.
public enum TextCleaning {
    /// The text without leading and trailing white space (Unicode White_Space, which
    /// includes no-break spaces).
    public static func trimmed(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(text[first..<scalars.index(after: last)])
    }

    /// A title without a trailing site name (`… | Actualite.cd`): only after `|`, and only
    /// a name that looks like a web address, so `Guerre | Ukraine` is left alone.
    public static func title(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "|")), let bar = text.range(of: " | ", options: .backwards) else { return text }
        let site = trimmed(text[bar.upperBound...])
        guard site.contains("."), !site.contains(" "), site.count <= 40, bar.lowerBound > text.startIndex else { return text }
        return trimmed(text[..<bar.lowerBound])
    }

    /// A body with paragraph breaks mended: some exports turned `\n\n` into a line break
    /// followed by a stray `n` (`…Mwenga.\nnSelon …`), sometimes several in a row
    /// (`\nn\nnD’après`). A line opening with an `n` followed by a capital, a digit, a
    /// space, a quote or a dash, or made of that `n` alone, loses it; runs of blank lines left
    /// behind become one. Texts without `\nn` are returned as they are.
    public static func body(_ text: String) -> String {
        guard containsStrayN(text) else { return text }
        var lines: [Substring] = []
        for line in TextLines.lines(text) {
            guard line.first == "n", isStrayN(line) else {
                lines.append(line)
                continue
            }
            lines.append("")
            if line.count > 1 { lines.append(line.dropFirst()) }
        }
        var mended: [Substring] = []
        for line in lines where !(line.isEmpty && mended.last?.isEmpty == true) { mended.append(line) }
        return trimmed(mended.joined(separator: "\n"))
    }

    private static func isStrayN(_ line: Substring) -> Bool {
        guard let next = line.dropFirst().first else { return true }
        // No French word is a lone `n` (the elided `n’` has its apostrophe).
        return next.isUppercase || next.isNumber || next.isWhitespace || "«»\"“”-–—".contains(next)
    }

    private static func containsStrayN(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == 0x0A || previous == 0x0D, byte == UInt8(ascii: "n") { return true }
            previous = byte
        }
        return false
    }

    /// Format characters that steer bidirectional text or mark byte order, invisible
    /// and meaningless in French wire copy, which scrapers leave in text (U+200E before
    /// each stray `n` of one DRC site): left-to-right and right-to-left marks
    /// (U+200E, U+200F), embeddings and overrides (U+202A–U+202E), isolates
    /// (U+2066–U+2069) and a byte order mark inside text (U+FEFF).
    static func isInvisibleFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// Control characters other than tab, line feed and carriage return (C0, DEL, C1):
    /// a NUL would cut the text where SQLite reads it, an escape sequence would reach
    /// a reader's terminal.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }

    /// True when the UTF-8 of `text` may hold a control character or invisible
    /// formatting: one pass over the bytes, since nearly every field holds neither and
    /// this runs on every field of every record.
    static func mayHoldControlsOrFormatting(_ text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable(mayHoldControlsOrFormatting) { return found }
        return mayHoldControlsOrFormatting(Array(text.utf8).withUnsafeBufferPointer { $0 })
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

        public var isEmpty: Bool { removed.isEmpty && replaced.isEmpty }

        /// `2 control characters removed (U+0000, U+001B); 1 read as Windows-1252 (U+009C → œ)`.
        public var description: String {
            func codes(_ scalars: [Unicode.Scalar], meaning: Bool) -> String {
                Set(scalars.map(\.value)).sorted().prefix(4).map { value in
                    let code = String(format: "U+%04X", value)
                    guard meaning, let scalar = Unicode.Scalar(value), let character = TextDecoding.windows1252Meaning(ofC1: scalar) else { return code }
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
            if let meaning = TextDecoding.windows1252Meaning(ofC1: scalar) {
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

    /// HTML character references decoded (`&nbsp;`, `&eacute;`, `&#233;`, `&#xE9;`),
    /// for the entities scraped pages and exports keep. Unknown names are left as written.
    public static func decodingEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var decoded = ""
        var rest = text[...]
        while let ampersand = rest.firstIndex(of: "&") {
            decoded += rest[..<ampersand]
            rest = rest[ampersand...]
            guard let semicolon = rest.prefix(12).firstIndex(of: ";") else {
                decoded += "&"
                rest = rest.dropFirst()
                continue
            }
            let name = rest[rest.index(after: rest.startIndex)..<semicolon]
            if let character = character(forEntity: name) {
                decoded.append(character)
                rest = rest[rest.index(after: semicolon)...]
            } else {
                decoded += "&"
                rest = rest.dropFirst()
            }
        }
        decoded += rest
        return decoded
    }

    static func character(forEntity name: Substring) -> Character? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map(Character.init)
        }
        return namedEntities[String(name)]
    }

    /// The named references met in French news text.
    static let namedEntities: [String: Character] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "shy": "\u{AD}",
        "laquo": "«", "raquo": "»", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "hellip": "…",
        "ndash": "–", "mdash": "—", "euro": "€", "deg": "°", "copy": "©", "oelig": "œ", "OElig": "Œ", "aelig": "æ", "AElig": "Æ",
        "eacute": "é", "Eacute": "É", "egrave": "è", "Egrave": "È", "ecirc": "ê", "Ecirc": "Ê", "euml": "ë", "Euml": "Ë",
        "agrave": "à", "Agrave": "À", "acirc": "â", "Acirc": "Â", "auml": "ä", "ccedil": "ç", "Ccedil": "Ç",
        "icirc": "î", "Icirc": "Î", "iuml": "ï", "Iuml": "Ï", "ocirc": "ô", "Ocirc": "Ô", "ouml": "ö",
        "ugrave": "ù", "Ugrave": "Ù", "ucirc": "û", "Ucirc": "Û", "uuml": "ü", "yuml": "ÿ",
    ]
}
