import Foundation
import LinkwrightCore
import PostgresNIO

/// Hands a job's domains to the queue a batch at a time and moves the job between states, inside
/// the caller's transaction, with the job's row locked: every change to what is issued (start,
/// resume, a domain finishing, pause) goes through here one at a time per job.
///
/// A job keeps at most `batch` domains issued. The credit cap is checked before each issue, so
/// work in flight can pass it by at most one batch; then the job stops issuing and pauses with
/// `budget_exhausted` once that work has finished.
enum ProspectIssuing {
    /// Domains one job keeps in the queue at once: enough to keep tens of workers busy, few enough
    /// that pausing takes back at most this many tasks and a budget is passed by at most this many
    /// domains' pages.
    static let batch = 100
    static let budgetExhausted = "budget_exhausted"
    /// Results and files are kept this long after a job ends.
    static let retention = "90 days"

    struct Locked {
        let state: ProspectJobState
        let mode: ProspectMode
        let inFlight: Int
        let creditsUsed: Int64
        let maxCredits: Int64
        let finished: Int
        /// Domains crawled (the rest of `finished` failed or were disallowed).
        let crawled: Int
        let total: Int
    }

    static func lock(_ jobID: UUID, on connection: PostgresConnection) async throws -> Locked? {
        let rows = try await connection.query(
            """
            SELECT state, mode, in_flight, credits_used, max_credits, domains_done + domains_failed, domains_done, domains_total
            FROM prospect_jobs WHERE id = \(jobID) FOR UPDATE
            """, logger: connection.logger)
        for try await (state, mode, inFlight, credits, cap, finished, crawled, total) in rows.decode(
            (String, String, Int, Int64, Int64, Int, Int, Int).self)
        {
            return Locked(
                state: ProspectJobState(rawValue: state) ?? .failed, mode: ProspectMode(rawValue: mode) ?? .freeOnly, inFlight: inFlight,
                creditsUsed: credits, maxCredits: cap, finished: finished, crawled: crawled, total: total)
        }
        return nil
    }

    /// Issues what a running job may issue now and settles its state: `completed` when every
    /// domain finished (`failed` when none could be crawled), `paused` when a pause (a person's or the budget's) has nothing left in
    /// flight. Returns the job's state afterwards.
    @discardableResult
    static func advance(tenantID: UUID, jobID: UUID, on connection: PostgresConnection) async throws -> ProspectJobState? {
        guard let job = try await lock(jobID, on: connection) else { return nil }
        switch job.state {
        case .running:
            if job.mode.usesCredits, job.creditsUsed >= job.maxCredits {
                // What no worker has started spends nothing: it goes back to wait for more credits.
                let inFlight = job.inFlight - (try await takeBack(jobID: jobID, on: connection))
                try await settle(jobID, to: inFlight > 0 ? .pausing : .paused, reason: budgetExhausted, on: connection)
                try await connection.query(
                    """
                    INSERT INTO events (tenant_id, type, payload)
                    VALUES (\(tenantID), 'prospect_budget_exhausted',
                            jsonb_build_object('job_id', \(jobID.uuidString.lowercased()), 'credits_used', \(job.creditsUsed),
                                               'max_credits', \(job.maxCredits)))
                    """, logger: connection.logger)
                return inFlight > 0 ? .pausing : .paused
            }
            let room = batch - job.inFlight
            let issued = room > 0 ? try await issue(tenantID: tenantID, jobID: jobID, count: room, on: connection) : 0
            if issued == 0, job.inFlight == 0, job.finished >= job.total {
                // Every domain finished. A job none of whose domains could be read has failed (the
                // network or the list is the problem); its error report says why for each.
                let end: ProspectJobState = job.crawled > 0 ? .completed : .failed
                let reason: String? = job.crawled > 0 ? nil : "no domain could be crawled: see the error report"
                try await connection.query(
                    """
                    UPDATE prospect_jobs SET state = \(end.rawValue), status_reason = \(reason), completed_at = now(),
                        retain_until = now() + \(retention)::interval, updated_at = now()
                    WHERE id = \(jobID)
                    """, logger: connection.logger)
                try await connection.query(
                    """
                    INSERT INTO events (tenant_id, type, payload)
                    VALUES (\(tenantID), 'prospect_completed', jsonb_build_object('job_id', \(jobID.uuidString.lowercased()), 'state', \(end.rawValue)))
                    """, logger: connection.logger)
                return end
            }
            return .running
        case .pausing:
            if job.inFlight == 0 {
                try await connection.query(
                    "UPDATE prospect_jobs SET state = 'paused', updated_at = now() WHERE id = \(jobID)", logger: connection.logger)
                return .paused
            }
            return .pausing
        default:
            return job.state
        }
    }

    /// Marks the next `count` waiting domains issued and enqueues a task for each.
    static func issue(tenantID: UUID, jobID: UUID, count: Int, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE prospect_domains d SET state = 'issued', issues = d.issues + 1
            FROM (SELECT position FROM prospect_domains WHERE job_id = \(jobID) AND state = 'waiting' ORDER BY position LIMIT \(count)) next
            WHERE d.job_id = \(jobID) AND d.position = next.position
            RETURNING d.position, d.domain, d.issues
            """, logger: connection.logger)
        var tasks: [NewTask] = []
        let job = jobID.uuidString.lowercased()
        for try await (position, domain, issues) in rows.decode((Int, String, Int).self) {
            let payload = #"{"job_id":"\#(job)","position":\#(position),"domain":"\#(domain)"}"#
            tasks.append(NewTask(lane: .bulk, engine: "prospecting", payload: payload, idempotencyKey: "prospect-\(job)-\(position)-\(issues)"))
        }
        guard !tasks.isEmpty else { return 0 }
        tasks.sort { $0.idempotencyKey < $1.idempotencyKey }
        try await TaskQueue.insert(tasks, tenantID: tenantID, on: connection)
        try await connection.query(
            "UPDATE prospect_jobs SET in_flight = in_flight + \(tasks.count), updated_at = now() WHERE id = \(jobID)", logger: connection.logger)
        return tasks.count
    }

    /// Takes back the job's tasks no worker has started: cancelled, their domains `waiting` again.
    /// Tasks running now finish and are kept.
    static func takeBack(jobID: UUID, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            WITH cancelled AS (
                UPDATE tasks SET state = 'cancelled', finished_at = now(), last_error = 'the prospecting job was paused'
                WHERE engine = 'prospecting' AND payload->>'job_id' = \(jobID.uuidString.lowercased())
                  AND state IN ('scheduled', 'available', 'failed_retryable')
                RETURNING (payload->>'position')::int AS position
            ), waiting AS (
                UPDATE prospect_domains d SET state = 'waiting'
                FROM cancelled c WHERE d.job_id = \(jobID) AND d.position = c.position AND d.state = 'issued'
                RETURNING d.position
            )
            SELECT count(*)::int FROM waiting
            """, logger: connection.logger)
        let taken = try await rows.decode(Int.self).first { _ in true } ?? 0
        if taken > 0 {
            try await connection.query(
                "UPDATE prospect_jobs SET in_flight = greatest(in_flight - \(taken), 0), updated_at = now() WHERE id = \(jobID)",
                logger: connection.logger)
        }
        return taken
    }

    static func settle(_ jobID: UUID, to state: ProspectJobState, reason: String?, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE prospect_jobs SET state = \(state.rawValue), status_reason = \(reason), updated_at = now() WHERE id = \(jobID)",
            logger: connection.logger)
    }
}
