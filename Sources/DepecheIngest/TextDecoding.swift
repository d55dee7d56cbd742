import DepecheModel

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
                let (scalar, length) = UTF8Scalars.decode(buffer, at: index)
                if length == 1, buffer[index] >= 0x80 {
                    scalars.append(PlainText.windows1252(buffer[index]))
                } else {
                    scalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")
                }
                index += length
            }
        }
        return Decoded(text: String(scalars), usedWindows1252: true)
    }
}
