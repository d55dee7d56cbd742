import Foundation

/// File-system facts that several stages need.
public enum FileSystem {
    /// The path with its symbolic links resolved, so that writing "to" a link writes the
    /// file it points to instead of replacing the link; the path itself when it does not
    /// exist (yet).
    public static func resolvingLinks(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}
