import Foundation
import LinkwrightCore
import PostgresNIO

/// Records what a publishing task placed, in the transaction that completes the task: the
/// placement (where the link now lives) with its first verification task, and the draft marked
/// published. A re-delivered task records nothing twice: the completion is keyed by the task,
/// and a page already placed for the same target is not placed again.
public struct PublishRecorder: Sendable {
    let database: Database
    /// How long a held comment may wait for the site's moderator before it is `rejected_by_site`.
    let moderationWait: Duration

    public init(database: Database, moderationWait: Duration = .seconds(14 * 86_400)) {
        self.database = database
        self.moderationWait = moderationWait
    }

    /// The placement made, or nil when this worker no longer held the task (nothing recorded).
    /// A placement that already existed for the page and target is returned as it is.
    public func record(_ task: ClaimedTask, result: PublishResult, resultJSON: String, usage: [Usage], owner: String) async throws -> UUID? {
        try await database.withTenant(task.tenantID) { connection in
            let completion = CompleteChargingStatement(
                ids: [task.id], results: [resultJSON], owner: owner, usage: CostRecording.usageJSON([(task.id, usage)]))
            var completed = false
            for try await _ in try await connection.execute(completion, logger: database.logger) { completed = true }
            guard completed else { return nil }
            let held = result.state == PlacementState.pendingModeration.rawValue
            let moderationUntil = held ? Date().addingTimeInterval(moderationWait.inSeconds) : nil
            let rows = try await connection.query(
                """
                INSERT INTO placements (tenant_id, id, campaign_id, source_url, target_url, expected_anchor, next_check_at, draft_id, state,
                                        moderation_until, expected_rel)
                VALUES (\(task.tenantID), \(UUID()), \(task.campaignID), \(result.sourceURL), \(result.targetURL), \(result.anchorText), now(),
                        \(UUID(uuidString: result.draftID)), \(held ? PlacementState.pendingModeration.rawValue : PlacementState.pending.rawValue),
                        \(moderationUntil), \(result.expectedRel))
                ON CONFLICT (tenant_id, source_url, target_url) DO NOTHING
                RETURNING \(unescaped: PlacementRepository.columns)
                """, logger: database.logger)
            var placementID: UUID?
            for try await row in rows.decode(PlacementRepository.Row.self) {
                let placement = PlacementRepository.record(row)
                placementID = placement.id
                try await TaskQueue.insert(
                    [PlacementRepository.verificationTask(placement, key: "verify-\(placement.id.uuidString.lowercased())-1", runAt: nil)],
                    tenantID: task.tenantID, on: connection)
            }
            if placementID == nil {
                placementID = try await connection.query(
                    "SELECT id FROM placements WHERE source_url = \(result.sourceURL) AND target_url = \(result.targetURL)", logger: database.logger
                ).decode(UUID.self).first { _ in true }
            }
            if let draftID = UUID(uuidString: result.draftID) {
                try await connection.query(
                    "UPDATE drafts SET state = 'published', updated_at = now() WHERE id = \(draftID) AND state = 'approved'",
                    logger: database.logger)
            }
            return placementID
        }
    }
}
