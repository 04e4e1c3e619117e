import Crypto

/// Tenant API keys: `lw_` + 32 random base62 characters (≈ 190 bits) + a 6-character base62
/// CRC32 checksum of the random part.
///
/// The checksum lets a mistyped or truncated key be refused without a database lookup, and lets
/// secret scanners recognise leaked keys. Only the SHA-256 of the whole key is stored: with this
/// much entropy a slow hash adds nothing, and lookups stay a single index probe.
public struct APIKeyToken: Sendable, Hashable {
    public static let scheme = "lw_"
    static let randomLength = 32
    static let checksumLength = 6
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    public let value: String

    /// A new random key.
    public static func generate() -> APIKeyToken {
        var rng = SystemRandomNumberGenerator()
        let random = (0..<randomLength).map { _ in alphabet[Int(rng.next(upperBound: UInt(alphabet.count)))] }
        let body = String(decoding: random, as: UTF8.self)
        return APIKeyToken(uncheckedValue: scheme + body + checksum(of: body))
    }

    /// Parses a presented key, refusing anything with the wrong shape or checksum.
    public init?(_ presented: String) {
        let expected = Self.scheme.utf8.count + Self.randomLength + Self.checksumLength
        guard presented.utf8.count == expected, presented.hasPrefix(Self.scheme) else { return nil }
        let rest = presented.utf8.dropFirst(Self.scheme.utf8.count)
        guard rest.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        let body = String(decoding: rest.prefix(Self.randomLength), as: UTF8.self)
        let sum = String(decoding: rest.suffix(Self.checksumLength), as: UTF8.self)
        guard Self.checksum(of: body) == sum else { return nil }
        self.value = presented
    }

    private init(uncheckedValue: String) { self.value = uncheckedValue }

    /// What lists show so a person can tell keys apart: the scheme and first 8 random characters.
    public var displayPrefix: String { String(value.prefix(Self.scheme.count + 8)) }

    /// The stored form of the key.
    public var hash: [UInt8] { Array(SHA256.hash(data: Array(value.utf8))) }

    static func checksum(of body: String) -> String {
        var crc = CRC32.checksum(Array(body.utf8))
        var digits = [UInt8](repeating: alphabet[0], count: checksumLength)
        for i in stride(from: checksumLength - 1, through: 0, by: -1) {
            digits[i] = alphabet[Int(crc % 62)]
            crc /= 62
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

/// CRC-32 (IEEE 802.3), for key checksums only.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
