import Foundation

/// Buffered text output to standard output or to a file that appears under its final
/// name only when complete: written to a temporary file beside it, then renamed, so an
/// interrupted export never leaves half a file under the name a script waits for.
public final class TextSink {
    private let handle: FileHandle
    private var buffer = Data()
    /// The temporary path and the final one, when writing to a file.
    private let paths: (temporary: String, final: String)?
    static let bufferSize = 1 << 16

    /// Standard output.
    public init() {
        handle = FileHandle.standardOutput
        paths = nil
    }

    /// A file, created as `.NAME.PID.partial` in the same folder until ``commit()``.
    public init(file: String) throws {
        let url = URL(fileURLWithPath: file)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw DepecheError("cannot write \(file): \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        paths = (temporary, file)
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and for a file puts it under its final name.
    public func commit() throws {
        try flush()
        guard let paths else { return }
        try handle.synchronize()
        try handle.close()
        if rename(paths.temporary, paths.final) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(paths.temporary)
            throw DepecheError("cannot write \(paths.final): \(reason)")
        }
    }

    /// Drops an unfinished file.
    public func abandon() {
        guard let paths else { return }
        try? handle.close()
        unlink(paths.temporary)
    }
}
