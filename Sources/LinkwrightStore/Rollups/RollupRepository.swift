import Foundation
import LinkwrightCore
import PostgresNIO

/// One campaign's (or a tenant's) figures for one hour or day, as read from the rollups.
public struct AnalyticsPoint: Sendable, Equatable {
    public let start: Date
    public var tasksFinished: Int
    public var tasksFailed: Int
    public var placementsCreated: Int
    public var placementsLive: Int
    public var placementsLost: Int
    public var verificationChecks: Int
    public var costMicros: Int64

    public static func empty(at start: Date) -> AnalyticsPoint {
        AnalyticsPoint(
            start: start, tasksFinished: 0, tasksFailed: 0, placementsCreated: 0, placementsLive: 0, placementsLost: 0,
            verificationChecks: 0, costMicros: 0)
    }
}

public enum AnalyticsGranularity: String, Sendable, CaseIterable {
    case hour, day
}

/// Hourly rollups: computed from the raw tables for whole hours, read by the dashboards.
///
/// A recompute replaces every row of its window in one transaction (delete, then insert what the
/// raw tables say now), under an advisory lock so two schedulers never interleave: running it
/// again changes nothing, and an event that arrives late is counted the next time its hour is
/// recomputed. Hours are UTC.
public struct RollupRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// The job's name in `job_runs`.
    public static let jobName = "campaign_metrics_hourly"
    static let lockKey: Int64 = 0x6c77_726f_6c6c  // "lwroll"

    /// Recomputes every hour that starts in [from, to) (both rounded down to the hour). Returns the
    /// rows written.
    @discardableResult
    public func recompute(from: Date, to: Date) async throws -> Int {
        let lo = Self.hourStart(from)
        let hi = Self.hourStart(to)
        guard lo < hi else { return 0 }
        return try await database.withSystem { connection in
            try await connection.query("SET LOCAL timezone = 'UTC'", logger: database.logger)
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: database.logger)
            try await connection.query(
                "DELETE FROM campaign_metrics_hourly WHERE hour >= \(lo) AND hour < \(hi)", logger: database.logger)
            let rows = try await connection.query(
                """
                INSERT INTO campaign_metrics_hourly (tenant_id, campaign_id, hour, tasks_finished, tasks_failed, placements_created,
                                                     placements_live, placements_lost, verification_checks, cost_micros)
                SELECT tenant_id, campaign_id, hour, sum(finished), sum(failed), sum(created), sum(live), sum(lost), sum(checks), sum(cost)
                FROM (
                    SELECT tenant_id, campaign_id, date_trunc('hour', finished_at) AS hour,
                           count(*) FILTER (WHERE state = 'succeeded') AS finished, count(*) FILTER (WHERE state = 'dead') AS failed,
                           0 AS created, 0 AS live, 0 AS lost, 0 AS checks, 0::bigint AS cost
                    FROM tasks WHERE campaign_id IS NOT NULL AND finished_at >= \(lo) AND finished_at < \(hi) AND engine <> 'verification'
                    GROUP BY 1, 2, 3
                    UNION ALL
                    SELECT tenant_id, campaign_id, date_trunc('hour', created_at), 0, 0, count(*), 0, 0, 0, 0
                    FROM placements WHERE campaign_id IS NOT NULL AND created_at >= \(lo) AND created_at < \(hi)
                    GROUP BY 1, 2, 3
                    UNION ALL
                    SELECT c.tenant_id, p.campaign_id, date_trunc('hour', c.checked_at), 0, 0, 0,
                           count(DISTINCT c.placement_id) FILTER (WHERE c.state IN ('live', 'live_nofollow')), 0, count(*), 0
                    FROM placement_checks c JOIN placements p ON p.tenant_id = c.tenant_id AND p.id = c.placement_id
                    WHERE p.campaign_id IS NOT NULL AND c.checked_at >= \(lo) AND c.checked_at < \(hi)
                    GROUP BY 1, 2, 3
                    UNION ALL
                    SELECT e.tenant_id, p.campaign_id, date_trunc('hour', e.created_at), 0, 0, 0, 0, count(*), 0, 0
                    FROM events e JOIN placements p ON p.tenant_id = e.tenant_id AND p.id = e.placement_id
                    WHERE e.type = 'link_lost' AND p.campaign_id IS NOT NULL AND e.created_at >= \(lo) AND e.created_at < \(hi)
                    GROUP BY 1, 2, 3
                    UNION ALL
                    SELECT tenant_id, campaign_id, date_trunc('hour', occurred_at), 0, 0, 0, 0, 0, 0, sum(amount_micros)::bigint
                    FROM cost_ledger WHERE campaign_id IS NOT NULL AND occurred_at >= \(lo) AND occurred_at < \(hi)
                    GROUP BY 1, 2, 3
                ) sources
                -- A campaign deleted since keeps no rollup.
                WHERE EXISTS (SELECT 1 FROM campaigns k WHERE k.tenant_id = sources.tenant_id AND k.id = sources.campaign_id)
                GROUP BY tenant_id, campaign_id, hour
                RETURNING 1
                """, logger: database.logger)
            var written = 0
            for try await _ in rows { written += 1 }
            try await connection.query(
                """
                INSERT INTO job_runs (name, finished_at, detail) VALUES (\(Self.jobName), now(), \("\(written) rows, \(lo) to \(hi)"))
                ON CONFLICT (name) DO UPDATE SET finished_at = EXCLUDED.finished_at, detail = EXCLUDED.detail
                """, logger: database.logger)
            return written
        }
    }

    /// Seconds since the rollup job last finished, nil if it never has.
    public func lagSeconds() async throws -> Double? {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                "SELECT extract(epoch FROM now() - finished_at)::float8 FROM job_runs WHERE name = \(Self.jobName)", logger: database.logger)
            for try await lag in rows.decode(Double.self) { return lag }
            return nil
        }
    }

    /// One campaign's points, or the whole tenant's when `campaignID` is nil, for [from, to).
    public func series(tenantID: UUID, campaignID: UUID?, from: Date, to: Date, granularity: AnalyticsGranularity) async throws -> [AnalyticsPoint] {
        try await database.withTenant(tenantID) { connection in
            try await connection.query("SET LOCAL timezone = 'UTC'", logger: database.logger)
            let rows = try await connection.query(
                """
                SELECT date_trunc(\(granularity.rawValue), hour) AS start, sum(tasks_finished)::int, sum(tasks_failed)::int,
                       sum(placements_created)::int, sum(placements_live)::int, sum(placements_lost)::int,
                       sum(verification_checks)::int, sum(cost_micros)::bigint
                FROM campaign_metrics_hourly
                WHERE hour >= \(from) AND hour < \(to) AND (\(campaignID)::uuid IS NULL OR campaign_id = \(campaignID))
                GROUP BY 1 ORDER BY 1
                """, logger: database.logger)
            var points: [AnalyticsPoint] = []
            for try await r in rows.decode((Date, Int, Int, Int, Int, Int, Int, Int64).self) {
                points.append(
                    AnalyticsPoint(
                        start: r.0, tasksFinished: r.1, tasksFailed: r.2, placementsCreated: r.3,
                        placementsLive: r.4, placementsLost: r.5, verificationChecks: r.6, costMicros: r.7))
            }
            return points
        }
    }

    /// The UTC hour a moment falls in.
    public static func hourStart(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
    }
}
