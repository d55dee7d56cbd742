import DepecheAnalysis

/// Turns bytes into text the way archives need: UTF-8 (BOM stripped) when valid;
/// otherwise every valid UTF-8 sequence is kept and each byte that is not part of one
/// is read as Windows-1252, the usual encoding of old French files. A whole Windows-1252
/// file reads as such, and a UTF-8 page with a few stray bytes keeps its accents.
public enum TextDecoding {
    public struct Decoded {
        public let text: String
        /// True when some bytes were not valid UTF-8 and were read as Windows-1252.
        public let usedWindows1252: Bool
    }

    public static func decode(_ bytes: some Collection<UInt8>) -> Decoded {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) {
            return Decoded(text: text, usedWindows1252: false)
        }
        let array = Array(body)
        var scalars = String.UnicodeScalarView()
        array.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                let (scalar, length) = WordSegmenter.decode(buffer, at: index)
                if length == 1, buffer[index] >= 0x80 {
                    scalars.append(windows1252(buffer[index]))
                } else {
                    scalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")
                }
                index += length
            }
        }
        return Decoded(text: String(scalars), usedWindows1252: true)
    }

    /// Windows-1252 differs from Latin-1 in 0x80–0x9F only (€, ’, œ, “ …).
    private static let upperControls: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// What a C1 control character (U+0080–U+009F) stands for when text was decoded as
    /// Latin-1 instead of Windows-1252 (`c\u{9C}ur` for `cœur`); nil for the five codes
    /// Windows-1252 leaves undefined.
    static func windows1252Meaning(ofC1 scalar: Unicode.Scalar) -> Unicode.Scalar? {
        guard (0x80...0x9F).contains(scalar.value) else { return nil }
        let meaning = upperControls[Int(scalar.value) - 0x80]
        return meaning == 0xFFFD ? nil : Unicode.Scalar(meaning)
    }

    private static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        if (0x80...0x9F).contains(byte) { return Unicode.Scalar(upperControls[Int(byte) - 0x80])! }
        return Unicode.Scalar(byte)
    }
}
