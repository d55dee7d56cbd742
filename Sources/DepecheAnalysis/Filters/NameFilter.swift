import Foundation

/// Marks the place names of ``PlaceNames`` (`France`, `Tours`, `Mali`) and gives them
/// their variants (demonyms). A name is never matched through a stem: `France` must not
/// find *francs*, `Mali` not *mal*, `Tours` not *tours* (towers). In a document only a
/// capital says it is the name (`les tours` stays the towers); a query is taken as the
/// name whatever its case, since people type `tours` and `mali` in lower case. A name a
/// document writes in lower case is read as a common word.
///
/// A capitalized name is indexed twice at its position: as written (for `prefix*`) and
/// after ``marker``, which only a query for the name matches: `Vienne` must not find
/// *que je vienne*, nor `Grasse` *une sauce grasse*.
public struct NameFilter: TokenFilter {
    /// Put before the term of a name written with a capital. Never the first character
    /// of a folded word.
    public static let marker = "@"

    /// Folded name → its variants.
    static let names: [String: [String]] = {
        var names: [String: [String]] = [:]
        for line in PlaceNames.list.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            // As documents index them: a singular (`francais` → `francai`).
            names[name] = parts.count > 1 ? parts[1].split(separator: " ").map { SingularFilter.singular(String($0)) } : []
        }
        return names
    }()

    public init() {}

    public func apply(to word: inout AnalyzedWord) {
        // The joined spelling of an elided name counts too (`N’Djamena` → `ndjamena`).
        for index in word.spellings.indices {
            guard let variants = Self.names[word.spellings[index].folded] else { continue }
            word.spellings[index].isName = true
            word.spellings[index].variants = variants
        }
    }
}
