import Crypto
import Foundation
import LinkwrightCore

/// Download links for export files that need no sign-in: the tenant, the export and the expiry,
/// signed with HMAC-SHA256 under a key derived from the server's secret. Nothing in a link can be
/// guessed or changed: another export, another tenant or a later expiry breaks the signature.
public struct ExportLinks: Sendable {
    let key: SymmetricKey

    /// The key is the server's JWT secret put through HKDF for this one use, so a signed link can
    /// never pass for a token or the reverse.
    public init(secret: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("linkwright export download links".utf8), outputByteCount: 32)
    }

    public enum Refusal: Error, Equatable {
        case invalid
        case expired
    }

    public func token(tenantID: UUID, exportID: UUID, expires: Date) -> String {
        let claim = "\(tenantID.uuidString.lowercased()):\(exportID.uuidString.lowercased()):\(Int64(expires.timeIntervalSince1970))"
        let signature = HMAC<SHA256>.authenticationCode(for: Data(claim.utf8), using: key)
        return Base64URL.encode(Array(claim.utf8)) + "." + Base64URL.encode(Array(signature))
    }

    public func verify(_ token: String, now: Date = Date()) throws(Refusal) -> (tenantID: UUID, exportID: UUID) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, token.utf8.count <= 300, let claim = Base64URL.decode(String(parts[0])),
            let signature = Base64URL.decode(String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(claim), using: key)
        else { throw .invalid }
        let fields = String(decoding: claim, as: UTF8.self).split(separator: ":")
        guard fields.count == 3, let tenant = UUID(uuidString: String(fields[0])), let export = UUID(uuidString: String(fields[1])),
            let expires = Int64(fields[2])
        else { throw .invalid }
        guard Double(expires) > now.timeIntervalSince1970 else { throw .expired }
        return (tenant, export)
    }
}
