import Foundation
import DepecheIngest
import DepecheModel

/// A source file as the index remembers it: absolute path, size, modification time,
/// and (computed on demand) a hash of its bytes.
struct SourceFile: Sendable {
    let path: String
    let size: Int64
    let modified: Double

    init?(path given: String) {
        let path = URL(fileURLWithPath: given).standardizedFileURL.path
        // Only a regular file can be remembered: hashing a pipe would read it again.
        guard Ingestor.isRegularFile(path), let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.int64Value,
              let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 else { return nil }
        self.path = path
        self.size = size
        self.modified = modified
    }

    var modificationDay: Day { Day(secondsSince1970: modified) }

    /// FNV-1a of the file's bytes as stored (compressed for gzip).
    func contentHash() throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DepecheError("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = FNV1a128()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { bytes in
                for byte in bytes { hasher.add(byte) }
            }
        }
        return hasher.hexDigest
    }
}

extension Day {
    /// Today in UTC.
    static var today: Day { Day(secondsSince1970: Date().timeIntervalSince1970) }
}
