import Foundation
import LinkwrightCore
import PostgresNIO

/// Who a refresh token belongs to.
public enum TokenSubject: Sendable, Equatable {
    case user(tenantID: UUID, userID: UUID)
    case `operator`(UUID)
}

/// Rotating refresh tokens with reuse detection (OAuth 2.0 Security BCP §4.14).
///
/// Each rotation marks the presented token used and issues a successor in the same family.
/// A used token presented again means it was copied: the whole family is revoked, so both the
/// thief and the victim must sign in again.
public struct RefreshTokenRepository: Sendable {
    public enum Rotation: Sendable, Equatable {
        case rotated(TokenSubject, OpaqueToken)
        /// An already-rotated token: the family has just been revoked.
        case reused
        case invalid
    }

    let database: Database
    public let lifetime: Duration

    public init(database: Database, lifetime: Duration = .seconds(30 * 24 * 3600)) {
        self.database = database
        self.lifetime = lifetime
    }

    /// Starts a new family (a new sign-in) and returns its first token.
    public func issue(for subject: TokenSubject) async throws -> OpaqueToken {
        try await database.withSystem { connection in
            try await insert(subject: subject, family: UUID(), on: connection)
        }
    }

    public func rotate(_ presented: OpaqueToken) async throws -> Rotation {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                SELECT family_id, tenant_id, subject_kind, subject_id, secret_hash,
                       used_at IS NOT NULL, revoked_at IS NOT NULL OR expires_at <= now()
                FROM refresh_tokens WHERE id = \(presented.id) FOR UPDATE
                """, logger: database.logger)
            var found: (UUID, UUID?, String, UUID, [UInt8], Bool, Bool)?
            for try await (family, tenant, kind, subjectID, hash, used, dead) in rows.decode(
                (UUID, UUID?, String, UUID, ByteBuffer, Bool, Bool).self
            ) {
                found = (family, tenant, kind, subjectID, Array(buffer: hash), used, dead)
            }
            // A wrong secret for a real id is a guess, not a stolen token: refuse without revoking.
            guard let row = found, constantTimeEquals(row.4, presented.secretHash), !row.6 else { return .invalid }
            if row.5 {
                try await revokeFamily(row.0, on: connection)
                return .reused
            }
            let subject: TokenSubject = row.2 == "operator" ? .operator(row.3) : .user(tenantID: row.1!, userID: row.3)
            try await connection.query(
                "UPDATE refresh_tokens SET used_at = now() WHERE id = \(presented.id)", logger: database.logger)
            let next = try await insert(subject: subject, family: row.0, on: connection)
            return .rotated(subject, next)
        }
    }

    /// Ends the sign-in the token belongs to. Unknown tokens are ignored: logout is idempotent.
    public func revokeFamily(of presented: OpaqueToken) async throws {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                "SELECT family_id, secret_hash FROM refresh_tokens WHERE id = \(presented.id)", logger: database.logger)
            for try await (family, hash) in rows.decode((UUID, ByteBuffer).self)
            where constantTimeEquals(Array(buffer: hash), presented.secretHash) {
                try await revokeFamily(family, on: connection)
            }
        }
    }

    /// Ends every sign-in of a subject, e.g. when the user is removed.
    public func revokeAll(subjectID: UUID) async throws {
        try await database.withSystem { connection in
            try await connection.query(
                """
                UPDATE refresh_tokens SET revoked_at = now() WHERE subject_id = \(subjectID) AND revoked_at IS NULL
                """, logger: database.logger)
        }
    }

    private func revokeFamily(_ family: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = \(family) AND revoked_at IS NULL
            """, logger: database.logger)
    }

    private func insert(subject: TokenSubject, family: UUID, on connection: PostgresConnection) async throws -> OpaqueToken {
        let token = OpaqueToken.generate()
        let (tenantID, kind, subjectID): (UUID?, String, UUID) =
            switch subject {
            case .user(let tenantID, let userID): (tenantID, "user", userID)
            case .operator(let id): (nil, "operator", id)
            }
        let seconds = Int(lifetime.components.seconds)
        try await connection.query(
            """
            INSERT INTO refresh_tokens (id, family_id, tenant_id, subject_kind, subject_id, secret_hash, expires_at)
            VALUES (\(token.id), \(family), \(tenantID), \(kind), \(subjectID), \(ByteBuffer(bytes: token.secretHash)),
                    now() + \(seconds) * interval '1 second')
            """, logger: database.logger)
        return token
    }
}
