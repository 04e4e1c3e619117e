import Foundation
import LinkwrightCore
import PostgresNIO

public enum ReviewDecision: String, Sendable, CaseIterable, Codable {
    case pending, approved, rejected
    case needsRegeneration = "needs_regeneration"
}

/// A draft as it stood when a reviewer looked at it.
public struct DraftSnapshot: Sendable, Equatable, Codable {
    public let version: Int
    public let body: String
    public let checks: [DraftCheck]
    public let kind: String
    public let engine: String
    public let anchor: String
    public let passed: Bool
    public let flagged: Bool
    public let similarity: Double?
}

public struct ReviewItemRecord: Sendable, Equatable {
    public let id: UUID
    public let draftID: UUID
    public let position: Int
    public let snapshot: DraftSnapshot
    public let previous: DraftSnapshot?
    public let decision: ReviewDecision
    public let notes: String?
    public let decidedBy: UUID?
    public let decidedAt: Date?
}

public struct ReviewBatchRecord: Sendable, Equatable {
    public let id: UUID
    public let campaignID: UUID?
    public let createdBy: UUID?
    public let createdAt: Date
    public let completedAt: Date?
    public let approved: Int
    public let rejected: Int
    /// Undecided, and sent back and not yet rewritten.
    public let pending: Int
    /// Nil in lists; every item, in order, when one batch is read.
    public let items: [ReviewItemRecord]?
    let createdMicros: Int64
}

public enum ReviewError: Error, Equatable, Sendable {
    /// The campaign has no ready draft outside another batch.
    case nothingToReview
    /// A draft named is not the tenant's, not ready, or already waits in another batch.
    case draftUnavailable(UUID, String)
    case tooManyDrafts
    /// The item was decided already (its decision given).
    case alreadyDecided(ReviewDecision)
    case notesRequired
}

