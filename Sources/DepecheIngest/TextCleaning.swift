import Foundation
import DepecheModel

/// Repairs for the text scrapers leave behind, applied at ingest. Written on the
/// String's own views: Foundation's bridged string searches cost more than parsing
/// the JSON they are applied to.
public enum TextCleaning {
    /// A title without a trailing site name (`… | Actualite.cd`): only after `|`, and only
    /// a name that looks like a web address, so `Guerre | Ukraine` is left alone.
    public static func title(_ text: String) -> String {
        guard PlainText.contains(text, byte: UInt8(ascii: "|")), let bar = text.range(of: " | ", options: .backwards) else { return text }
        let site = PlainText.trimmed(text[bar.upperBound...])
        guard site.contains("."), !site.contains(" "), site.count <= 40, bar.lowerBound > text.startIndex else { return text }
        return PlainText.trimmed(text[..<bar.lowerBound])
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
        return PlainText.trimmed(mended.joined(separator: "\n"))
    }

    private static func isStrayN(_ line: Substring) -> Bool {
        guard let next = line.dropFirst().first else { return true }
        // No French word is a lone `n` (the elided `n’` has its apostrophe).
        return next.isUppercase || next.isNumber || next.isWhitespace || "«»\"“”-–—".contains(next)
    }

    private static func containsStrayN(_ text: String) -> Bool {
        PlainText.withUTF8(text) { bytes in
            var previous: UInt8 = 0
            for byte in bytes {
                if previous == 0x0A || previous == 0x0D, byte == UInt8(ascii: "n") { return true }
                previous = byte
            }
            return false
        }
    }

    /// HTML character references decoded (`&nbsp;`, `&eacute;`, `&#233;`, `&#xE9;`),
    /// for the entities scraped pages and exports keep. Unknown names are left as written.
    public static func decodingEntities(_ text: String) -> String {
        guard PlainText.contains(text, byte: UInt8(ascii: "&")) else { return text }
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
