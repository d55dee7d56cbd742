import DepecheAnalysis
import DepecheModel

/// The tokens of the query grammar (``QueryParser``): words, phrases, operators and
/// fields, each with the column it starts at for error messages.
extension QueryParser {
    struct Token: Equatable {
        enum Kind: Equatable {
            case open, close, or, and, not
            case near(Int)
            case term(negated: Bool, field: String?, text: String, kind: QueryNode.Term.Kind)
        }
        let kind: Kind
        let column: Int
    }

    static func tokenize(_ query: String) throws -> [Token] {
        // Scalar by scalar: a quote followed by a combining mark is one Character to Swift,
        // but still a quote to FTS5.
        let characters = query.unicodeScalars.map(Character.init)
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            let column = index + 1
            if character == "(" { tokens.append(Token(kind: .open, column: column)); index += 1; continue }
            if character == ")" { tokens.append(Token(kind: .close, column: column)); index += 1; continue }

            var negated = false
            if character == "-", index + 1 < characters.count, !characters[index + 1].isWhitespace {
                negated = true
                index += 1
            }
            // A field prefix, when the word before ':' is a known field name.
            var field: String?
            if let colon = characters[index...].prefix(while: { !$0.isWhitespace && $0 != "(" && $0 != ")" && $0 != "\"" }).firstIndex(of: ":") {
                let name = String(characters[index..<colon]).lowercased()
                if fieldNames[name] != nil {
                    field = name
                    index = colon + 1
                } else if looksLikeField(name, before: characters[(colon + 1)...]) {
                    throw QueryError(message: unknownFieldMessage(name), column: column)
                }
            }
            if index < characters.count, characters[index] == "\"" {
                let start = index + 1
                var end = start
                while end < characters.count, characters[end] != "\"" { end += 1 }
                let text = String(characters[start..<end])
                index = min(end + 1, characters.count)
                var kind = QueryNode.Term.Kind.phrase
                if index < characters.count, characters[index] == "*" { kind = .prefix; index += 1 }
                tokens.append(Token(kind: .term(negated: negated, field: field, text: text, kind: kind), column: column))
                continue
            }
            let start = index
            while index < characters.count, !characters[index].isWhitespace, !"()\"".contains(characters[index]) { index += 1 }
            var text = String(characters[start..<index])
            if field == nil, !negated {
                switch text {
                case "OR": tokens.append(Token(kind: .or, column: column)); continue
                case "AND": tokens.append(Token(kind: .and, column: column)); continue
                case "NOT": tokens.append(Token(kind: .not, column: column)); continue
                case "NEAR": tokens.append(Token(kind: .near(QueryParser.defaultNearDistance), column: column)); continue
                default:
                    if text.hasPrefix("NEAR/"), let distance = Int(text.dropFirst(5)), distance >= 0 {
                        tokens.append(Token(kind: .near(distance), column: column))
                        continue
                    }
                }
            }
            var kind = QueryNode.Term.Kind.word
            if text.count > 1, text.hasPrefix("="), WordSegmenter.containsWord(Substring(text.dropFirst())) {
                text.removeFirst()
                kind = .exact
            }
            if text.hasSuffix("*") {
                while text.hasSuffix("*") { text.removeLast() }
                kind = .prefix
            }
            tokens.append(Token(kind: .term(negated: negated, field: field, text: text, kind: kind), column: column))
        }
        return tokens
    }

    /// The field names a query may use, in the order the help lists them.
    static let documentedFields = ["title", "standfirst", "body", "source", "category"]

    /// `name:value` reads as a field only when `name` is a word of letters (two or
    /// more) and a value follows that is not a path: `tilte:Macron` is a mistyped
    /// field; `12:30`, `Covid:` and `https://…` are words.
    static func looksLikeField(_ name: String, before rest: ArraySlice<Character>) -> Bool {
        guard name.count >= 2, name.allSatisfy(\.isLetter), let next = rest.first else { return false }
        return !next.isWhitespace && next != "/" && next != ":"
    }

    /// `unknown field "tilte:" (fields: title, …; did you mean title:?)`.
    static func unknownFieldMessage(_ name: String) -> String {
        // The English names first on a tie: they are the ones the help lists.
        let names = documentedFields + fieldNames.keys.filter { !documentedFields.contains($0) }.sorted()
        let nearest = names.map { ($0, EditDistance.between(name, $0)) }.min { $0.1 < $1.1 }
        var message = "unknown field \"\(name):\" (fields: " + documentedFields.map { $0 + ":" }.joined(separator: ", ")
        if let (suggestion, distance) = nearest, distance <= 2 { message += "; did you mean \(suggestion):?" }
        return message + ")"
    }
}
