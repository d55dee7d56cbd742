/// A dispatch of a story group, as `show` lists the group's members.
public struct StoryMember: Equatable, Sendable {
    public let id: String
    public let date: Day?
    public let source: String?
    public let title: String

    public init(id: String, date: Day?, source: String?, title: String) {
        self.id = id
        self.date = date
        self.source = source
        self.title = title
    }
}

/// A story of several dispatches, as `stats` lists the largest.
public struct StoryGroup: Equatable, Sendable {
    /// The index's id of the story.
    public let story: Int64
    public let dispatches: Int
    /// The title of its first dispatch.
    public let title: String

    public init(story: Int64, dispatches: Int, title: String) {
        self.story = story
        self.dispatches = dispatches
        self.title = title
    }
}
