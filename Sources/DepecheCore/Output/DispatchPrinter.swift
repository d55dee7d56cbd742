/// Prints one whole dispatch for `show`.
public enum DispatchPrinter {
    public static func json(_ dispatch: Dispatch) -> String {
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
        ]))
    }

    /// Title, metadata, then the text; wrapped to `width` on a terminal, paragraphs as they are otherwise.
    public static func text(_ dispatch: Dispatch, width: Int?) -> String {
        var lines = [dispatch.title, ""]
        let meta = [TextStyle.date(dispatch.date, quality: dispatch.dateQuality)]
            + [dispatch.source, dispatch.category, dispatch.city, dispatch.author].compactMap { $0 }
        lines.append(meta.joined(separator: " · "))
        lines.append("id \(dispatch.id) · from \(dispatch.origin)")
        if let url = dispatch.url { lines.append(url) }
        lines.append("")
        for paragraph in [dispatch.standfirst, dispatch.body] where !paragraph.isEmpty {
            for line in paragraph.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(contentsOf: wrap(String(line), width: width))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Greedy word wrap; a line is left as it is without a width.
    static func wrap(_ line: String, width: Int?) -> [String] {
        guard let width, width > 20, line.count > width else { return [line] }
        var wrapped: [String] = []
        var current = ""
        for word in line.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > width {
                wrapped.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { wrapped.append(current) }
        return wrapped
    }
}
