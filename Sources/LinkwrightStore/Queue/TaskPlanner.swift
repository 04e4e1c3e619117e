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
        let posts = try await commentPosts(for: plan, campaign: campaign, on: connection)
        let tasks = plan.slots.compactMap { slot -> NewTask? in
            let pageURL = posts[slot.idempotencyKey]
            // A comment answers a post: with no post left for it, the slot is not planned (a
            // re-plan after posts are added plans it).
            if slot.engine == .comments, pageURL == nil { return nil }
            return contentTask(
                ContentTaskPayload(
                    campaignID: campaign.id.uuidString.lowercased(), slotKey: slot.idempotencyKey, engine: slot.engine.rawValue,
                    anchor: slot.anchorText, targetURL: campaign.settings.targetURL, keywords: campaign.settings.keywords,
                    topic: campaign.settings.name, pageURL: pageURL),
                lane: lane, runAt: slot.runAt, campaignID: campaign.id)
        }
        return try await TaskQueue.insert(tasks, tenantID: campaign.tenantID, on: connection)
    }

    /// The post each comment slot answers: a slot given one before keeps it; the others take, in
    /// order, the campaign's posts no slot has been given and the tenant has not commented on.
    /// The comments engine's claim (`comment_posts`) is what finally holds a post to one comment
    /// per tenant; this keeps a plan from giving out a post twice in the first place.
    static func commentPosts(for plan: CampaignPlan, campaign: CampaignRecord, on connection: PostgresConnection) async throws -> [String: String] {
        let slots = plan.slots.filter { $0.engine == .comments }
        guard !slots.isEmpty, !campaign.settings.commentPages.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT payload->>'slot_key', payload->>'page_url' FROM tasks
            WHERE campaign_id = \(campaign.id) AND engine = 'content' AND payload->>'page_url' IS NOT NULL AND state <> 'cancelled'
            UNION ALL
            SELECT slot_key, page_url FROM drafts WHERE campaign_id = \(campaign.id) AND page_url IS NOT NULL
            UNION ALL
            SELECT slot_key, page_url FROM comment_posts
            """, logger: connection.logger)
        var given: [String: String] = [:]
        var taken = Set<String>()
        for try await (slot, page) in rows.decode((String, String).self) {
            given[slot] = page
            taken.insert(page)
        }
        var free = campaign.settings.commentPages.filter { !taken.contains($0) }.makeIterator()
        var posts: [String: String] = [:]
        for slot in slots {
            if let page = given[slot.idempotencyKey] ?? free.next() { posts[slot.idempotencyKey] = page }
        }
        return posts
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
        slotKey: String, engine: String, draftID: UUID, campaignID: UUID, lane: Lane, targetURL: String, anchor: String, ownedOnly: Bool = false,
        pageURL: String? = nil
    ) -> NewTask {
        let payload = PublishTaskPayload(
            draftID: draftID, anchorText: anchor, targetURL: targetURL, ownedConnectionsOnly: ownedOnly, pageURL: pageURL)
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
