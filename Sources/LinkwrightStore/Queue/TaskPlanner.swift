import Foundation
import LinkwrightCore
import PostgresNIO

/// Writes a campaign's planned tasks inside the caller's transaction, so the tasks exist if and
/// only if the state change that planned them committed.
enum TaskPlanner {
    /// Enqueues every slot not enqueued before (by idempotency key). Returns how many were new.
    @discardableResult
    static func enqueue(_ plan: CampaignPlan, campaign: CampaignRecord, on connection: PostgresConnection) async throws -> Int {
        let lane = Lane(campaign.settings.priority)
        let tasks = try plan.slots.map { slot in
            let payload = try JSONSerialization.data(
                withJSONObject: ["anchor_text": slot.anchorText, "target_url": campaign.settings.targetURL], options: [.sortedKeys])
            return NewTask(
                lane: lane, engine: slot.engine.rawValue, payload: String(decoding: payload, as: UTF8.self),
                idempotencyKey: slot.idempotencyKey, runAt: slot.runAt, campaignID: campaign.id)
        }
        return try await TaskQueue.insert(tasks, tenantID: campaign.tenantID, on: connection)
    }

    /// Removes the campaign's tasks that have not started, so a re-plan can replace them.
    static func dropPending(campaignID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            DELETE FROM tasks WHERE campaign_id = \(campaignID) AND state IN ('scheduled', 'available', 'failed_retryable')
            """, logger: connection.logger)
    }

    /// Cancels the campaign's tasks that have not started; running ones finish.
    static func cancelPending(campaignID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE tasks SET state = 'cancelled', finished_at = now(), updated_at = now()
            WHERE campaign_id = \(campaignID) AND state IN ('scheduled', 'available', 'failed_retryable')
            """, logger: connection.logger)
    }
}
