/// FNV-1a hashes, 64 and 128 bits: deterministic across runs and platforms (Swift's
/// Hasher is not), need no seed, and cost a multiply a byte. Inlinable: the analyzer
/// hashes every word and the index every file with them, byte by byte.
public enum FNV1a64 {
    /// The hash of `bytes` (a word, a term: short keys).
    @inlinable
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}

/// 128-bit FNV-1a, wide enough that distinct stories (content hashes) and files do not
/// collide in practice.
public struct FNV1a128 {
    @usableFromInline var high: UInt64 = 0x6C62_272E_07BB_0142
    @usableFromInline var low: UInt64 = 0x62B8_2175_6295_C58D

    public init() {}

    @inlinable
    public mutating func add(_ byte: UInt8) {
        low ^= UInt64(byte)
        // Multiply by the 128-bit FNV prime 2^88 + 0x13B.
        let (productHigh, productLow) = low.multipliedFullWidth(by: 0x13B)
        let newHigh = productHigh &+ high &* 0x13B &+ (low << 24)
        high = newHigh
        low = productLow
    }

    public var hexDigest: String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(high) + hex(low)
    }
}
