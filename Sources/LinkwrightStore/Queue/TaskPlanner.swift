import Foundation
import LinkwrightCore
import PostgresNIO

/// Writes a campaign's planned tasks inside the caller's transaction, so the tasks exist if and
/// only if the state change that planned them committed.
enum TaskPlanner {
    /// Inserts every slot not enqueued before (by idempotency key). Returns how many were new.
    @discardableResult
    static func enqueue(_ plan: CampaignPlan, campaign: CampaignRecord, on connection: PostgresConnection) async throws -> Int {
        guard !plan.slots.isEmpty else { return 0 }
        try await connection.query("""
            INSERT INTO queue_turns (tenant_id, lane) VALUES (\(campaign.tenantID), \(Lane(campaign.settings.priority).rawValue))
            ON CONFLICT DO NOTHING
            """, logger: connection.logger)
        let rows = try await connection.query("""
            INSERT INTO tasks (tenant_id, lane, engine, campaign_id, payload, state, run_at, idempotency_key)
            SELECT \(campaign.tenantID), \(Lane(campaign.settings.priority).rawValue), slot.engine, \(campaign.id),
                   jsonb_build_object('anchor_text', slot.anchor, 'target_url', \(campaign.settings.targetURL)::text),
                   CASE WHEN slot.run_at <= now() THEN 'available' ELSE 'scheduled' END, slot.run_at, slot.key
            FROM unnest(\(plan.slots.map(\.engine.rawValue))::text[], \(plan.slots.map(\.anchorText))::text[],
                        \(plan.slots.map(\.runAt))::timestamptz[], \(plan.slots.map(\.idempotencyKey))::text[])
                 AS slot(engine, anchor, run_at, key)
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            RETURNING 1
            """, logger: connection.logger)
        var inserted = 0
        for try await _ in rows { inserted += 1 }
        if inserted > 0 { try await TaskQueue.notify(lane: Lane(campaign.settings.priority), on: connection) }
        return inserted
    }

    /// Removes the campaign's tasks that have not started, so a re-plan can replace them.
    static func dropPending(campaignID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("""
            DELETE FROM tasks WHERE campaign_id = \(campaignID) AND state IN ('scheduled', 'available', 'failed_retryable')
            """, logger: connection.logger)
    }

    /// Cancels the campaign's tasks that have not started; running ones finish.
    static func cancelPending(campaignID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE tasks SET state = 'cancelled', finished_at = now(), updated_at = now()
            WHERE campaign_id = \(campaignID) AND state IN ('scheduled', 'available', 'failed_retryable')
            """, logger: connection.logger)
    }
}
