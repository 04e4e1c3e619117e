import Foundation
import LinkwrightCore
import PostgresNIO

/// Records what a content task wrote in the transaction that completes the task: the draft (or
/// its next version), the version row, its band keys, and the usage charged once with the task.
/// A re-delivered task records nothing twice: the completion is keyed by the task.
public struct DraftRecorder: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// False when this worker no longer held the task (nothing was recorded).
    public func record(_ task: ClaimedTask, result: DraftResult, resultJSON: String, usage: [Usage], owner: String) async throws -> UUID? {
        guard let payload = try? JSONDecoder().decode(ContentTaskPayload.self, from: Data(task.payload.utf8)),
            let campaignID = UUID(uuidString: payload.campaignID)
        else { throw StoreError.notFound }
        let checks = String(decoding: try JSONEncoder().encode(result.checks), as: UTF8.self)
        return try await database.withTenant(task.tenantID) { connection in
            let completion = CompleteChargingStatement(
                ids: [task.id], results: [resultJSON], owner: owner, usage: CostRecording.usageJSON([(task.id, usage)]))
            guard try await connection.execute(completion, logger: database.logger).first(where: { _ in true }) != nil else { return nil }
            // The campaign may have been deleted meanwhile: then the draft has nowhere to go.
            let campaignRows = try await connection.query(
                "SELECT auto_approve, priority, target_url FROM campaigns WHERE id = \(campaignID)", logger: database.logger)
            guard let (autoApprove, priority, targetURL) = try await campaignRows.decode((Bool, String, String).self).first(where: { _ in true })
            else { return nil }
            // Without a person only where the campaign asked, the draft passed every check, and the
            // engine publishes on the tenant's own sites; everything else waits for review.
            // A version a person sent back goes back to that person.
            let approveNow =
                autoApprove && result.version == 1 && result.passed && !result.flagged
                && (PlacementEngine(rawValue: payload.engine)?.mayAutoApprove ?? false)
            let rows = try await connection.query(
                """
                INSERT INTO drafts (tenant_id, id, campaign_id, slot_key, engine, kind, state, version, anchor, body, provider, model,
                                    checks, passed, flagged, similarity, minhash, tokens_in, tokens_out, notes, auto_approved)
                VALUES (\(task.tenantID), \(UUID()), \(campaignID), \(result.slotKey), \(payload.engine), \(result.kind),
                        \(approveNow ? "approved" : "ready"),
                        \(result.version), \(payload.anchor), \(result.body), \(result.provider), \(result.model), \(checks)::jsonb,
                        \(result.passed), \(result.flagged), \(result.similarity), \(result.minhash), \(result.tokensIn), \(result.tokensOut),
                        \(payload.notes), \(approveNow))
                ON CONFLICT (tenant_id, slot_key) DO UPDATE SET
                    state = EXCLUDED.state, auto_approved = EXCLUDED.auto_approved, version = EXCLUDED.version, body = EXCLUDED.body, provider = EXCLUDED.provider,
                    model = EXCLUDED.model, checks = EXCLUDED.checks, passed = EXCLUDED.passed, flagged = EXCLUDED.flagged,
                    similarity = EXCLUDED.similarity, minhash = EXCLUDED.minhash,
                    tokens_in = drafts.tokens_in + EXCLUDED.tokens_in, tokens_out = drafts.tokens_out + EXCLUDED.tokens_out,
                    notes = EXCLUDED.notes, updated_at = now()
                WHERE drafts.version < EXCLUDED.version
                RETURNING id
                """, logger: database.logger)
            guard let draftID = try await rows.decode(UUID.self).first(where: { _ in true }) else { return nil }
            try await connection.query(
                """
                INSERT INTO draft_versions (tenant_id, draft_id, version, body, checks, provider, notes)
                VALUES (\(task.tenantID), \(draftID), \(result.version), \(result.body), \(checks)::jsonb, \(result.provider), \(payload.notes))
                ON CONFLICT DO NOTHING
                """, logger: database.logger)
            if approveNow {
                try await TaskQueue.insert(
                    [
                        TaskPlanner.publishTask(
                            slotKey: result.slotKey, engine: payload.engine, draftID: draftID, campaignID: campaignID,
                            lane: Lane(CampaignPriority(rawValue: priority) ?? .normal), targetURL: targetURL, anchor: payload.anchor,
                            ownedOnly: true)
                    ], tenantID: task.tenantID, on: connection)
            }
            // A draft sent back from a review batch returns to it for another look, the version the
            // reviewer saw kept beside the new one.
            try await connection.query(
                """
                UPDATE review_items i SET previous = i.snapshot, snapshot = \(unescaped: ReviewRepository.snapshotSQL),
                    decision = 'pending', decided_by = NULL, decided_at = NULL
                FROM drafts d WHERE d.id = \(draftID) AND i.draft_id = d.id AND i.decision = 'needs_regeneration'
                """, logger: database.logger)
            let keys = MinHashSignature(values: result.minhash.map { UInt64(bitPattern: $0) }).bandKeys
            try await connection.query("DELETE FROM draft_bands WHERE draft_id = \(draftID)", logger: database.logger)
            try await connection.query(
                """
                INSERT INTO draft_bands (tenant_id, band, key, draft_id)
                SELECT \(task.tenantID), k.band, k.key, \(draftID) FROM unnest(\(Array(Int16(0)..<Int16(keys.count))), \(keys)) AS k(band, key)
                ON CONFLICT DO NOTHING
                """, logger: database.logger)
            return draftID
        }
    }
}
