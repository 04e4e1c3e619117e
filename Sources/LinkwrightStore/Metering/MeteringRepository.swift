import Foundation
import LinkwrightCore
import PostgresNIO

/// Reads what metering needs for a campaign's estimate: prices, the tenant's own cost history,
/// and the campaign's remaining placement tasks.
public struct MeteringRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// How far back a tenant's history informs an estimate.
    public static let historyDays = 90

    public func unitCosts() async throws -> [CostKind: Int64] {
        try await database.withSystem { connection in
            let rows = try await connection.query("SELECT kind, micros_per_unit FROM unit_costs", logger: database.logger)
            var costs: [CostKind: Int64] = [:]
            for try await (kind, micros) in rows.decode((String, Int64).self) { if let kind = CostKind(rawValue: kind) { costs[kind] = micros } }
            return costs
        }
    }

    /// Per-task cost of the tenant's campaign tasks that were charged a placement in the last
    /// `historyDays` (a task's every kind summed).
    public func taskCostHistory(tenantID: UUID) async throws -> TaskCostHistory? {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                WITH per_task AS (
                    SELECT task_id, sum(amount_micros) AS amount FROM cost_ledger
                    WHERE campaign_id IS NOT NULL AND task_id IS NOT NULL
                      AND occurred_at > now() - \(Self.historyDays) * interval '1 day'
                    GROUP BY task_id HAVING bool_or(kind = 'placement')
                )
                SELECT count(*)::int, percentile_disc(0.1) WITHIN GROUP (ORDER BY amount)::bigint,
                       avg(amount)::bigint, percentile_disc(0.9) WITHIN GROUP (ORDER BY amount)::bigint
                FROM per_task
                """, logger: database.logger)
            for try await (samples, p10, mean, p90) in rows.decode((Int, Int64?, Int64?, Int64?).self) {
                guard samples > 0, let p10, let mean, let p90 else { return nil }
                return TaskCostHistory(samples: samples, p10: p10, mean: mean, p90: p90)
            }
            return nil
        }
    }

    /// The campaign's slots still to be done, by engine: a slot's content task (its draft not yet
    /// written) or its publishing task. A draft waiting for review has no task and is not counted.
    public func pendingTasks(tenantID: UUID, campaignID: UUID) async throws -> [PlacementEngine: Int] {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT CASE WHEN engine = 'content' THEN payload->>'engine' ELSE engine END AS slot_engine, count(*)::int FROM tasks
                WHERE campaign_id = \(campaignID) AND state IN ('scheduled', 'available', 'running', 'failed_retryable')
                GROUP BY slot_engine
                """, logger: database.logger)
            var counts: [PlacementEngine: Int] = [:]
            for try await (engine, count) in rows.decode((String, Int).self) {
                if let engine = PlacementEngine(rawValue: engine) { counts[engine] = count }
            }
            return counts
        }
    }
}
