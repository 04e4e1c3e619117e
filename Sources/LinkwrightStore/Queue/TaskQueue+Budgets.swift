import Foundation
import LinkwrightCore
import PostgresNIO

extension TaskQueue {
    public enum Reservation: Sendable, Equatable {
        /// Reserved (micro-dollars); run the task.
        case reserved(Int64)
        /// The campaign cannot afford the task now: it was paused with the reason `budget_exhausted` and the
        /// task handed back, its attempt not counted.
        case budgetExhausted
        /// The campaign stopped being active meanwhile, or this worker no longer holds the task:
        /// the task was handed back (if still held) and must not run.
        case notRunnable
    }

    /// Reserves what a task of a campaign is expected to cost against the campaign's budget
    /// before it runs. The check and the reservation are one atomic update of the campaign row,
    /// so workers running at once can never together reserve past the budget (0 means no cap):
    /// what is spent never exceeds the budget by more than what was already in flight. One
    /// statement, atomic by itself, outside an explicit transaction: BEGIN and COMMIT around it
    /// held the campaign's row for three round trips while every other task of the campaign
    /// waited for it.
    public func reserve(_ task: ClaimedTask, estimate: [Usage], owner: String) async throws -> Reservation {
        guard let campaignID = task.campaignID else { return .reserved(0) }
        let estimate = estimate.filter { $0.quantity > 0 }
        if estimate.isEmpty { return try await confirmRunnable(task, campaignID: campaignID, owner: owner) }
        let kinds = estimate.map(\.kind.rawValue)
        let quantities = estimate.map(\.quantity)
        let outcome: (reserved: Int64?, status: String?) = try await database.withSystemConnection { connection in
            let rows = try await connection.query(
                """
                WITH estimate AS (
                    SELECT coalesce(sum(u.quantity * c.micros_per_unit), 0)::bigint AS amount
                    FROM unnest(\(kinds)::text[], \(quantities)::bigint[]) AS u(kind, quantity) JOIN unit_costs c ON c.kind = u.kind
                ), held AS (
                    SELECT 1 FROM tasks WHERE tenant_id = \(task.tenantID) AND id = \(task.id) AND lease_owner = \(owner) AND state = 'running'
                ), taken AS (
                    UPDATE campaigns c SET reserved_micros = c.reserved_micros + e.amount
                    FROM estimate e
                    WHERE c.tenant_id = \(task.tenantID) AND c.id = \(campaignID) AND c.status = 'active' AND EXISTS (SELECT 1 FROM held)
                      AND (c.budget_micros = 0 OR c.spent_micros + c.reserved_micros + e.amount <= c.budget_micros)
                    RETURNING e.amount
                ), marked AS (
                    UPDATE tasks t SET reserved_micros = taken.amount FROM taken WHERE t.tenant_id = \(task.tenantID) AND t.id = \(task.id) AND t.state = 'running'
                )
                SELECT (SELECT amount FROM taken), (SELECT status FROM campaigns WHERE tenant_id = \(task.tenantID) AND id = \(campaignID))
                """, logger: database.logger)
            for try await row in rows.decode((Int64?, String?).self) { return (row.0, row.1) }
            return (nil, nil)
        }
        if let amount = outcome.reserved { return .reserved(amount) }
        let exhausted = outcome.status == "active"
        try await handBack(task, owner: owner, pausingForBudget: exhausted ? campaignID : nil)
        return exhausted ? .budgetExhausted : .notRunnable
    }

    /// A task expected to cost nothing reserves nothing, so it does not write (or wait for) its
    /// campaign's row, which every other task of the campaign updates: it only confirms the
    /// campaign is still active and the task still held. Content tasks with the offline writer
    /// queued behind one another on that row lock.
    func confirmRunnable(_ task: ClaimedTask, campaignID: UUID, owner: String) async throws -> Reservation {
        let runnable = try await database.withSystemConnection { connection in
            try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM campaigns WHERE tenant_id = \(task.tenantID) AND id = \(campaignID) AND status = 'active')
                   AND EXISTS (SELECT 1 FROM tasks WHERE tenant_id = \(task.tenantID) AND id = \(task.id) AND lease_owner = \(owner) AND state = 'running')
                """, logger: database.logger
            ).decode(Bool.self).first { _ in true } ?? false
        }
        if runnable { return .reserved(0) }
        try await handBack(task, owner: owner, pausingForBudget: nil)
        return .notRunnable
    }

    /// Returns a held task to the queue without counting the attempt, pausing its campaign for
    /// its budget first when asked: one statement, so the task never runs for a campaign that
    /// could not pay for it.
    func handBack(_ task: ClaimedTask, owner: String, pausingForBudget campaignID: UUID?) async throws {
        try await database.withSystemConnection { connection in
            try await connection.query(
                """
                WITH paused AS (
                    UPDATE campaigns SET status = 'paused', status_reason = 'budget_exhausted', updated_at = now()
                    WHERE tenant_id = \(task.tenantID) AND id = \(campaignID) AND status = 'active'
                ), due AS (
                    UPDATE tasks SET state = 'available', attempt = greatest(attempt - 1, 0), lease_owner = NULL,
                           lease_expires_at = NULL, updated_at = now()
                    WHERE tenant_id = \(task.tenantID) AND id = \(task.id) AND lease_owner = \(owner) AND state = 'running'
                    RETURNING tenant_id, lane, run_at, campaign_id, reserved_micros
                ), \(unescaped: Self.bringTurnsForward), \(unescaped: CostRecording.releaseReservations)
                SELECT 1
                """, logger: database.logger)
        }
    }
}
