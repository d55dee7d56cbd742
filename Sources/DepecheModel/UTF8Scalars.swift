/// One UTF-8 decoder for every stage (the segmenter, case evidence, NFC's quick check,
/// Windows-1252 repair): a scalar at a byte offset, without building a String.
public enum UTF8Scalars {
    /// Decodes one scalar; an invalid byte (or a sequence cut short) decodes as U+FFFD of
    /// length 1, which the segmenter takes for a separator.
    @inlinable
    public static func decode(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, length: Int) {
        let lead = UInt32(text[index])
        if lead < 0x80 { return (lead, 1) }
        let length: Int
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; scalar = lead & 0x1F
        case 0xE0...0xEF: length = 3; scalar = lead & 0x0F
        case 0xF0...0xF4: length = 4; scalar = lead & 0x07
        default: return (0xFFFD, 1)
        }
        guard index + length <= text.count else { return (0xFFFD, 1) }
        for offset in 1..<length {
            let byte = UInt32(text[index + offset])
            guard byte & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            scalar = (scalar << 6) | (byte & 0x3F)
        }
        return (scalar, length)
    }
}
