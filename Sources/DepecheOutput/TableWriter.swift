import Foundation
import DepecheModel

/// The output formats of `search`: the table for people, or a hit list format.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, jsonl, csv, tsv, md, ids

    /// The hit list format, for every format but the table.
    public var listFormat: ListFormat? { ListFormat(rawValue: rawValue) }
}

/// How matched words are marked in text output.
public enum MatchStyle: Sendable {
    /// ANSI bold yellow, for a colour terminal.
    case ansi
    /// `[word]`, for plain text.
    case brackets

    /// The snippet's text with its matches marked; control characters of the text are
    /// dropped first (``TextStyle/printable(_:)``), so only depeche's own marks reach
    /// the terminal.
    func mark(_ snippet: Snippet) -> String {
        let snippet = Snippet(parts: snippet.parts.map { Snippet.Part(text: TextStyle.printable($0.text), isMatch: $0.isMatch) })
        switch self {
        case .ansi: return snippet.marked(open: "\u{1B}[1;33m", close: "\u{1B}[0m")
        case .brackets: return snippet.marked(open: "[", close: "]")
        }
    }

    /// Titles in bold and metadata dimmed on a colour terminal; nothing otherwise.
    var bold: (String, String) { self == .ansi ? ("\u{1B}[1m", "\u{1B}[0m") : ("", "") }
    var dim: (String, String) { self == .ansi ? ("\u{1B}[2m", "\u{1B}[0m") : ("", "") }
}

/// The search results table, for a person at a terminal: a header line (hits, time,
/// relaxation), then per hit its rank and title, its date, source, category, city and
/// id, and a snippet of at most two lines with the matches marked.
///
///     let table = TableWriter(style: .brackets, width: 100)
///     print(table.render(try searcher.search("Rosatom"), elapsed: 0.02))
public struct TableWriter {
    public let style: MatchStyle
    /// Terminal width; nil when not writing to a terminal (nothing is cut).
    public let width: Int?

    public init(style: MatchStyle = .brackets, width: Int? = nil) {
        self.style = style
        self.width = width
    }

    /// The line saying a search stopped at its time budget.
    public static func partialNotice(seconds: Double?) -> String {
        let limit = seconds.map { String(format: "%g s", $0) } ?? "its time limit"
        return "the search stopped after \(limit) (--timeout): these are the hits found by then, the total may be short"
    }

    /// The line saying a list is that of the query's correction, nil when it is not.
    public static func correctionNotice(_ summary: SearchSummary) -> String? {
        guard let typed = summary.correctedFrom, let corrected = summary.correctedQuery else { return nil }
        return "no dispatch has every word of \(TextStyle.quoted(typed)): showing results for \(TextStyle.quoted(corrected)) "
            + "(--as-typed searches the words as typed)"
    }

    /// The line naming the synonyms a search added, nil when it added none.
    public static func alsoSearchedNotice(_ summary: SearchSummary) -> String? {
        summary.alsoSearched.isEmpty ? nil : "also searched: " + summary.alsoSearched.joined(separator: ", ")
    }

    /// `subject` replaces `for "query"` in the head line (`similar to ID`).
    public func render(_ result: SearchResult, elapsed: Double, timeBudget: Double? = nil, subject: String? = nil) -> String {
        // Said when some story has several dispatches: "3 hits in 3 stories" says nothing.
        let stories = result.summary.stories.flatMap { $0 < result.total ? " in " + TextStyle.counted($0, "story", "stories") : nil } ?? ""
        let total = (result.summary.totalIsExact ? "" : "more than ") + TextStyle.counted(result.total, "hit")
        var output = "\(total)\(stories) \(subject ?? "for " + TextStyle.quoted(result.query)) (\(Int((elapsed * 1000).rounded())) ms)"
        if result.relaxed { output += ", no dispatch has every word: showing dispatches with some of them" }
        if let notice = Self.correctionNotice(result.summary) { output += "\n" + notice }
        if let also = Self.alsoSearchedNotice(result.summary) { output += "\n" + also }
        if !result.summary.nearSpellings.isEmpty {
            output += "\nalso searched, as near spellings: " + result.summary.nearSpellings.joined(separator: ", ")
        }
        for suggestion in result.summary.suggestions {
            output += "\ndid you mean: \(suggestion.query) (\(TextStyle.counted(suggestion.total, "hit")))?"
        }
        if result.partial { output += "\n" + Self.partialNotice(seconds: timeBudget) }
        output += "\n"
        return output + renderHits(result.hits)
    }