/// Review batches: made from a campaign's ready drafts or from chosen ones, decided item by item.
/// Every decision is a transaction that also moves the draft: an approval enqueues the slot's
/// publishing task, a send-back enqueues the next version's content task with the notes.
public struct ReviewRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public static let batchLimit = 175

    static let snapshotSQL = """
        jsonb_build_object('version', d.version, 'body', d.body, 'checks', d.checks, 'kind', d.kind, 'engine', d.engine,
                           'anchor', d.anchor, 'passed', d.passed, 'flagged', d.flagged, 'similarity', d.similarity)
        """

    public func create(tenantID: UUID, campaignID: UUID?, draftIDs: [UUID]?, createdBy: UUID?) async throws -> ReviewBatchRecord {
        try await database.withTenant(tenantID) { connection in
            var chosen: [UUID] = []
            if let draftIDs {
                guard draftIDs.count <= Self.batchLimit else { throw ReviewError.tooManyDrafts }
                let rows = try await connection.query(
                    """
                    SELECT d.id, d.state, EXISTS (SELECT 1 FROM review_items i WHERE i.draft_id = d.id AND i.decision IN ('pending', 'needs_regeneration'))
                    FROM drafts d WHERE d.id = ANY(\(draftIDs)) FOR UPDATE
                    """, logger: database.logger)
                var found: [UUID: (String, Bool)] = [:]
                for try await (id, state, waiting) in rows.decode((UUID, String, Bool).self) { found[id] = (state, waiting) }
                for id in draftIDs {
                    guard let (state, waiting) = found[id] else { throw ReviewError.draftUnavailable(id, "is not a draft of this account") }
                    guard state == "ready" else { throw ReviewError.draftUnavailable(id, "is \(state), not ready for review") }
                    guard !waiting else { throw ReviewError.draftUnavailable(id, "already waits in another batch") }
                    if !chosen.contains(id) { chosen.append(id) }
                }
            } else if let campaignID {
                let exists = try await connection.query("SELECT 1 FROM campaigns WHERE id = \(campaignID)", logger: database.logger)
                guard try await exists.decode(Int.self).first(where: { _ in true }) != nil else { throw StoreError.notFound }
                let rows = try await connection.query(
                    """
                    SELECT d.id FROM drafts d
                    WHERE d.campaign_id = \(campaignID) AND d.state = 'ready'
                      AND NOT EXISTS (SELECT 1 FROM review_items i WHERE i.draft_id = d.id AND i.decision IN ('pending', 'needs_regeneration'))
                    ORDER BY d.created_at, d.id LIMIT \(Self.batchLimit) FOR UPDATE OF d
                    """, logger: database.logger)
                for try await id in rows.decode(UUID.self) { chosen.append(id) }
            }
            guard !chosen.isEmpty else { throw ReviewError.nothingToReview }
            let batchID = UUID()
            try await connection.query(
                "INSERT INTO review_batches (tenant_id, id, campaign_id, created_by) VALUES (\(tenantID), \(batchID), \(campaignID), \(createdBy))",
                logger: database.logger)
            try await connection.query(
                """
                INSERT INTO review_items (tenant_id, batch_id, id, draft_id, position, snapshot)
                SELECT \(tenantID), \(batchID), gen_random_uuid(), d.id, o.position, \(unescaped: Self.snapshotSQL)
                FROM unnest(\(chosen)::uuid[]) WITH ORDINALITY AS o(draft_id, position) JOIN drafts d ON d.id = o.draft_id
                """, logger: database.logger)
            guard let batch = try await Self.batch(batchID, on: connection, logger: database.logger) else { throw StoreError.notFound }
            return batch
        }
    }

    public func find(tenantID: UUID, id: UUID) async throws -> ReviewBatchRecord? {
        try await database.withTenant(tenantID) { connection in try await Self.batch(id, on: connection, logger: database.logger) }
    }

    public func list(tenantID: UUID, limit: Int, after cursor: PageCursor?) async throws -> Page<ReviewBatchRecord> {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.batchColumns) FROM review_batches b
                WHERE (\(cursor == nil) OR (b.created_at, b.id) < (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID())))
                ORDER BY b.created_at DESC, b.id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [ReviewBatchRecord] = []
            for try await row in rows.decode(BatchRow.self) { fetched.append(Self.batchRecord(row, items: nil)) }
            return Page(fetched: fetched, limit: limit) { PageCursor(micros: $0.createdMicros, id: $0.id) }
        }
    }

    /// Decides one item. Nil when the batch or item is not the tenant's.
    public func review(
        tenantID: UUID, batchID: UUID, itemID: UUID, decision: ReviewDecision, notes: String?, reviewer: UUID?
    ) async throws -> ReviewBatchRecord? {
        let trimmed = notes?.trimmingCharacters(in: .whitespacesAndNewlines)
        let notes = trimmed?.isEmpty == false ? trimmed : nil
        if decision == .rejected, notes == nil { throw ReviewError.notesRequired }
        return try await database.withTenant(tenantID) { connection in
            let itemRows = try await connection.query(
                "SELECT draft_id, decision FROM review_items WHERE id = \(itemID) AND batch_id = \(batchID) FOR UPDATE", logger: database.logger)
            guard let (draftID, current) = try await itemRows.decode((UUID, String).self).first(where: { _ in true }) else { return nil }
            guard current == ReviewDecision.pending.rawValue else {
                throw ReviewError.alreadyDecided(ReviewDecision(rawValue: current) ?? .pending)
            }
            let draftRows = try await connection.query(
                """
                SELECT d.slot_key, d.engine, d.anchor, d.version, d.campaign_id, c.priority, c.target_url, c.keywords, c.name, d.page_url
                FROM drafts d JOIN campaigns c ON c.id = d.campaign_id WHERE d.id = \(draftID) FOR UPDATE OF d
                """, logger: database.logger)
            guard
                let draft = try await draftRows.decode((String, String, String, Int, UUID, String, String, [String], String, String?).self)
                    .first(where: { _ in true })
            else { return nil }
            let (slotKey, engine, anchor, version, campaignID, priority, targetURL, keywords, name, pageURL) = draft
            let lane = Lane(CampaignPriority(rawValue: priority) ?? .normal)
            switch decision {
            case .approved:
                try await connection.query(
                    "UPDATE drafts SET state = 'approved', decided_by = \(reviewer), decided_at = now(), updated_at = now() WHERE id = \(draftID)",
                    logger: database.logger)
                try await TaskQueue.insert(
                    [
                        TaskPlanner.publishTask(
                            slotKey: slotKey, engine: engine, draftID: draftID, campaignID: campaignID, lane: lane, targetURL: targetURL,
                            anchor: anchor, pageURL: pageURL)
                    ], tenantID: tenantID, on: connection)
            case .rejected:
                try await connection.query(
                    """
                    UPDATE drafts SET state = 'rejected', reject_reason = \(notes), decided_by = \(reviewer), decided_at = now(), updated_at = now()
                    WHERE id = \(draftID)
                    """, logger: database.logger)
            case .needsRegeneration:
                try await connection.query(
                    "UPDATE drafts SET state = 'regenerating', notes = \(notes), updated_at = now() WHERE id = \(draftID)", logger: database.logger)
                let payload = ContentTaskPayload(
                    campaignID: campaignID.uuidString.lowercased(), slotKey: slotKey, engine: engine, anchor: anchor, targetURL: targetURL,
                    keywords: keywords, topic: name, version: version + 1, notes: notes, pageURL: pageURL)
                try await TaskQueue.insert(
                    [TaskPlanner.contentTask(payload, lane: lane, campaignID: campaignID)], tenantID: tenantID, on: connection)
            case .pending:
                throw ReviewError.alreadyDecided(.pending)
            }
            try await connection.query(
                """
                UPDATE review_items SET decision = \(decision.rawValue), notes = \(notes), decided_by = \(reviewer), decided_at = now()
                WHERE id = \(itemID)
                """, logger: database.logger)
            try await connection.query(
                """
                UPDATE review_batches SET completed_at = now()
                WHERE id = \(batchID) AND NOT EXISTS (
                    SELECT 1 FROM review_items WHERE batch_id = \(batchID) AND decision IN ('pending', 'needs_regeneration'))
                """, logger: database.logger)
            return try await Self.batch(batchID, on: connection, logger: database.logger)
        }
    }

    static let batchColumns = """
        b.id, b.campaign_id, b.created_by, b.created_at, b.completed_at,
        (SELECT count(*)::int FROM review_items i WHERE i.batch_id = b.id AND i.decision = 'approved'),
        (SELECT count(*)::int FROM review_items i WHERE i.batch_id = b.id AND i.decision = 'rejected'),
        (SELECT count(*)::int FROM review_items i WHERE i.batch_id = b.id AND i.decision IN ('pending', 'needs_regeneration')),
        (extract(epoch FROM b.created_at) * 1000000)::bigint
        """
    typealias BatchRow = (UUID, UUID?, UUID?, Date, Date?, Int, Int, Int, Int64)

    static func batch(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ReviewBatchRecord? {
        let rows = try await connection.query("SELECT \(unescaped: batchColumns) FROM review_batches b WHERE b.id = \(id)", logger: logger)
        guard let row = try await rows.decode(BatchRow.self).first(where: { _ in true }) else { return nil }
        let itemRows = try await connection.query(
            """
            SELECT id, draft_id, position, snapshot::text, previous::text, decision, notes, decided_by, decided_at
            FROM review_items WHERE batch_id = \(id) ORDER BY position
            """, logger: logger)
        var items: [ReviewItemRecord] = []
        let decoder = JSONDecoder()
        for try await r in itemRows.decode((UUID, UUID, Int, String, String?, String, String?, UUID?, Date?).self) {
            guard let snapshot = try? decoder.decode(DraftSnapshot.self, from: Data(r.3.utf8)) else { continue }
            items.append(
                ReviewItemRecord(
                    id: r.0, draftID: r.1, position: r.2, snapshot: snapshot,
                    previous: r.4.flatMap { try? decoder.decode(DraftSnapshot.self, from: Data($0.utf8)) },
                    decision: ReviewDecision(rawValue: r.5) ?? .pending, notes: r.6, decidedBy: r.7, decidedAt: r.8))
        }
        return batchRecord(row, items: items)
    }

    static func batchRecord(_ r: BatchRow, items: [ReviewItemRecord]?) -> ReviewBatchRecord {
        ReviewBatchRecord(
            id: r.0, campaignID: r.1, createdBy: r.2, createdAt: r.3, completedAt: r.4, approved: r.5, rejected: r.6, pending: r.7,
            items: items, createdMicros: r.8)
    }
}
