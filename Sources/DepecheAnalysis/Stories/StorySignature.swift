import DepecheModel

/// A dispatch's MinHash signature: for each of ``hashCount`` hash functions, the least
/// hash among the text's shingles (runs of ``shingleWidth`` consecutive words, by their
/// analysed, folded terms). Two texts agree on a given minimum with a probability equal
/// to the Jaccard similarity of their shingle sets, so the signatures of two versions of
/// one story (a title suffix changed, a figure corrected, a paragraph added) agree on
/// most minima, and those of two stories on one topic on almost none.
///
/// The index groups dispatches into stories with it (docs/RELEVANCE.md, "Story groups"):
/// ``bandKeys`` finds the candidates (locality-sensitive hashing: two signatures share a
/// band when they agree on all its minima), ``similarity(to:)`` confirms them.
///
///     var builder = StorySignature.Builder()
///     for term in ["le", "cacao", "ivoirien", "atteint", "un", "record"] { builder.add(term) }
///     let signature = builder.signature   // nil below minimumShingles
public struct StorySignature: Equatable, Sendable {
    /// Minima kept: the similarity estimated from 64 agrees with the true one within
    /// ±0.06 (one standard deviation at 0.5), enough to set a threshold between versions
    /// of a story and stories on one topic, which the corpus puts far apart.
    public static let hashCount = 64
    /// Words per shingle: three make a shingle particular to a text (one or two words
    /// are shared by every story on a topic) while a corrected figure changes only the
    /// three shingles around it.
    public static let shingleWidth = 3
    /// Below this many shingles a text is a one-line brief: too short to tell a story
    /// from a stock phrase, it is never grouped.
    public static let minimumShingles = 12
    /// Bands of ``rowsPerBand`` minima: two signatures are candidates when they agree on
    /// one band. 16 bands of 2 find a pair of similarity 0.35 (the lowest that groups)
    /// 88 times in 100, of 0.45 97 in 100, of 0.1 15 in 100 (each candidate is then
    /// confirmed); each band costs an index entry per dispatch and a lookup per new one.
    public static let bands = 16
    public static let rowsPerBand = 2

    /// The least hash of each function, ``hashCount`` of them.
    public let minima: [UInt32]
    /// The text's shingles (repeats counted).
    public let shingles: Int

    public init(minima: [UInt32], shingles: Int) {
        precondition(minima.count == Self.hashCount)
        self.minima = minima
        self.shingles = shingles
    }

    /// Builds a signature from a text's terms, one at a time (the first term at each
    /// word position: the folded form, not the colocated stems).
    public struct Builder {
        /// The minima, 16 hash functions to a vector, in four vectors held inline (not an
        /// array: no bounds or uniqueness check per shingle): the shingle is hashed by
        /// all 64 in a few vector instructions.
        private var minima0 = Lanes(repeating: .max), minima1 = Lanes(repeating: .max)
        private var minima2 = Lanes(repeating: .max), minima3 = Lanes(repeating: .max)
        private var recent: (UInt64, UInt64) = (0, 0)
        private var terms = 0

        typealias Lanes = SIMD16<UInt32>

        public init() {}

        public mutating func add(_ term: UnsafeBufferPointer<UInt8>) {
            let hash = FNV1a64.hash(term)
            terms += 1
            defer { recent = (recent.1, hash) }
            guard terms >= StorySignature.shingleWidth else { return }
            // The shingle (recent.0, recent.1, hash) as one 64-bit value; the rotations
            // make the order of its words count.
            let shingle = StorySignature.mix(recent.0 ^ Self.rotate(recent.1, 21) ^ Self.rotate(hash, 42))
            // Multilinear hashing of the shingle's halves, a·low + b·high + c (mod 2³²),
            // one function per lane: universal, and vector multiplications.
            let low = Lanes(repeating: UInt32(truncatingIfNeeded: shingle))
            let high = Lanes(repeating: UInt32(truncatingIfNeeded: shingle >> 32))
            let c = Self.coefficients
            Self.keepLeast(&minima0, low &* c.a0 &+ high &* c.b0 &+ c.c0)
            Self.keepLeast(&minima1, low &* c.a1 &+ high &* c.b1 &+ c.c1)
            Self.keepLeast(&minima2, low &* c.a2 &+ high &* c.b2 &+ c.c2)
            Self.keepLeast(&minima3, low &* c.a3 &+ high &* c.b3 &+ c.c3)
        }

        @inline(__always)
        private static func keepLeast(_ minima: inout Lanes, _ hashes: Lanes) {
            minima.replace(with: hashes, where: hashes .< minima)
        }

