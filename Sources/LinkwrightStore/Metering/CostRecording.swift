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
            entry.usage.filter { $0.quantity > 0 }.map { usage in
                guard let tokens = usage.tokens else {
                    return #"{"id":\#(entry.taskID),"kind":"\#(usage.kind.rawValue)","quantity":\#(usage.quantity)}"#
                }
                let provider = String(decoding: (try? JSONEncoder().encode(tokens.provider)) ?? Data("null".utf8), as: UTF8.self)
                return #"{"id":\#(entry.taskID),"kind":"\#(usage.kind.rawValue)","quantity":\#(usage.quantity),"provider":\#(provider),"#
                    + #""input":\#(tokens.input),"output":\#(tokens.output)}"#
            }
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    /// The `usage_input` CTE's columns, for `jsonb_to_recordset`.
    static let usageColumns = "u(id bigint, kind text, quantity bigint, provider text, input bigint, output bigint)"

    /// CTEs `costs` and `budgets`, after a CTE `done` (tenant_id, id, idempotency_key,
    /// campaign_id, reserved_micros: the tasks just completed) and a CTE `usage_input`
    /// (`usageColumns`). Prices come from `unit_costs` as they are now, and model tokens from
    /// `provider_token_costs` where their provider has a row; a task's usage of one kind is one
    /// ledger row whichever providers it used, so its idempotency key stays the task's and the
    /// kind. The campaign's spent grows by what was written and its reservation shrinks by what
    /// the tasks had reserved.
    static let costsAndBudgets = """
        costs AS (
            INSERT INTO cost_ledger (tenant_id, campaign_id, task_id, kind, quantity, unit, amount_micros, idempotency_key, providers)
            SELECT done.tenant_id, done.campaign_id, done.id, u.kind, sum(u.quantity)::bigint, min(c.unit),
                   sum(CASE WHEN p.provider IS NULL THEN u.quantity * c.micros_per_unit
                            ELSE (u.input * p.input_micros_per_million + u.output * p.output_micros_per_million + 999999) / 1000000
                       END)::bigint,
                   done.idempotency_key || ':' || u.kind, string_agg(DISTINCT u.provider, ',' ORDER BY u.provider)
            FROM done JOIN usage_input u ON u.id = done.id JOIN unit_costs c ON c.kind = u.kind
            LEFT JOIN provider_token_costs p ON p.provider = u.provider
            GROUP BY done.tenant_id, done.campaign_id, done.id, done.idempotency_key, u.kind
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
