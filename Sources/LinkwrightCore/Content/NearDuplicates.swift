/// Near-duplicate detection by MinHash over word shingles: a draft's signature is 128 minimum
/// hashes of its 3-word shingles, and the share of equal positions between two signatures
/// estimates the Jaccard similarity of their shingle sets (±0.05 or so at 128). Signatures are
/// stored with the drafts, so comparing a new draft with a tenant's earlier ones never reads
/// their text; the 64 band keys (2 positions each) find the candidates worth comparing by an
/// index lookup instead of a scan (locality-sensitive hashing).
public struct MinHashSignature: Sendable, Equatable {
    public static let size = 128
    public static let bands = 64
    public static let shingleWords = 3

    public let values: [UInt64]

    public init(values: [UInt64]) { self.values = values }

    public init(text: String) {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        var shingles: Set<UInt64> = []
        if words.count < Self.shingleWords {
            if !words.isEmpty { shingles.insert(Self.fnv1a(words.joined(separator: " "))) }
        } else {
            for i in 0...(words.count - Self.shingleWords) {
                shingles.insert(Self.fnv1a(words[i..<(i + Self.shingleWords)].joined(separator: " ")))
            }
        }
        var minimums = [UInt64](repeating: .max, count: Self.size)
        for shingle in shingles {
            for i in 0..<Self.size {
                let hashed = Self.mix(shingle ^ Self.seeds[i])
                if hashed < minimums[i] { minimums[i] = hashed }
            }
        }
        values = minimums
    }

    /// Estimated Jaccard similarity with `other`, 0 to 1.
    public func similarity(to other: MinHashSignature) -> Double {
        guard values.count == other.values.count, !values.isEmpty else { return 0 }
        var equal = 0
        for i in values.indices where values[i] == other.values[i] { equal += 1 }
        return Double(equal) / Double(values.count)
    }

    /// One key per band: two drafts sharing any band key are candidates. A pair at similarity 0.3
    /// shares at least one of 64 bands of 2 with probability 1 − (1 − 0.3²)⁶⁴ ≈ 0.998, a pair at
    /// 0.05 with 0.15, unrelated texts almost never; candidates are then compared in full, and
    /// the full comparison decides.
    public var bandKeys: [Int64] {
        let rows = Self.size / Self.bands
        return (0..<Self.bands).map { band in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 &+ UInt64(band)
            for value in values[(band * rows)..<((band + 1) * rows)] { hash = Self.mix(hash ^ value) }
            return Int64(bitPattern: hash)
        }
    }

    static let seeds: [UInt64] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<size).map { _ in
            state = mix(state &+ 0x9E37_79B9_7F4A_7C15)
            return state
        }
    }()

    /// SplitMix64's finaliser: a fast, well-mixed permutation of 64 bits.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a, 64 bits: a stable hash of text (also what seeds a slot's offline writer).
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0100_0000_01b3
        }
        return hash
    }
}
