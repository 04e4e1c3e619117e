import Foundation
import LinkwrightCore
import PostgresNIO

/// One lane as operators see it.
public struct LaneStatus: Sendable, Equatable {
    public let lane: Lane
    public let paused: Bool
    /// Ready to run now (due and not running).
    public let available: Int
    public let running: Int
    /// Due later.
    public let scheduled: Int
    public let dead: Int
    /// How long the oldest ready task has been due; 0 when none is.
    public let oldestAvailableAgeSeconds: Double
}

/// Cross-tenant views and switches of the queue, for operators and metrics.
public struct QueueAdministration: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// Every lane, including empty ones. Reads the hot partition and the dead tasks (through
    /// their own index), never the rest of the history, so a scrape costs the same after a year
    /// of finished work; still meant for dashboards and scrapes, not for a hot path.
    public func lanes() async throws -> [LaneStatus] {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                SELECT l.name, l.paused,
                       count(t.id) FILTER (WHERE t.state IN ('scheduled', 'available', 'failed_retryable') AND t.run_at <= now())::int,
                       count(t.id) FILTER (WHERE t.state = 'running')::int,
                       count(t.id) FILTER (WHERE t.state IN ('scheduled', 'available', 'failed_retryable') AND t.run_at > now())::int,
                       count(t.id) FILTER (WHERE t.state = 'dead')::int,
                       coalesce(extract(epoch FROM now() - min(t.run_at) FILTER (
                           WHERE t.state IN ('scheduled', 'available', 'failed_retryable') AND t.run_at <= now())), 0)::float8
                FROM lanes l
                LEFT JOIN (SELECT id, lane, state, run_at FROM tasks_queued
                           UNION ALL
                           SELECT id, lane, state, run_at FROM tasks WHERE state = 'dead') t ON t.lane = l.name
                GROUP BY l.name, l.paused ORDER BY l.name
                """, logger: database.logger)
            var result: [LaneStatus] = []
            for try await r in rows.decode((String, Bool, Int, Int, Int, Int, Double).self) {
                guard let lane = Lane(rawValue: r.0) else { continue }
                result.append(
                    LaneStatus(
                        lane: lane, paused: r.1, available: r.2, running: r.3, scheduled: r.4, dead: r.5,
                        oldestAvailableAgeSeconds: r.6))
            }
            return result
        }
    }

    /// Tasks of `lane` not finished yet, counted from the partial indexes only (cheap enough to poll).
    public func unfinished(lane: Lane) async throws -> Int {
        try await database.withSystem { connection in
            try await connection.query(
                """
                SELECT (SELECT count(*) FROM tasks WHERE lane = \(lane.rawValue) AND state IN ('scheduled', 'available', 'failed_retryable'))
                     + (SELECT count(*) FROM tasks WHERE lane = \(lane.rawValue) AND state = 'running')
                """, logger: database.logger
            ).decode(Int.self).first { _ in true } ?? 0
        }
    }

    /// Pauses or resumes a lane; returns its new status.
    public func setPaused(_ paused: Bool, lane: Lane, by operatorID: UUID) async throws {
        try await database.withSystem { connection in
            try await connection.query(
                """
                UPDATE lanes SET paused = \(paused), changed_at = now(), changed_by = \(operatorID) WHERE name = \(lane.rawValue)
                """, logger: database.logger)
        }
    }
}
