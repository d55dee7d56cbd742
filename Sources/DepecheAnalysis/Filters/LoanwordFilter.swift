import Foundation

/// Keeps the English loanwords of ``Loanwords`` away from the French stemmer, which
/// folds them into French words (`center` → `cent`, `data` → `dat`): a listed word is
/// kept as written; its English plural (`leaders`) is not stemmed and stands under its
/// singular.
public struct LoanwordFilter: TokenFilter {
    static let words = Set(Loanwords.list.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) })

    public init() {}

    public func apply(to word: inout AnalyzedWord) {
        for index in word.spellings.indices where !word.spellings[index].keptAsWritten {
            let folded = word.spellings[index].folded
            if Self.words.contains(folded) {
                word.spellings[index].keptAsWritten = true
            } else if folded.utf8.last == UInt8(ascii: "s"), Self.words.contains(SingularFilter.singular(folded)) {
                word.spellings[index].unstemmed = true
            }
        }
    }
}
