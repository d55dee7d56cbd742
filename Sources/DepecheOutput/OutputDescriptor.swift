import Foundation

/// Why output could not be written.
public enum OutputError: Error, CustomStringConvertible, Sendable {
    /// The reader went away (`| head -1` with SIGPIPE ignored): the command ends quietly,
    /// as `rg` and `git` do.
    case brokenPipe
    /// Anything else: a full disk, a closed descriptor, an I/O error.
    case failed(target: String, reason: String)

    public var description: String {
        switch self {
        case .brokenPipe: return "the output pipe was closed"
        case .failed(let target, let reason): return "cannot write \(target): \(reason)"
        }
    }
}

/// Writes bytes to a file descriptor with `write(2)`, all of them, retrying when
/// interrupted, and says what went wrong in words: Foundation's `FileHandle.write(_:)`
/// traps on a closed or full output, and its throwing variant reports Cocoa error codes.
public enum OutputDescriptor {
    /// Writes every byte of `data` to `descriptor`; `target` names it in errors
    /// ("standard output", a file name).
    public static func write(_ data: Data, to descriptor: Int32, target: String) throws {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let written = Foundation.write(descriptor, next, left)
                if written < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw OutputError.brokenPipe }
                    throw OutputError.failed(target: target, reason: reason(errno))
                }
                left -= written
                next += written
            }
        }
    }

    /// `write(2)`'s error in words, with the usual causes named.
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "the disk is full"
        case EBADF: return "it is closed"
        case EDQUOT: return "the disk quota is exceeded"
        default: return String(cString: strerror(code))
        }
    }

    /// Writes to standard error, ignoring every failure: a lost diagnostic must never
    /// stop a batch (`2>&-`). Control characters are left out: a message names files
    /// and quotes queries and indexes, which may hold escape sequences.
    public static func writeError(_ text: String) {
        try? write(Data(TextStyle.printable(text).utf8), to: STDERR_FILENO, target: "standard error")
    }

    /// Redraws the progress line of a terminal's standard error with `text` (printed
    /// without control characters), or erases it when `text` is empty.
    public static func writeProgress(_ text: String) {
        try? write(Data(("\r\u{1B}[K" + TextStyle.printable(text)).utf8), to: STDERR_FILENO, target: "standard error")
    }
}
