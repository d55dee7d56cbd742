import Foundation
import DepecheModel

/// A date as written in a source: complete, or a day and month awaiting a year.
public enum WrittenDate: Equatable, Sendable {
    case full(Day)
    case dayAndMonth(day: Int, month: Int)

    /// Completes a day-and-month date with a year; nil when the day does not exist that year (29 February).
    public func completed(withYear year: Int) -> Day? {
        switch self {
        case .full(let day): return day
        case .dayAndMonth(let day, let month): return Day(year: year, month: month, day: day)
        }
    }
}

/// Reads the date forms found in French news sources: ISO dates and date-times,
/// `DD/MM/YYYY` (with an optional `à 22:05`), French long dates (`jeudi 2 juillet 2020`,
/// `1er juillet 2020`), and a day with a French month but no year (`9 Décembre`).
public enum FrenchDate {
    /// French month names, their usual abbreviations, and accent-less spellings.
    static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let names = [
            ["janvier", "janv", "jan"], ["fevrier", "fevr", "fev"], ["mars", "mar"],
            ["avril", "avr"], ["mai"], ["juin"], ["juillet", "juil"], ["aout"],
            ["septembre", "sept", "sep"], ["octobre", "oct"], ["novembre", "nov"], ["decembre", "dec"],
        ]
        for (index, spellings) in names.enumerated() {
            for spelling in spellings { table[spelling] = index + 1 }
        }
        return table
    }()

    /// The month number of a French month name in any case, with or without accents or a final dot.
    public static func month(named name: some StringProtocol) -> Int? {
        var key = ""
        for character in name.lowercased() where character != "." {
            switch character {
            case "é", "è", "ê": key.append("e")
            case "û", "ù": key.append("u")
            default: key.append(character)
            }
        }
        return months[key]
    }

    /// Parses a whole field holding a date; nil when it holds none that makes sense.
    public static func parse(_ text: some StringProtocol) -> WrittenDate? {
        let trimmed = PlainText.trimmed(text)
        guard !trimmed.isEmpty else { return nil }
        if let day = parseISO(trimmed) ?? parseNumeric(trimmed) { return .full(day) }
        return parseWords(trimmed)
    }

    /// `2020-07-02`, `2020-07-02T19:09`, `2025-07-13 22:05:00+00:00`.
    static func parseISO(_ text: String) -> Day? {
        let utf8 = Array(text.utf8.prefix(10))
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        if text.utf8.count > 10 {
            let next = text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: 10)]
            guard next == UInt8(ascii: "T") || next == UInt8(ascii: " ") else { return nil }
        }
        return Day(iso: String(decoding: utf8, as: UTF8.self))
    }

    /// `13/07/2025`, `13/07/2025 à 22:05`, `13-07-2025`, `13.07.2025` (day first, French order).
    static func parseNumeric(_ text: String) -> Day? {
        let head = text.prefix { !$0.isWhitespace }
        let parts = head.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard parts.count == 3, parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2,
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    /// `jeudi 2 juillet 2020`, `2 juillet 2020 à 19h09`, `1er juillet`, `9 Décembre`.
    static func parseWords(_ text: String) -> WrittenDate? {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
        for (index, word) in words.enumerated() {
            let digits = word.hasSuffix("er") ? String(word.dropLast(2)) : word
            guard index + 1 < words.count, month(named: words[index + 1]) != nil else { continue }
            let following = index + 2 < words.count ? words[index + 2] : nil
            // A number of five digits or more where the year goes is a year out of range:
            // unreadable, not a date to give an inferred year.
            if let following, following.count >= 5, following.allSatisfy(\.isNumber) { return nil }
            let year = following?.count == 4 ? following : nil
            return date(day: digits, month: words[index + 1], year: year)
        }
        return nil
    }

    /// A date from its written parts: day digits, a French month name, optional year digits.
    /// Nil for a day that exists in no year (31 avril), or for a non-numeric year.
    static func date(day dayText: some StringProtocol, month monthName: some StringProtocol, year yearText: (some StringProtocol)?) -> WrittenDate? {
        guard let day = Int(dayText), let month = month(named: monthName) else { return nil }
        guard let yearText else {
            // 2000 is a leap year, so 29 February passes here and waits for its real year.
            return Day(year: 2000, month: month, day: day) == nil ? nil : .dayAndMonth(day: day, month: month)
        }
        return Int(yearText).flatMap { Day(year: $0, month: month, day: day) }.map { .full($0) }
    }

    /// The year that puts a day-and-month on or before `reference`, the latest such:
    /// a page read in March that says "9 Décembre" speaks of last December.
    public static func inferYear(day: Int, month: Int, notAfter reference: Day) -> Day? {
        for year in stride(from: reference.year, through: reference.year - 8, by: -1) {
            if let candidate = Day(year: year, month: month, day: day), candidate <= reference { return candidate }
        }
        return nil
    }
}
