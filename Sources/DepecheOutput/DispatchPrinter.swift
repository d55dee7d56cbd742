import DepecheModel

/// Prints one whole dispatch for `show`.
public enum DispatchPrinter {
    /// `group` and `similar` are the dispatch's story and its other dispatches.
    public static func json(_ dispatch: Dispatch, group: Int64? = nil, similar: [StoryMember] = []) -> String {
        JSONText.render(.object([
            ("id", .string(dispatch.id)),
            ("title", .string(dispatch.title)),
            ("date", .string(dispatch.date?.description)),
            ("date_quality", .string(dispatch.dateQuality.rawValue)),
            ("source", .string(dispatch.source)),
            ("category", .string(dispatch.category)),
            ("city", .string(dispatch.city)),
            ("author", .string(dispatch.author)),
            ("url", .string(dispatch.url)),
            ("origin", .string(dispatch.origin.description)),
            ("standfirst", .string(dispatch.standfirst)),
            ("body", .string(dispatch.body)),
            ("group", group.map { .integer(Int($0)) } ?? .string(nil)),
            ("similar", .array(similar.map {
                .object([("id", .string($0.id)), ("date", .string($0.date?.description)), ("source", .string($0.source)), ("title", .string($0.title))])
            })),
        ]))
    }

    /// Title, metadata, then the text; wrapped to `width` on a terminal, paragraphs as
    /// they are otherwise. With `highlighted`, the matches of a query are marked in `style`.
    /// Last, the other dispatches of its story (`similar`), one a line.
    public static func text(_ dispatch: Dispatch, width: Int?, highlighted: HighlightedText? = nil, style: MatchStyle = .brackets,
                            similar: [StoryMember] = []) -> String {
        func marked(_ plain: String, _ snippet: Snippet?) -> String { snippet.map(style.mark) ?? TextStyle.printable(plain) }
        var lines = [style.bold.0 + marked(dispatch.title, highlighted?.title) + style.bold.1, ""]
        let meta = [TextStyle.date(dispatch.date, quality: dispatch.dateQuality)]
            + [dispatch.source, dispatch.category, dispatch.city, dispatch.author].compactMap { $0 }
        lines.append(TextStyle.printable(meta.joined(separator: " · ")))
        lines.append(TextStyle.printable("id \(dispatch.id) · from \(dispatch.origin)"))
        if let url = dispatch.url { lines.append(TextStyle.printable(url)) }
        lines.append("")
        for paragraph in [marked(dispatch.standfirst, highlighted?.standfirst), marked(dispatch.body, highlighted?.body)] where !paragraph.isEmpty {
            for line in TextLines.lines(paragraph) {
                lines.append(contentsOf: wrap(String(line), width: width))
            }
            lines.append("")
        }
        if !similar.isEmpty {
            lines.append("Same story: \(similar.count) other " + (similar.count == 1 ? "dispatch" : "dispatches"))
            for member in similar {
                let meta = [member.date?.description ?? "undated"] + [member.source, member.id].compactMap { $0 }
                lines.append(TextStyle.printable("  " + meta.joined(separator: " · ") + "  " + TextStyle.oneLine(member.title)))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Greedy word wrap; a line is left as it is without a width. Widths count what is
    /// seen, so the escape sequences of marks do not shorten lines.
    static func wrap(_ line: String, width: Int?) -> [String] {
        guard let width, width > 20, visibleLength(line) > width else { return [line] }
        var wrapped: [String] = []
        var current = ""
        var currentLength = 0
        for word in line.split(separator: " ") {
            let length = visibleLength(word)
            if currentLength > 0, currentLength + 1 + length > width {
                wrapped.append(current)
                current = ""
                currentLength = 0
            }
            current += currentLength == 0 ? String(word) : " " + word
            currentLength += (currentLength == 0 ? 0 : 1) + length
        }
        if !current.isEmpty { wrapped.append(current) }
        return wrapped
    }

    /// Characters shown on a terminal: ANSI escape sequences count for nothing.
    static func visibleLength(_ text: some StringProtocol) -> Int {
        var count = 0
        var inEscape = false
        for character in text {
            if character == "\u{1B}" { inEscape = true; continue }
            if inEscape {
                if character.isLetter { inEscape = false }
                continue
            }
            count += 1
        }
        return count
    }
}
