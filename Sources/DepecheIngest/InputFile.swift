import CZlib
import Foundation

/// Reads a file or standard input (`-`), gzip-compressed or not: zlib's gz reader
/// passes plain files through and inflates gzip members as it goes, so every format
/// gets `.gz` support and streaming for free.
public final class InputFile {
    /// The most text one record may hold (a JSON line, a CSV row, a page), decompressed:
    /// beyond it a record is reported and skipped, so that memory stays bounded whatever
    /// the input (a gzip bomb, `yes | depeche index -`). Analysing a record takes several
    /// times its size; no wire dispatch comes near.
    public static let largestRecord = 16 << 20
    /// The most a JSON document (`.json` array) may hold: it is parsed whole.
    public static let largestDocument = 128 << 20

    public let path: String
    private let handle: gzFile
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    /// Bytes read ahead by ``peek()``, served before the next read.
    private var peeked: [UInt8] = []

    /// `-` is standard input. A pipe, a FIFO or a process substitution (`<(…)`,
    /// `/dev/stdin`) is read as a stream; a folder is refused as such.
    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw IngestProblem(file: path, message: "a folder, not a file")
        }
        let opened: gzFile? = path == "-" ? gzdopen(dup(0), "rb") : gzopen(path, "rb")
        guard let opened else {
            throw IngestProblem(file: path, message: InputFile.openFailure(path))
        }
        gzbuffer(opened, 1 << 17)
        handle = opened
    }

    deinit { gzclose(handle) }

    /// The next chunk of (decompressed) bytes; empty at the end.
    public func readChunk() throws -> ArraySlice<UInt8> {
        if !peeked.isEmpty {
            defer { peeked = [] }
            return peeked[...]
        }
        let count = buffer.withUnsafeMutableBytes { gzread(handle, $0.baseAddress, UInt32($0.count)) }
        var code: Int32 = 0
        let message = gzerror(handle, &code).map { String(cString: $0) } ?? "read error"
        if count < 0 {
            throw IngestProblem(file: path, message: "cannot read: \(message)")
        }
        // zlib flags a gzip stream cut short (Z_BUF_ERROR) but keeps returning what it
        // could inflate, then 0: the end of the data is where the truncation shows.
        if count == 0, code == Z_BUF_ERROR {
            throw IngestProblem(file: path, message: "cannot read: truncated gzip data")
        }
        return buffer[0..<Int(count)]
    }

    /// How far reading has gone in the file itself (compressed bytes for gzip), for progress.
    public var bytesConsumed: Int64 { Int64(gzoffset(handle)) }

    /// The first bytes of the input, left in place for the next read.
    public func peek() throws -> ArraySlice<UInt8> {
        if peeked.isEmpty { peeked = Array(try readChunk()) }
        return peeked[...]
    }

    /// The whole content, for formats read in one piece (pages, JSON documents, synonym
    /// files); throws past `limit` bytes, having read no more than that, saying that it
    /// is too large `purpose` (`for one page`).
    public func readAll(limit: Int, purpose: String = "for one page or JSON document; skipped (JSON Lines are read record by record)") throws -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let chunk = try readChunk()
            if chunk.isEmpty { return bytes }
            if bytes.count + chunk.count > limit {
                throw IngestProblem(file: path, message: "too large: over \(Self.megabytes(limit)) of text \(purpose)")
            }
            bytes.append(contentsOf: chunk)
        }
    }

    /// Calls `body` with each line (without its end: LF, CRLF or a bare CR, as
    /// ``TextLines`` cuts them) and its 1-based number, and `tooLarge` with the number of
    /// a line longer than `longest` bytes, which is skipped without being held in memory.
    public func forEachLine(longest: Int = largestRecord, _ body: (ArraySlice<UInt8>, Int) throws -> Void, tooLarge: (Int) -> Void) throws {
        var pending: [UInt8] = []
        var skipping = false
        var lineNumber = 0
        /// The last chunk ended with a CR: an LF opening the next one ends nothing more.
        var afterCarriageReturn = false
        func finish(_ line: ArraySlice<UInt8>) throws {
            lineNumber += 1
            if skipping {
                skipping = false
                return tooLarge(lineNumber)
            }
            try body(line, lineNumber)
        }
        func hold(_ bytes: ArraySlice<UInt8>) {
            guard !skipping else { return }
            if pending.count + bytes.count > longest {
                skipping = true
                pending = []
            } else {
                pending.append(contentsOf: bytes)
            }
        }
        while true {
            let chunk = try readChunk()
            if chunk.isEmpty { break }
            var start = chunk.startIndex
            if afterCarriageReturn, chunk.first == 0x0A { start += 1 }
            afterCarriageReturn = false
            while let end = chunk[start...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                if pending.isEmpty && !skipping {
                    try finish(chunk[start..<end])
                } else {
                    hold(chunk[start..<end])
                    try finish(pending[...])
                    pending.removeAll(keepingCapacity: true)
                }
                start = end + 1
                if chunk[end] == 0x0D {
                    if start == chunk.endIndex { afterCarriageReturn = true } else if chunk[start] == 0x0A { start += 1 }
                }
            }
            hold(chunk[start...])
        }
        if !pending.isEmpty || skipping { try finish(pending[...]) }
    }

    /// `16 MB`, for messages.
    static func megabytes(_ bytes: Int) -> String { "\(bytes >> 20) MB" }

    private static func openFailure(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return "cannot open (\(String(cString: strerror(errno))))"
    }
}
