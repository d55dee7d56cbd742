/// A failure that is not the user's typing: reported on one line, exit status 1.
public struct DepecheError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A mistake in how the command was called: reported on one line, exit status 2.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
