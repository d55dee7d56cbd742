import Foundation
import DepecheModel

/// Buffered text output to standard output or to a file that appears under its final
/// name only when complete: written to a temporary file beside it, then renamed, so an
/// interrupted export never leaves half a file under the name a script waits for.
///
/// Only a regular file (or a new one) is written that way. A symbolic link is written
/// through (the file it points to is replaced, the link stays), and a device, FIFO or
/// socket (`/dev/stdout`, `/dev/null`, a named pipe) is opened and written in place:
/// renaming over them would replace the node itself.
public final class TextSink {
    private let descriptor: Int32
    /// What errors call the output: "standard output" or the file's name as given.
    private let target: String
    private var buffer = Data()
    /// The temporary path and the final one, when writing to a regular file.
    private let paths: (temporary: String, final: String)?
    static let bufferSize = 1 << 16

    /// Standard output.
    public init() {
        descriptor = STDOUT_FILENO
        target = "standard output"
        paths = nil
    }

    /// A file: a regular one is created as `.NAME.PID.partial` in its folder until
    /// ``commit()``; anything else that exists is written directly.
    public init(file: String) throws {
        let target = FileSystem.resolvingLinks(file)
        var status = stat()
        if stat(target, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            guard status.st_mode & S_IFMT != S_IFDIR else { throw DepecheError("cannot write \(file): it is a folder") }
            descriptor = open(target, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw DepecheError("cannot write \(file): \(String(cString: strerror(errno)))") }
            self.target = file
            paths = nil
            return
        }
        let url = URL(fileURLWithPath: target)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DepecheError("cannot write \(file): \(Self.openFailure(errno, folder: url.deletingLastPathComponent().path))") }
        self.target = file
        paths = (temporary, target)
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try OutputDescriptor.write(buffer, to: descriptor, target: target)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and for a file puts it under its final name.
    public func commit() throws {
        try flush()
        guard let paths else {
            if descriptor != STDOUT_FILENO { close(descriptor) }
            return
        }
        if fsync(descriptor) != 0 {
            let reason = OutputDescriptor.reason(errno)
            close(descriptor)
            unlink(paths.temporary)
            throw OutputError.failed(target: target, reason: reason)
        }
        close(descriptor)
        if rename(paths.temporary, paths.final) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(paths.temporary)
            throw DepecheError("cannot write \(paths.final): \(reason)")
        }
    }

    /// Drops an unfinished file.
    public func abandon() {
        guard let paths else {
            if descriptor != STDOUT_FILENO { close(descriptor) }
            return
        }
        close(descriptor)
        unlink(paths.temporary)
    }

    /// Why a file could not be created, in words: a missing folder is named.
    private static func openFailure(_ code: Int32, folder: String) -> String {
        var isDirectory: ObjCBool = false
        if code == ENOENT, !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) { return "no folder \(folder)" }
        if code == ENOTDIR { return "\(folder) is not a folder" }
        return OutputDescriptor.reason(code)
    }
}
