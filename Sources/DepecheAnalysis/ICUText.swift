import DepecheModel
import CICU

/// Errors raised when a system library the analyzer depends on cannot be used.
public struct AnalysisSetupError: Error, CustomStringConvertible {
    public let description: String
}

/// The ICU operations depeche needs (search folding, French lower-casing, NFC), on
/// UTF-8 bytes. One instance per thread of work: ICU transliterators are not
/// thread-safe, and opening one parses its rules, so instances are kept and reused.
public final class ICUText {
    private let handle: OpaquePointer
    private var output: [CChar] = Array(repeating: 0, count: 256)

    public init() throws {
        var error: UnsafePointer<CChar>?
        guard let handle = depeche_icu_create(&error) else {
            let reason = error.map { String(cString: $0) } ?? "unknown error"
            throw AnalysisSetupError(description: "cannot load ICU's data: \(reason)")
        }
        self.handle = handle
    }

    deinit { depeche_icu_destroy(handle) }

    /// Lower case, no diacritics, ligatures expanded: `Cœur` → `coeur`, `État` → `etat`.
    /// Text of ASCII and Latin-1/Extended-A letters is folded by ``LatinFolding``.
    public func fold(_ text: String) -> String { LatinFolding.fold(text) ?? foldWithTransliterator(text) }

    /// ICU's folding transliterator, whatever the text.
    func foldWithTransliterator(_ text: String) -> String { apply(depeche_icu_fold, to: text) }

    /// French lower-casing that keeps accents: `ÉLECTIONS` → `élections`.
    public func lowercase(_ text: String) -> String { apply(depeche_icu_lower, to: text) }

    /// Canonical composition, so that `e` + U+0301 and `é` are the same text.
    public func nfc(_ text: String) -> String {
        if Self.isSurelyNFC(text) { return text }
        return apply(depeche_icu_nfc, to: text)
    }

    /// True when no character of `text` can change under NFC: all below U+0300 (where
    /// the combining marks start), or French typography's punctuation, spaces and
    /// currency signs (U+2002–U+20CF; U+2000 and U+2001 are singletons NFC replaces).
    /// Most dispatches pass, and skip the round trip through ICU's UTF-16.
    static func isSurelyNFC(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte < 0xCC {
                    index += 1
                } else if byte == 0xE2 {
                    let (scalar, length) = UTF8Scalars.decode(bytes, at: index)
                    guard (0x2002...0x20CF).contains(scalar) else { return false }
                    index += length
                } else {
                    return false
                }
            }
            return true
        }
    }

    private typealias Operation = (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<CChar>?, Int32) -> Int32

    private func apply(_ operation: Operation, to text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { input in
                while true {
                    let written = output.withUnsafeMutableBufferPointer { out in
                        operation(handle, input.baseAddress, Int32(input.count), out.baseAddress, Int32(out.count))
                    }
                    if written == Int32.min { return String(decoding: bytes, as: UTF8.self) }
                    if written < 0 {
                        output = Array(repeating: 0, count: Int(-written) + 16)
                        continue
                    }
                    return output.withUnsafeBufferPointer { out in
                        out.withMemoryRebound(to: UInt8.self) {
                            String(decoding: UnsafeBufferPointer(rebasing: $0.prefix(Int(written))), as: UTF8.self)
                        }
                    }
                }
            }
        }
    }
}
