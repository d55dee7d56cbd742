import Foundation

/// Buffered text output to standard output or to a file that appears under its final
/// name only when complete: written to a temporary file beside it, then renamed, so an
/// interrupted export never leaves half a file under the name a script waits for.
///
/// Only a regular file (or a new one) is written that way. A symbolic link is written
/// through (the file it points to is replaced, the link stays), and a device, FIFO or
/// socket (`/dev/stdout`, `/dev/null`, a named pipe) is opened and written in place:
/// renaming over them would replace the node itself.
public final class TextSink {
    private let handle: FileHandle
    private var buffer = Data()
    /// The temporary path and the final one, when writing to a regular file.
    private let paths: (temporary: String, final: String)?
    static let bufferSize = 1 << 16

    /// Standard output.
    public init() {
        handle = FileHandle.standardOutput
        paths = nil
    }

    /// A file: a regular one is created as `.NAME.PID.partial` in its folder until
    /// ``commit()``; anything else that exists is written directly.
    public init(file: String) throws {
        let target = FileSystem.resolvingLinks(file)
        var status = stat()
        if stat(target, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            guard status.st_mode & S_IFMT != S_IFDIR else { throw DepecheError("cannot write \(file): it is a folder") }
            let descriptor = open(target, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw DepecheError("cannot write \(file): \(String(cString: strerror(errno)))") }
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            paths = nil
            return
        }
        let url = URL(fileURLWithPath: target)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw DepecheError("cannot write \(file): \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        paths = (temporary, target)
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
