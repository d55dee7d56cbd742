import Foundation
import DepecheModel

/// The dispatch fields a record's columns can fill.
public enum DispatchField: String, CaseIterable, Sendable {
    case id, title, standfirst, body, date, source, category, city, author, url
}

/// Which column of a record fills which dispatch field: automatic for the usual
/// English and French column names, overridable field by field (`--field body=texte`).
public final class FieldMapping: @unchecked Sendable {
    /// Accepted column names per field, most specific first (compared without case or accents).
    /// `date_parsed` precedes `date` because scrapers keep the raw text in `date`.
    static let aliases: [DispatchField: [String]] = [
        .id: ["id", "identifier", "identifiant", "guid", "uid", "uuid"],
        .title: ["title", "titre", "headline", "entete"],
        .standfirst: ["standfirst", "heading", "chapo", "chapeau", "lead", "lede", "summary", "resume", "description", "subtitle", "sous_titre"],
        .body: ["body", "text", "texte", "content", "contenu", "article", "corps", "story"],
        .date: ["date_parsed", "date", "published", "published_at", "publication_date", "date_publication", "posted_at", "pubdate", "datetime", "created_at", "timestamp"],
        .source: ["source", "agency", "agence", "publisher", "website_origin", "media", "site"],
        .category: ["category", "categorie", "categories", "theme", "univers", "section", "rubrique", "topic"],
        .city: ["city", "ville", "dateline", "location", "lieu"],
        .author: ["author", "auteur", "byline", "signature", "writer"],
        .url: ["url", "link", "lien", "permalink", "href"],
    ]

    /// Explicit choices, field → column name as written in the source.
    public let overrides: [DispatchField: String]

    public init(overrides: [DispatchField: String] = [:]) {
        self.overrides = overrides
    }

    /// Parses `name=column` options; throws a message naming the bad option.
    public convenience init(options: [String]) throws {
        var overrides: [DispatchField: String] = [:]
        for option in options {
            let parts = option.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw UsageError("--field \(option): expected NAME=COLUMN, e.g. --field body=texte")
            }
            guard let field = DispatchField(rawValue: String(parts[0]).lowercased()) else {
                let names = DispatchField.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError("--field \(option): unknown field '\(parts[0])' (fields: \(names))")
            }
            overrides[field] = String(parts[1])
        }
        self.init(overrides: overrides)
    }

    /// The last resolution, reused while records keep the same columns (the usual case
    /// of a JSON Lines export): resolving costs more than reading a record. A mapping is
    /// used by one reader at a time.
    private var lastResolution: (columns: Set<String>, resolved: [DispatchField: String])?

    /// The column chosen for each field among the columns a record has.
    public func resolve(columns: [String]) -> [DispatchField: String] {
        let set = Set(columns)
        if let last = lastResolution, last.columns == set { return last.resolved }
        let resolved = resolveAnew(columns: columns)
        lastResolution = (set, resolved)
        return resolved
    }

    private func resolveAnew(columns: [String]) -> [DispatchField: String] {
        var byKey: [String: String] = [:]
        for column in columns {
            let key = Self.key(column)
            if byKey[key] == nil { byKey[key] = column }
        }
        var resolved: [DispatchField: String] = [:]
        for field in DispatchField.allCases {
            if let chosen = overrides[field] {
                if let column = byKey[Self.key(chosen)] { resolved[field] = column }
                continue
            }
            // A column chosen by --field may also feed the field it is named for
            // (`--field source=url` keeps the url); two automatic choices never share one.
            let taken = Set(resolved.filter { overrides[$0.key] == nil }.values)
            if let column = Self.aliases[field]!.lazy.compactMap({ byKey[Self.key($0)] }).first(where: { !taken.contains($0) }) {
                resolved[field] = column
            }
        }
        return resolved
    }

    /// Lower case, accents and separators dropped: `Catégorie`, `date-parsed` and `DATE_PARSED` meet.
    static func key(_ column: String) -> String {
        var key = ""
        for scalar in column.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
            key.unicodeScalars.append(scalar)
        }
        return key
    }
}
