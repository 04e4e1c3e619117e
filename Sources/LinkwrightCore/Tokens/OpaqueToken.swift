import Crypto
import Foundation

/// Refresh tokens: `<uuid>.<secret>`. The id finds the row; only the SHA-256 of the 256-bit
/// secret is stored, so a database leak does not hand out sessions.
public struct OpaqueToken: Sendable, Hashable {
    public let id: UUID
    public let secret: String

    public static func generate() -> OpaqueToken {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return OpaqueToken(id: UUID(), secret: Base64URL.encode(bytes))
    }

    public init(id: UUID, secret: String) {
        self.id = id
        self.secret = secret
    }

    public init?(_ presented: String) {
        let parts = presented.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), parts[1].utf8.count == 43 else { return nil }
        self.init(id: id, secret: String(parts[1]))
    }

    public var value: String { "\(id.uuidString.lowercased()).\(secret)" }
    public var secretHash: [UInt8] { Array(SHA256.hash(data: Array(secret.utf8))) }
}

/// Constant-time comparison of two digests, so timing does not reveal how many bytes matched.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for i in a.indices { diff |= a[i] ^ b[i] }
    return diff == 0
}

public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map(Array.init)
    }
}
