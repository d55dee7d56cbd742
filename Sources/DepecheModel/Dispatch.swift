/// How a dispatch's date was obtained. Pages often give a day and a month but no
/// year; the year is then inferred, and the index says so rather than guess silently.
public enum DateQuality: String, Sendable, Codable {
    /// The source gave the full date.
    case explicit
    /// Day and month from the source, year inferred (from the batch's newest date or the file's date).
    case inferredYear = "inferred"
    /// No usable date.
    case missing = "none"
}

/// Where a dispatch was read: a file (or `-` for stdin) and a line number (1-based),
/// printed `FILE:LINE` in messages and exports.
public struct Origin: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }

    /// Reads `FILE:LINE` back; the file name may itself hold colons.
    public init(parsing text: String) {
        if let colon = text.lastIndex(of: ":"), let line = Int(text[text.index(after: colon)...]) {
            self.init(file: String(text[..<colon]), line: line)
        } else {
            self.init(file: text, line: 0)
        }
    }
}

/// One news dispatch, as ingested from any source format.
public struct Dispatch: Equatable, Sendable {
    /// What identifies the dispatch, never where it was read: the record's `id`, else its
    /// `url`, else (pages) the file name; empty when the record has none of them, and
    /// then ``derivedID(contentHash:)`` when it is stored.
    public var id: String
    public var title: String
    /// The lead paragraph ("chapô") when the source gives it apart from the body.
    public var standfirst: String
    public var body: String
    public var date: Day?
    public var dateQuality: DateQuality
    /// The agency or publisher (ACI, APS, AFP …).
    public var source: String?
    public var category: String?
    /// The city of the dateline (`Brazzaville, 09 Décembre (ACI) –`).
    public var city: String?
    public var author: String?
    public var url: String?
    public var origin: Origin

    public init(
        id: String, title: String, standfirst: String = "", body: String,
        date: Day? = nil, dateQuality: DateQuality? = nil,
        source: String? = nil, category: String? = nil, city: String? = nil,
        author: String? = nil, url: String? = nil, origin: Origin
    ) {
        self.id = id
        self.title = title
        self.standfirst = standfirst
        self.body = body
        self.date = date
        self.dateQuality = dateQuality ?? (date == nil ? .missing : .explicit)
        self.source = source
        self.category = category
        self.city = city
        self.author = author
        self.url = url
        self.origin = origin
    }

    /// A fingerprint of the text (title, standfirst, body with white space collapsed):
    /// the same story scraped twice, or re-exported with other metadata, has the same hash.
    public var contentHash: String {
        var hasher = FNV1a128()
        for field in [title, standfirst, body] {
            // Over the UTF-8 buffer: iterating `utf8` cost as much again as the hash.
            PlainText.withUTF8(field) { bytes in
                var pendingSpace = false
                for byte in bytes {
                    if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                        pendingSpace = true
                        continue
                    }
                    if pendingSpace { hasher.add(0x20); pendingSpace = false }
                    hasher.add(byte)
                }
            }
            hasher.add(0x1F)
        }
        return hasher.hexDigest
    }
}

extension Dispatch {
    /// The id of a record that gives none (no id, url or file name of its own): its
    /// explicit date and a fingerprint of its source, date and text (`2020-03-17-3f9a…`),
    /// so that the same record read from another path or day's export is the same
    /// dispatch, and two different records are two. A date whose year was inferred is
    /// left out: another batch may infer another year.
    public func derivedID(contentHash: String) -> String {
        Self.derivedID(source: source, explicitDay: dateQuality == .explicit ? date : nil, contentHash: contentHash)
    }

    /// ``derivedID(contentHash:)`` from stored values (an index upgraded in place).
    public static func derivedID(source: String?, explicitDay: Day?, contentHash: String) -> String {
        let day = explicitDay?.description
        var hasher = FNV1a128()
        for part in [source ?? "", day ?? "", contentHash] {
            for byte in part.utf8 { hasher.add(byte) }
            hasher.add(0x1F)
        }
        return (day.map { $0 + "-" } ?? "") + hasher.hexDigest.prefix(16)
    }
}