    /// Each hit: its rank and title, its date, source, category, city and id, its
    /// snippet on at most two lines, and in a collapsed list the other dispatches of its
    /// story that match (``similarLine(_:)``); a blank line before each.
    public func renderHits(_ hits: [Hit]) -> String {
        var output = ""
        let indent = "    ", room = width.map { $0 - 4 }
        for hit in hits {
            let number = "\(hit.rank).".padding(toLength: 4, withPad: " ", startingAt: 0)
            output += "\n\(number)\(style.bold.0)\(clip(hit.title, to: room))\(style.bold.1)\n"
            let meta = [TextStyle.date(hit.date, quality: hit.dateQuality)] + [hit.source, hit.category, hit.city].compactMap { $0 } + [hit.id]
            output += indent + style.dim.0 + clip(meta.joined(separator: " · "), to: room) + style.dim.1 + "\n"
            if !hit.snippet.parts.isEmpty {
                // At most two lines, each indented (a terminal's own wrapping would not indent the second).
                let marked = style.mark(clipped(hit.snippet, to: room.map { $0 * 2 }))
                for line in DispatchPrinter.wrap(marked, width: room).prefix(2) { output += indent + line + "\n" }
            }
            if let similar = Self.similarLine(hit.similar) { output += indent + style.dim.0 + clip(similar, to: room) + style.dim.1 + "\n" }
        }
        return output
    }

    /// `+2 similar: APS, Senego` — the sources (else ids) of the other dispatches of a
    /// hit's story, the first three named; nil when there are none.
    static func similarLine(_ similar: [StoryMate]) -> String? {
        guard !similar.isEmpty else { return nil }
        let names = similar.prefix(3).map { $0.source ?? $0.id }
        return "+\(similar.count) similar: " + names.joined(separator: ", ") + (similar.count > 3 ? " …" : "")
    }

    private func clip(_ text: String, to width: Int?) -> String {
        let text = TextStyle.printable(text)
        guard let width, width > 8, text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// The snippet on one line, cut to `length` visible characters, marks kept.
    private func clipped(_ snippet: Snippet, to length: Int?) -> Snippet {
        var parts: [Snippet.Part] = []
        var room = length ?? Int.max
        for part in snippet.parts where room > 0 {
            var text = TextStyle.oneLine(part.text)
            if text.count > room { text = String(text.prefix(max(0, room - 1))) + "…" }
            parts.append(Snippet.Part(text: text, isMatch: part.isMatch))
            room -= text.count
        }
        return Snippet(parts: parts)
    }
}

/// Small text helpers shared by the writers.
public enum TextStyle {
    /// `1 hit`, `2 hits`, `0 hits`; `plural` when adding an s is wrong.
    public static func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
    }

    /// A query between double quotes as typed, on one line (no escaping backslashes).
    public static func quoted(_ text: String) -> String {
        "\"" + flatten(printable(text)) + "\""
    }

    /// A name from an index or a file (a saved search's) on one line, fit for a terminal.
    public static func name(_ text: String) -> String {
        flatten(printable(text))
    }

    /// A word as a shell reads it back in a command this tool suggests: bare when it is
    /// made of safe characters, else between single quotes (`'mon veille'`), so that the
    /// hint can be pasted; control characters are left out (never sent to a terminal).
    public static func shellWord(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:/@+=%")
        let shown = printable(text)
        if !shown.isEmpty, shown.allSatisfy({ safe.contains($0) || ($0.isLetter && !$0.isASCII) }) { return shown }
        return "'" + shown.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `2020-12-09`, `2019-12-09 (year inferred)`, or `undated`.
    static func date(_ date: Day?, quality: DateQuality) -> String {
        guard let date else { return "undated" }
        return quality == .inferredYear ? "\(date) (year inferred)" : date.description
    }

    /// Text fit for a terminal: without control characters other than line breaks and
    /// tabs (an escape sequence in indexed text could retitle or reprogram the reader's
    /// terminal; ingest removes them, but an index made before may hold some) and
    /// without bidirectional overrides.
    static func printable(_ text: String) -> String {
        PlainText.withoutControls(text).text
    }

    /// Line breaks and tabs as spaces, nothing else changed (a snippet's marks keep their places).
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    /// Line breaks and runs of spaces as single spaces, for one-line display.
    static func flatten(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
