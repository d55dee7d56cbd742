/// How many single-character insertions, deletions, substitutions and transpositions of
/// neighbours turn one string into another (the optimal string alignment distance: a
/// swapped pair, `tilte`, is one slip). One definition for "did you mean" over short lists
/// (field names, sources, categories) and for the index's spellings (``Suggester``),
/// which weighs a doubled letter less.
enum EditDistance {
    /// The distance, every edit costing 1.
    static func between(_ a: String, _ b: String) -> Int {
        Int(cost(a, b, doubledLetter: 1))
    }

    /// The distance where doubling or undoubling a letter (`Ouattarra`, `Ouattara`)
    /// costs `doubledLetter` and every other edit 1.
    static func cost(_ a: String, _ b: String, doubledLetter: Double) -> Double {
        let a = Array(a), b = Array(b)
        var table = Array(repeating: Array(repeating: 0.0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = Double(i) }
        for j in 0...b.count { table[0][j] = Double(j) }
        guard !a.isEmpty, !b.isEmpty else { return table[a.count][b.count] }
        for i in 1...a.count {
            for j in 1...b.count {
                let deletion = i > 1 && a[i - 1] == a[i - 2] ? doubledLetter : 1
                let insertion = j > 1 && b[j - 1] == b[j - 2] ? doubledLetter : 1
                table[i][j] = min(table[i - 1][j] + deletion, table[i][j - 1] + insertion,
                                  table[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
}
