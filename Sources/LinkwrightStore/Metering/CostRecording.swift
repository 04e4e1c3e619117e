import Foundation
import LinkwrightCore

/// The SQL that makes costs exact: shared by every statement that ends a task, so no path can
/// forget the ledger or a reservation.
///
/// A task's costs are written by the statement that completes it (`costsAndBudgets`), keyed by
/// the task's idempotency key and the kind: a retried or re-delivered task never costs twice.
/// A task's budget reservation (`tasks.reserved_micros`, taken by `TaskQueue.reserve` before it
/// runs, cleared by the claim) is released by whichever statement ends its run
/// (`releaseReservations`), so the campaign's `reserved_micros` is always what is in flight.
enum CostRecording {
    /// The usage of a batch as the `usage_input` rows the CTEs below read: one JSON array bound as
    /// one parameter, whatever the batch size.
    static func usageJSON(_ usage: [(taskID: Int64, usage: [Usage])]) -> String {
        let rows = usage.flatMap { entry in
            entry.usage.filter { $0.quantity > 0 }.map { #"{"id":\#(entry.taskID),"kind":"\#($0.kind.rawValue)","quantity":\#($0.quantity)}"# }
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    /// CTEs `costs` and `budgets`, after a CTE `done` (tenant_id, id, idempotency_key,
    /// campaign_id, reserved_micros: the tasks just completed) and a CTE `usage_input` (id, kind,
    /// quantity). Prices come from `unit_costs` as they are now; the campaign's spent grows by
    /// what was written and its reservation shrinks by what the tasks had reserved.
    static let costsAndBudgets = """
        costs AS (
            INSERT INTO cost_ledger (tenant_id, campaign_id, task_id, kind, quantity, unit, amount_micros, idempotency_key)
            SELECT done.tenant_id, done.campaign_id, done.id, u.kind, u.quantity, c.unit, u.quantity * c.micros_per_unit,
                   done.idempotency_key || ':' || u.kind
            FROM done JOIN usage_input u ON u.id = done.id JOIN unit_costs c ON c.kind = u.kind
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            RETURNING tenant_id, campaign_id, amount_micros
        ), budgets AS (
            UPDATE campaigns c SET spent_micros = c.spent_micros + m.spent,
                                   reserved_micros = greatest(c.reserved_micros - m.reserved, 0), updated_at = now()
            FROM (
                SELECT tenant_id, campaign_id, sum(spent)::bigint AS spent, sum(reserved)::bigint AS reserved FROM (
                    SELECT tenant_id, campaign_id, amount_micros AS spent, 0::bigint AS reserved FROM costs WHERE campaign_id IS NOT NULL
                    UNION ALL
                    SELECT tenant_id, campaign_id, 0::bigint, reserved_micros FROM done WHERE campaign_id IS NOT NULL AND reserved_micros > 0
                ) x GROUP BY tenant_id, campaign_id
            ) m
            WHERE c.tenant_id = m.tenant_id AND c.id = m.campaign_id
        )
        """

    /// CTE `unreserved`, after a CTE `due` (tenant_id, campaign_id, reserved_micros: tasks whose
    /// run ended without completing): gives their reservations back to their campaigns.
    static let releaseReservations = """
        unreserved AS (
            UPDATE campaigns c SET reserved_micros = greatest(c.reserved_micros - r.amount, 0)
            FROM (SELECT tenant_id, campaign_id, sum(reserved_micros)::bigint AS amount FROM due
                  WHERE campaign_id IS NOT NULL AND reserved_micros > 0 GROUP BY tenant_id, campaign_id) r
            WHERE c.tenant_id = r.tenant_id AND c.id = r.campaign_id
        )
        """
}
