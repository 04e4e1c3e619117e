import Foundation
import LinkwrightCore
import PostgresNIO

/// Applies a verification task's check to its placement in the transaction that completes the
/// task: the check row, the placement's new state, a lost-link event when the check confirms
/// one, and the task for the next check. The completion is keyed by the task's idempotency key,
/// so a re-delivered task records nothing twice.
public struct VerificationRecorder: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public struct Outcome: Sendable, Equatable {
        /// False when this worker no longer held the task (nothing was recorded).
        public let recorded: Bool
        public let lost: Bool
    }

    public func record(
        _ task: ClaimedTask, placementID: UUID, check: LinkCheckResult, usage: [Usage] = [],
        owner: String
    ) async throws -> Outcome {
        let resultJSON = try check.json()
        return try await database.withTenant(task.tenantID) { connection in
            // The batched completion's own statement, for a batch of one: the same ledger and
            // budget settlement, prepared once per connection, inside this check's transaction.
            let completion = CompleteChargingStatement(
                ids: [task.id], results: [resultJSON], owner: owner,
                usage: CostRecording.usageJSON([(task.id, usage)]))
            let completed = try await connection.execute(completion, logger: database.logger).first { _ in true }
            guard completed != nil else { return Outcome(recorded: false, lost: false) }

            let rows = try await connection.query(
                """
                SELECT \(unescaped: PlacementRepository.columns), miss_streak, ever_present, unverifiable_streak,
                       COALESCE((SELECT c.verify_every_hours * 3600 FROM campaigns c WHERE c.id = placements.campaign_id), recheck_seconds)
                FROM placements WHERE id = \(placementID) FOR UPDATE
                """, logger: database.logger)
            typealias Extended = (
                UUID, UUID, UUID?, String, String, String?, String, Int, Date?, Date?, Date, Int64, Bool, Bool, String?, Date?, Int, Bool, Int, Int
            )
            guard let r = try await rows.decode(Extended.self).first(where: { _ in true }) else {
                return Outcome(recorded: true, lost: false)  // deleted meanwhile: the check has nowhere to go
            }
            let placement = PlacementRepository.record((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15))
            let before = PlacementProgress(
                state: placement.state, missStreak: r.16, everPresent: r.17, unverifiableStreak: r.18, moderationUntil: placement.moderationUntil)
            let step = before.after(check.state, interval: TimeInterval(r.19), now: check.checkedAt)
            let next = Date().addingTimeInterval(step.recheckIn)
            let p = step.progress
            try await connection.query(
                """
                UPDATE placements SET state = \(p.state.rawValue), miss_streak = \(p.missStreak), ever_present = \(p.everPresent),
                       unverifiable_streak = \(p.unverifiableStreak), moderation_until = \(p.moderationUntil), checks = checks + 1, last_checked_at = \(check.checkedAt),
                       next_check_at = \(next), updated_at = now()
                WHERE id = \(placementID)
                """, logger: database.logger)
            let chain = String(decoding: try JSONEncoder().encode(check.redirectChain), as: UTF8.self)
            try await connection.query(
                """
                INSERT INTO placement_checks (tenant_id, placement_id, checked_at, state, detail, http_status, final_url, redirect_chain,
                                              link_found, anchor_text, rel, indexable, not_indexable_reason, canonical, response_time_ms)
                VALUES (\(task.tenantID), \(placementID), \(check.checkedAt), \(check.state.rawValue), \(check.detail), \(check.httpStatus),
                        \(check.finalURL), \(chain)::jsonb, \(check.linkFound), \(check.anchorText), \(check.rel), \(check.indexable),
                        \(check.notIndexableReason), \(check.canonical), \(check.responseTimeMS))
                """, logger: database.logger)
            if step.lost {
                let payload = try JSONSerialization.data(
                    withJSONObject: [
                        "source_url": placement.sourceURL, "target_url": placement.targetURL, "state": p.state.rawValue, "detail": check.detail,
                    ], options: [.sortedKeys])
                try await connection.query(
                    """
                    INSERT INTO events (tenant_id, type, placement_id, payload)
                    VALUES (\(task.tenantID), 'link_lost', \(placementID), \(String(decoding: payload, as: UTF8.self))::jsonb)
                    """, logger: database.logger)
            }
            let updated = PlacementRecord(
                tenantID: placement.tenantID, id: placement.id, campaignID: placement.campaignID,
                sourceURL: placement.sourceURL, targetURL: placement.targetURL,
                expectedAnchor: placement.expectedAnchor, ignoreWWW: placement.ignoreWWW,
                ignoreTrailingSlash: placement.ignoreTrailingSlash, state: p.state, checks: placement.checks + 1,
                lastCheckedAt: check.checkedAt, nextCheckAt: next, createdAt: placement.createdAt,
                createdMicros: placement.createdMicros, expectedRel: placement.expectedRel, moderationUntil: p.moderationUntil)
            // One scheduled check per placement: a check made on demand replaces the one waiting.
            // A check a person asked for meanwhile still runs: they are waiting for its answer.
            try await connection.query(
                """
                UPDATE tasks SET state = 'cancelled', finished_at = now(), updated_at = now()
                WHERE engine = 'verification' AND payload->>'placement_id' = \(placementID.uuidString.lowercased())
                  AND state IN ('scheduled', 'available', 'failed_retryable') AND id <> \(task.id)
                  AND idempotency_key NOT LIKE 'verify-%-now-%'
                """, logger: database.logger)
            try await TaskQueue.insert(
                [
                    PlacementRepository.verificationTask(
                        updated, key: "verify-\(placementID.uuidString.lowercased())-\(placement.checks + 2)", runAt: next)
                ],
                tenantID: task.tenantID, on: connection)
            return Outcome(recorded: true, lost: step.lost)
        }
    }
}
