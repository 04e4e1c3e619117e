import Crypto
import Foundation

/// The AES-256-GCM keys connection secrets are sealed with: the current one seals, every one
/// opens. A key's id is derived from the key itself (the first 8 bytes of its SHA-256, in hex),
/// so rows name their key without any register of ids to keep in step, and a wrong key is
/// recognised before it is tried.
///
/// A sealed secret is bound to the row it belongs to through the additional authenticated data
/// (the tenant and connection ids): a ciphertext copied onto another row does not open.
public struct SecretKeyring: Sendable {
    public struct Key: Sendable {
        public let id: String
        let key: SymmetricKey

        /// A key from its base64 text (32 bytes); nil when the text is not that.
        public init?(base64: String) {
            guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else { return nil }
            self.init(bytes: data)
        }

        init(bytes: Data) {
            key = SymmetricKey(data: bytes)
            id = SHA256.hash(data: bytes).prefix(8).map { String(format: "%02x", $0) }.joined()
        }

        public static func generate() -> Key { Key(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }) }

        public var base64: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }
    }

    public struct Sealed: Sendable, Equatable {
        public let keyID: String
        /// Nonce, ciphertext and tag (AES-GCM's combined form).
        public let bytes: [UInt8]

        public init(keyID: String, bytes: [UInt8]) {
            self.keyID = keyID
            self.bytes = bytes
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// No key of the keyring has this id: the key it was sealed with is not configured.
        case unknownKey(String)
        /// The key is right but the bytes do not open: tampered with, or moved to another row.
        case corrupt

        public var description: String {
            switch self {
            case .unknownKey(let id): "the secret was sealed with key \(id), which is not configured"
            case .corrupt: "the sealed secret does not open with its key"
            }
        }
    }

    /// The key new secrets are sealed with.
    public let current: Key
    let byID: [String: Key]

    /// `keys` in order of preference: the first is current, the rest only open.
    public init?(_ keys: [Key]) {
        guard let first = keys.first else { return nil }
        current = first
        byID = Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var keyIDs: [String] { [current.id] + byID.keys.filter { $0 != current.id }.sorted() }

    public func seal(_ plaintext: String, boundTo context: [UInt8]) throws -> Sealed {
        let box = try AES.GCM.seal(Array(plaintext.utf8), using: current.key, authenticating: context)
        guard let combined = box.combined else { throw Failure.corrupt }  // only for non-standard nonce sizes
        return Sealed(keyID: current.id, bytes: Array(combined))
    }

    public func open(_ sealed: Sealed, boundTo context: [UInt8]) throws -> String {
        guard let key = byID[sealed.keyID] else { throw Failure.unknownKey(sealed.keyID) }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.bytes)
            let plaintext = try AES.GCM.open(box, using: key.key, authenticating: context)
            return String(decoding: plaintext, as: UTF8.self)
        } catch {
            throw Failure.corrupt
        }
    }

    /// What binds a connection's secret to its row.
    public static func context(tenantID: UUID, connectionID: UUID) -> [UInt8] {
        Array("connection:\(tenantID.uuidString.lowercased()):\(connectionID.uuidString.lowercased())".utf8)
    }
}
