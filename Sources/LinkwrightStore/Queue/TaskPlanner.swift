import Foundation
import LinkwrightCore
import PostgresNIO

/// Writes a campaign's planned tasks inside the caller's transaction, so the tasks exist if and
/// only if the state change that planned them committed.
enum TaskPlanner {
    /// Enqueues the content task of every slot not enqueued before (by idempotency key): each
    /// slot's draft is written first, and only an approved draft leads to the slot's publishing
    /// task (`publishTask`). Returns how many were new.
    @discardableResult
    static func enqueue(_ plan: CampaignPlan, campaign: CampaignRecord, on connection: PostgresConnection) async throws -> Int {
        let lane = Lane(campaign.settings.priority)
        let tasks = plan.slots.map { slot in
            contentTask(
                ContentTaskPayload(
                    campaignID: campaign.id.uuidString.lowercased(), slotKey: slot.idempotencyKey, engine: slot.engine.rawValue,
                    anchor: slot.anchorText, targetURL: campaign.settings.targetURL, keywords: campaign.settings.keywords,
                    topic: campaign.settings.name),
                lane: lane, runAt: slot.runAt, campaignID: campaign.id)
        }
        return try await TaskQueue.insert(tasks, tenantID: campaign.tenantID, on: connection)
    }

    /// The task that writes one version of a slot's draft: keyed by the slot and the version, so
    /// each version is written once (a slot's first, and one more per regeneration).
    static func contentTask(_ payload: ContentTaskPayload, lane: Lane, runAt: Date? = nil, campaignID: UUID) -> NewTask {
        NewTask(
            lane: lane, engine: "content", payload: payload.json(),
            idempotencyKey: ContentTaskPayload.taskKey(slot: payload.slotKey, version: payload.version), runAt: runAt, campaignID: campaignID)
    }

    /// The publishing task of an approved draft: the slot's own idempotency key, so a slot is
    /// published at most once whatever happens to its drafts. `ownedOnly` marks a draft nobody
    /// reviewed (auto-approved): its engine may publish it only with a connection the tenant owns.
    static func publishTask(
        slotKey: String, engine: String, draftID: UUID, campaignID: UUID, lane: Lane, targetURL: String, anchor: String, ownedOnly: Bool = false
    ) -> NewTask {
        let payload = PublishTaskPayload(draftID: draftID, anchorText: anchor, targetURL: targetURL, ownedConnectionsOnly: ownedOnly)
        return NewTask(lane: lane, engine: engine, payload: payload.json(), idempotencyKey: slotKey, campaignID: campaignID)
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