        public mutating func add(_ term: String) {
            var term = term
            term.withUTF8 { add($0) }
        }

        /// The signature, or nil for a text of fewer than ``StorySignature/minimumShingles`` shingles.
        public var signature: StorySignature? {
            let shingles = terms - StorySignature.shingleWidth + 1
            guard shingles >= StorySignature.minimumShingles else { return nil }
            let vectors = [minima0, minima1, minima2, minima3]
            return StorySignature(minima: vectors.flatMap { vector in (0..<Lanes.scalarCount).map { vector[$0] } }, shingles: shingles)
        }

        private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 { (value << bits) | (value >> (64 - bits)) }

        /// The a (odd), b and c of each of the four vectors of functions.
        private struct Coefficients {
            let a0: Lanes, b0: Lanes, c0: Lanes, a1: Lanes, b1: Lanes, c1: Lanes
            let a2: Lanes, b2: Lanes, c2: Lanes, a3: Lanes, b3: Lanes, c3: Lanes
        }

        /// Fixed, so that signatures computed by any run, on any machine, compare: the
        /// a (odd), b and c of each function, from SplitMix64, vector after vector.
        private static let coefficients: Coefficients = {
            precondition(StorySignature.hashCount == 4 * Lanes.scalarCount, "four vectors of functions")
            var state: UInt64 = 0x6465_7065_6368_6531
            func next() -> Lanes {
                var lanes = Lanes()
                for lane in 0..<Lanes.scalarCount {
                    state &+= 0x9e37_79b9_7f4a_7c15
                    lanes[lane] = UInt32(truncatingIfNeeded: StorySignature.mix(state) >> 32)
                }
                return lanes
            }
            let v = (0..<4).map { _ in (next() | 1, next(), next()) }
            return Coefficients(a0: v[0].0, b0: v[0].1, c0: v[0].2, a1: v[1].0, b1: v[1].1, c1: v[1].2,
                                a2: v[2].0, b2: v[2].1, c2: v[2].2, a3: v[3].0, b3: v[3].1, c3: v[3].2)
        }()
    }

    /// The share of minima two signatures agree on: an estimate of the Jaccard similarity
    /// of their shingle sets.
    public func similarity(to other: StorySignature) -> Double {
        var agreeing = 0
        for index in 0..<Self.hashCount where minima[index] == other.minima[index] { agreeing += 1 }
        return Double(agreeing) / Double(Self.hashCount)
    }

    /// An estimate of the share of the shorter text's shingles the other text holds, from
    /// the similarity and both sizes: an update that doubles a story keeps most of the
    /// first version (containment near 1) while sharing only a third of the shingles.
    public func containment(with other: StorySignature) -> Double {
        let similarity = similarity(to: other)
        let shared = similarity / (1 + similarity) * Double(shingles + other.shingles)
        return min(1, shared / Double(max(1, min(shingles, other.shingles))))
    }

    /// The keys of the signature's bands, one per band: equal keys mean (but for a
    /// collision in 2⁶⁴) equal minima in that band.
    public var bandKeys: [Int64] {
        (0..<Self.bands).map { band in Self.bandKey(band) { minima[$0] } }
    }

    /// The key of `band` of the signature stored as ``encoded`` in `raw` (nil for other
    /// bytes), read in place: the index computes every band of a bulk build in SQL.
    public static func bandKey(_ band: Int, encoded raw: UnsafeRawBufferPointer) -> Int64? {
        guard raw.count == 4 * (hashCount + 1), (0..<bands).contains(band) else { return nil }
        return bandKey(band) { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * ($0 + 1), as: UInt32.self)) }
    }

    private static func bandKey(_ band: Int, minimum: (Int) -> UInt32) -> Int64 {
        var key = UInt64(band) &* 0x9e37_79b9_7f4a_7c15
        for row in 0..<rowsPerBand { key = mix(key ^ UInt64(minimum(band * rowsPerBand + row))) }
        return Int64(bitPattern: key)
    }

    /// The signature as stored: the shingle count, then the minima, little-endian 32-bit words.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 * (Self.hashCount + 1))
        for word in [UInt32(clamping: shingles)] + minima {
            withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// The signature stored as ``encoded``; nil for other bytes.
    public init?(encoded raw: UnsafeRawBufferPointer) {
        guard raw.count == 4 * (Self.hashCount + 1) else { return nil }
        let words = (0...Self.hashCount).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
        self.init(minima: Array(words.dropFirst()), shingles: Int(words[0]))
    }

    /// SplitMix64's finalizer: spreads every input bit over the output.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
