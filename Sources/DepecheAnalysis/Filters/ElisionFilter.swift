/// Removes an elided article or conjunction: `l’État` → `État`, `qu’il` → `il`. A name
/// keeps a second, joined spelling (`N’Djamena` → `Djamena`, `NDjamena`), so that it
/// matches both `djamena` and the common spelling `Ndjamena`; a name has a capital on
/// either side of the apostrophe (`N’djamena`, `l’Oréal`), while `d’une` or `qu’il`
/// joined would only add a useless term. Other apostrophes are dropped (`aujourd’hui`).
/// The three apostrophes of French text (' ’ ʼ) all count.
public struct ElisionFilter: TokenFilter {
    /// Elided articles and conjunctions, lower-cased, as written before an apostrophe.
    public static let elisions: Set<String> = ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]

    public init() {}

    /// One of the three apostrophes of French text.
    static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}" || character == "\u{02BC}"
    }

    public func apply(to word: inout AnalyzedWord) {
        word.spellings = word.spellings.flatMap { spelling in
            Self.spellings(of: spelling.written).enumerated().map { index, written in
                var spelling = Spelling(written: written)
                // The joined spelling of a name (`NDjamena`) is a spelling, not a word to stem.
                spelling.keptAsWritten = index > 0
                return spelling
            }
        }
    }

    /// The spellings of a written word: without its elided article (`l’État` → `État`),
    /// then for a name the joined spelling (`N’Djamena` → `Djamena`, `NDjamena`).
    public static func spellings(of written: String) -> [String] {
        let parts = written.split(whereSeparator: isApostrophe)
        let joined = parts.joined()
        guard parts.count > 1, Self.elisions.contains(parts[0].lowercased()) else { return [joined] }
        let isName = parts[0].first?.isUppercase == true || parts[1].first?.isUppercase == true
        return isName ? [parts.dropFirst().joined(), joined] : [parts.dropFirst().joined()]
    }
}
