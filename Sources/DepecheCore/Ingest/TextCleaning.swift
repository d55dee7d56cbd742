import Foundation

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
    /// followed by a stray `n` (`…Mwenga.\nnSelon …`).
    public static func body(_ text: String) -> String {
        guard containsStrayN(text) else { return text }
        var mended = ""
        mended.reserveCapacity(text.utf8.count)
        var characters = text[...]
        while let index = characters.firstIndex(of: "\n") {
            mended += characters[...index]
            characters = characters[characters.index(after: index)...]
            if characters.first == "n", let next = characters.dropFirst().first, next.isUppercase || next.isNumber || "«\"“-–—".contains(next) {
                mended += "\n"
                characters = characters.dropFirst()
            }
        }
        mended += characters
        return mended
    }

    private static func containsStrayN(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == 0x0A, byte == UInt8(ascii: "n") { return true }
            previous = byte
        }
        return false
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
