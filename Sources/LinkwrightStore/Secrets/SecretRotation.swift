import Foundation
import LinkwrightCore
import PostgresNIO

/// Re-seals every connection secret that is not under the current key, a batch at a time, each
/// batch in its own short transaction (rows being edited are skipped and picked up on a later
/// pass), so servers keep running throughout. Safe to run again: rows already under the
/// current key are not touched.
public struct SecretRotation: Sendable {
    let database: Database
    let secrets: SecretKeys

    public init(database: Database, secrets: SecretKeys) {
        self.database = database
        self.secrets = secrets
    }

    /// Secrets still sealed under another key than the current one.
    public func remaining() async throws -> Int {
        let current = secrets.forSealing().current.id
        return try await database.withSystem { connection in
            let rows = try await connection.query(
                "SELECT count(*)::int FROM connections WHERE secret_key_id IS NOT NULL AND secret_key_id <> \(current)",
                logger: database.logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// Re-seals until none remain; `progress(done, total)` after every batch. Returns how many.
    @discardableResult
    public func resealAll(batchSize: Int = 200, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let total = try await remaining()
        var done = 0
        while true {
            let count = try await resealBatch(batchSize)
            done += count
            if count > 0 {
                progress(done, max(total, done))
                continue
            }
            // Nothing this pass: either finished, or the rest is locked by someone editing it.
            guard try await remaining() > 0 else { return done }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func resealBatch(_ size: Int) async throws -> Int {
        let keyring = secrets.forSealing()
        return try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                SELECT tenant_id, id, secret_key_id, secret_sealed FROM connections
                WHERE secret_key_id IS NOT NULL AND secret_key_id <> \(keyring.current.id)
                ORDER BY tenant_id, id LIMIT \(size) FOR UPDATE SKIP LOCKED
                """, logger: database.logger)
            var found: [(UUID, UUID, String, ByteBuffer)] = []
            for try await row in rows.decode((UUID, UUID, String, ByteBuffer).self) { found.append(row) }
            for (tenantID, id, keyID, bytes) in found {
                let context = SecretKeyring.context(tenantID: tenantID, connectionID: id)
                let secret = try secrets.open(SecretKeyring.Sealed(keyID: keyID, bytes: Array(bytes.readableBytesView)), boundTo: context)
                let sealed = try keyring.seal(secret, boundTo: context)
                try await connection.query(
                    """
                    UPDATE connections SET secret_key_id = \(sealed.keyID), secret_sealed = \(ByteBuffer(bytes: sealed.bytes))
                    WHERE tenant_id = \(tenantID) AND id = \(id)
                    """, logger: database.logger)
            }
            return found.count
        }
    }
}
