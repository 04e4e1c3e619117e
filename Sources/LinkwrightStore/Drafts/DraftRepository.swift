import Foundation
import LinkwrightCore
import PostgresNIO

public enum DraftState: String, Sendable, CaseIterable, Codable {
    case generating, ready, approved, rejected, regenerating, published, failed
}

/// A draft as the API shows it.
public struct DraftRecord: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public let campaignID: UUID
    public let slotKey: String
    public let engine: String
    public let kind: String
    public let state: DraftState
    public let version: Int
    public let anchor: String
    public let body: String
    public let provider: String?
    public let model: String?
    public let checks: [DraftCheck]
    public let passed: Bool
    public let flagged: Bool
    public let similarity: Double?
    public let notes: String?
    public let rejectReason: String?
    public let decidedBy: UUID?
    public let decidedAt: Date?
    public let createdAt: Date
    public let updatedAt: Date
    let createdMicros: Int64
}

/// One earlier version of a draft, kept for comparison.
public struct DraftVersion: Sendable, Equatable {
    public let version: Int
    public let body: String
    public let checks: [DraftCheck]
    public let provider: String?
    public let notes: String?
    public let createdAt: Date
}

/// Drafts of the tenant's campaigns: listed per campaign, read with their versions, and looked
/// up by similarity for the content engine's originality check.
public struct DraftRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns = """
        tenant_id, id, campaign_id, slot_key, engine, kind, state, version, anchor, body, provider, model, checks::text, passed, flagged,
        similarity::float8, notes, reject_reason, decided_by, decided_at, created_at, updated_at, (extract(epoch FROM created_at) * 1000000)::bigint
        """
    typealias Row = (
        UUID, UUID, UUID, String, String, String, String, Int, String, String, String?, String?, String, Bool, Bool, Double?, String?,
        String?, UUID?, Date?, Date, Date, Int64
    )

    public func list(tenantID: UUID, campaignID: UUID, state: DraftState?, limit: Int, after cursor: PageCursor?) async throws -> Page<DraftRecord> {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM drafts
                WHERE campaign_id = \(campaignID) AND (\(state == nil) OR state = \(state?.rawValue ?? ""))
                  AND (\(cursor == nil) OR (created_at, id) > (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID())))
                ORDER BY created_at, id LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [DraftRecord] = []
            for try await row in rows.decode(Row.self) { fetched.append(Self.record(row)) }
            return Page(fetched: fetched, limit: limit) { PageCursor(micros: $0.createdMicros, id: $0.id) }
        }
    }

    /// The draft and its earlier versions, newest first; nil when it is not the tenant's.
    /// Where published drafts' links are now, by draft: the page and the placement's state, the
    /// end of each slot's journey.
    public func placements(tenantID: UUID, draftIDs: [UUID]) async throws -> [UUID: (id: UUID, sourceURL: String, state: String)] {
        guard !draftIDs.isEmpty else { return [:] }
        return try await database.withTenant(tenantID) { connection in
            var found: [UUID: (id: UUID, sourceURL: String, state: String)] = [:]
            for try await (draft, id, source, state) in try await connection.query(
                "SELECT draft_id, id, source_url, state FROM placements WHERE draft_id = ANY(\(draftIDs))", logger: database.logger
            ).decode((UUID, UUID, String, String).self) {
                found[draft] = (id, source, state)
            }
            return found
        }
    }

    /// For the publishing engines: the platform refused an approved draft. It is `ready` for
    /// review again with the platform's message in its notes (what a rewrite is asked to
    /// address), and the publishing task giving up frees the slot's key, which it is renamed
    /// from, so the next approval can publish the slot.
    public func sendBack(tenantID: UUID, draftID: UUID, publishingTaskID: Int64, reason: String) async throws {
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                """
                UPDATE drafts SET state = 'ready', notes = \(String(reason.prefix(2000))), decided_by = NULL, decided_at = NULL, updated_at = now()
                WHERE id = \(draftID) AND state = 'approved'
                """, logger: database.logger)
            try await connection.query(
                """
                UPDATE tasks SET idempotency_key = left(idempotency_key, 250) || ':refused:' || id, updated_at = now()
                WHERE id = \(publishingTaskID) AND state = 'running'
                """, logger: database.logger)
        }
    }

    /// For the publishing engines: an approved draft's body and its campaign's name.
    public func approved(tenantID: UUID, id: UUID) async throws -> (body: String, topic: String)? {
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                "SELECT d.body, c.name FROM drafts d JOIN campaigns c ON c.id = d.campaign_id WHERE d.id = \(id) AND d.state = 'approved'",
                logger: database.logger
            ).decode((String, String).self).first { _ in true }.map { (body: $0.0, topic: $0.1) }
        }
    }

    public func find(tenantID: UUID, id: UUID) async throws -> (DraftRecord, [DraftVersion])? {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query("SELECT \(unescaped: Self.columns) FROM drafts WHERE id = \(id)", logger: database.logger)
            guard let row = try await rows.decode(Row.self).first(where: { _ in true }) else { return nil }
            let draft = Self.record(row)
            let versionRows = try await connection.query(
                """
                SELECT version, body, checks::text, provider, notes, created_at FROM draft_versions
                WHERE draft_id = \(id) AND version < \(draft.version) ORDER BY version DESC
                """, logger: database.logger)
            var versions: [DraftVersion] = []
            for try await v in versionRows.decode((Int, String, String, String?, String?, Date).self) {
                versions.append(DraftVersion(version: v.0, body: v.1, checks: Self.checks(v.2), provider: v.3, notes: v.4, createdAt: v.5))
            }
            return (draft, versions)
        }
    }

    /// Drafts per state for one campaign, for its page and the metrics.
    public func counts(tenantID: UUID, campaignID: UUID) async throws -> [String: Int] {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                "SELECT state, count(*)::int FROM drafts WHERE campaign_id = \(campaignID) GROUP BY state", logger: database.logger)
            var counts: [String: Int] = [:]
            for try await (state, count) in rows.decode((String, Int).self) { counts[state] = count }
            return counts
        }
    }

    /// Candidates share a band key with `signature` (an index lookup), the ones sharing most
    /// first; each is compared in full and the closest returned with its text.
    ///
    /// Each band key contributes at most `perKey` candidates: a key thousands of drafts share
    /// (common phrasing) says little about any of them, and aggregating every match made one
    /// check cost 135 ms against 20,000 template drafts. A true near-duplicate shares several
    /// bands (about six at similarity 0.3), so a cap on the common keys still finds it through
    /// its rarer ones. Only the closest draft's text is read.
    public func closest(
        tenantID: UUID, excludingSlot slotKey: String, signature: MinHashSignature, candidates: Int = 200, perKey: Int = 100
    ) async throws -> (similarity: Double, text: String)? {
        let keys = signature.bandKeys
        return try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT d.id, d.minhash FROM drafts d
                JOIN (SELECT m.draft_id, count(*) AS shared
                      FROM unnest(\(Array(Int16(0)..<Int16(keys.count))), \(keys)) AS k(band, key)
                      CROSS JOIN LATERAL (SELECT b.draft_id FROM draft_bands b WHERE b.tenant_id = \(tenantID) AND b.band = k.band AND b.key = k.key
                                          LIMIT \(perKey)) m
                      GROUP BY m.draft_id ORDER BY shared DESC LIMIT \(candidates)) c ON c.draft_id = d.id
                WHERE d.slot_key <> \(slotKey) AND d.minhash IS NOT NULL
                """, logger: database.logger)
            var best: (similarity: Double, id: UUID)?
            for try await (id, minhash) in rows.decode((UUID, [Int64]).self) {
                let similarity = signature.similarity(to: MinHashSignature(values: minhash.map { UInt64(bitPattern: $0) }))
                if similarity > (best?.similarity ?? -1) { best = (similarity, id) }
            }
            guard let best else { return nil }
            let text = try await connection.query("SELECT body FROM drafts WHERE id = \(best.id)", logger: database.logger)
                .decode(String.self).first { _ in true }
            return text.map { (similarity: best.similarity, text: $0) }
        }
    }

    static func checks(_ json: String) -> [DraftCheck] {
        (try? JSONDecoder().decode([DraftCheck].self, from: Data(json.utf8))) ?? []
    }

    static func record(_ r: Row) -> DraftRecord {
        DraftRecord(
            tenantID: r.0, id: r.1, campaignID: r.2, slotKey: r.3, engine: r.4, kind: r.5, state: DraftState(rawValue: r.6) ?? .failed,
            version: r.7, anchor: r.8, body: r.9, provider: r.10, model: r.11, checks: checks(r.12), passed: r.13, flagged: r.14,
            similarity: r.15, notes: r.16, rejectReason: r.17, decidedBy: r.18, decidedAt: r.19, createdAt: r.20, updatedAt: r.21,
            createdMicros: r.22)
    }
}
