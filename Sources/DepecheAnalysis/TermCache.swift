import DepecheModel

/// The document terms of the words met so far, keyed by the word's UTF-8 bytes.
///
/// The tokenizer looks up every word of the archive here, so a hit must cost no
/// allocation: keys and terms live in two byte arenas and the table is open-addressed
/// over them, instead of a `[String: …]` that would build a `String` per word.
/// The cache is dropped whole when full: simple, and a news vocabulary's frequent words
/// come back within the next few thousand words.
struct TermCache {
    /// Words kept at most before the cache is dropped (about 20 MB of arenas and slots).
    static let limit = 200_000

    private struct Slot {
        var hash: UInt64 = 0
        /// -1 while the slot is empty.
        var keyStart: Int32 = -1
        var keyLength: Int32 = 0
        var termsStart: Int32 = 0
        var termsLength: Int32 = 0
        /// Times the word was counted as case evidence since the last fold (``foldEvidence()``).
        var evidence: Int32 = 0
    }

    /// Grown by doubling up to twice the limit, so that probes stay short, and a
    /// process that only searches pays for a few slots.
    private var slots = [Slot](repeating: Slot(), count: 1 << 10)
    private var keys: [UInt8] = []
    /// Each entry's terms, each as a 2-byte length and its bytes.
    private var terms: [UInt8] = []
    private var count = 0

    /// Case evidence of the words dropped with the cache or folded, by own term, only of
    /// the terms seen capitalized (a word never capitalized cannot be a name, and a
    /// run's vocabulary would not stay small).
    private(set) var evidence: [String: CaseCount] = [:]

    /// Calls `body` with each cached term of `word`, in order; `compute` gives the
    /// terms of a word not cached yet. `body` returns false to stop. `counted`: the word
    /// counts as case evidence (``CaseCount``) once more.
    mutating func forEachTerm(of word: UnsafeBufferPointer<UInt8>, counted: Bool = false, compute: () -> [String],
                              _ body: (UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool) -> Bool {
        let hash = FNV1a64.hash(word)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].keyStart >= 0 {
            let slot = slots[index]
            if slot.hash == hash, Int(slot.keyLength) == word.count, equalKey(slot, word) {
                if counted { slots[index].evidence += 1 }
                return replay(start: Int(slot.termsStart), length: Int(slot.termsLength), body)
            }
            index = (index + 1) & mask
        }
        if count >= Self.limit {
            clear()
            return forEachTerm(of: word, counted: counted, compute: compute, body)
        }
        if count * 2 >= slots.count {
            grow()
            return forEachTerm(of: word, counted: counted, compute: compute, body)
        }
        let start = terms.count
        for term in compute() {
            let length = term.utf8.count
            terms.append(UInt8(truncatingIfNeeded: length >> 8))
            terms.append(UInt8(truncatingIfNeeded: length))
            terms.append(contentsOf: term.utf8)
        }
        slots[index] = Slot(hash: hash, keyStart: Int32(keys.count), keyLength: Int32(word.count),
                            termsStart: Int32(start), termsLength: Int32(terms.count - start), evidence: counted ? 1 : 0)
        keys.append(contentsOf: word)
        count += 1
        return replay(start: start, length: terms.count - start, body)
    }

    private func equalKey(_ slot: Slot, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        keys.withUnsafeBufferPointer { stored in
            var offset = Int(slot.keyStart)
            for byte in word {
                if stored[offset] != byte { return false }
                offset += 1
            }
            return true
        }
    }

    private func replay(start: Int, length: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Bool {
        terms.withUnsafeBufferPointer { all in
            var offset = start, index = 0
            let end = start + length
            while offset < end {
                let termLength = Int(all[offset]) << 8 | Int(all[offset + 1])
                let term = UnsafeBufferPointer(rebasing: all[(offset + 2)..<(offset + 2 + termLength)])
                if !body(term, index) { return false }
                offset += 2 + termLength
                index += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.keyStart >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].keyStart >= 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    /// Moves the slots' case evidence into ``evidence``, by each word's own term (its
    /// first), keeping the terms seen capitalized.
    mutating func foldEvidence() {
        var folded: [String: CaseCount] = [:]
        keys.withUnsafeBufferPointer { keyBytes in
            for index in slots.indices where slots[index].keyStart >= 0 && slots[index].evidence > 0 {
                let slot = slots[index]
                slots[index].evidence = 0
                let key = UnsafeBufferPointer(rebasing: keyBytes[Int(slot.keyStart)..<Int(slot.keyStart + slot.keyLength)])
                let count = Int(slot.evidence)
                let seen: CaseCount
                switch WordCase(key) {
                case .capitalized: seen = CaseCount(capitalized: count, lowercase: 0)
                case .lowercase: seen = CaseCount(capitalized: 0, lowercase: count)
                case .other: continue
                }
                guard slot.termsLength > 2 else { continue }
                let start = Int(slot.termsStart)
                let length = Int(terms[start]) << 8 | Int(terms[start + 1])
                let term = String(decoding: terms[(start + 2)..<(start + 2 + length)], as: UTF8.self)
                folded[term, default: CaseCount(capitalized: 0, lowercase: 0)].add(seen)
            }
        }
        for (term, seen) in folded where seen.capitalized > 0 || evidence[term] != nil {
            evidence[term, default: CaseCount(capitalized: 0, lowercase: 0)].add(seen)
        }
    }

    /// The evidence folded so far (``foldEvidence()``), handed over and forgotten.
    mutating func takeEvidence() -> [String: CaseCount] {
        defer { evidence = [:] }
        return evidence
    }

    private mutating func clear() {
        foldEvidence()
        for index in slots.indices { slots[index].keyStart = -1 }
        keys.removeAll(keepingCapacity: true)
        terms.removeAll(keepingCapacity: true)
        count = 0
    }

}
