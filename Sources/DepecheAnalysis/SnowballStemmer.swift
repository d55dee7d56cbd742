import CStemmer

/// The Snowball French stemmer (libstemmer), the reference implementation used by
/// PostgreSQL, Xapian and Lucene. Not thread-safe: one instance per thread of work.
public final class SnowballStemmer {
    private let stemmer: OpaquePointer

    public init(language: String = "french") throws {
        guard let stemmer = sb_stemmer_new(language, "UTF_8") else {
            throw AnalysisSetupError(description: "libstemmer has no '\(language)' stemmer for UTF-8")
        }
        self.stemmer = stemmer
    }

    deinit { sb_stemmer_delete(stemmer) }

    /// Stems a lower-cased word; accents are significant to Snowball French.
    public func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { bytes in
            guard let stemmed = sb_stemmer_stem(stemmer, bytes.baseAddress, Int32(bytes.count)) else {
                return String(decoding: bytes, as: UTF8.self)
            }
            let length = Int(sb_stemmer_length(stemmer))
            return String(decoding: UnsafeBufferPointer(start: stemmed, count: length), as: UTF8.self)
        }
    }
}
