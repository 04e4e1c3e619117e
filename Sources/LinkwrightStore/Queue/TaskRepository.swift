import Foundation
import LinkwrightCore
import PostgresNIO

public struct TaskRecord: Sendable, Equatable {
    public let id: Int64
    public let lane: Lane
    public let engine: String
    public let campaignID: UUID?
    public let state: TaskState
    public let attempt: Int
    public let maxAttempts: Int
    public let runAt: Date
    public let lastError: String?
    public let idempotencyKey: String
    public let payload: String
    public let createdAt: Date
    public let finishedAt: Date?
    /// Set on cross-tenant listings (operators).
    public var tenantID: UUID? = nil
}

/// What tenants may read of the queue.
public struct TaskRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// A campaign's tasks in planning order, or nil when the campaign does not exist for this tenant.
    public func tasks(tenantID: UUID, campaignID: UUID, state: TaskState?, limit: Int, after cursor: SequenceCursor?) async throws -> (
        items: [TaskRecord], next: SequenceCursor?
    )? {
        try await database.withTenant(tenantID) { connection in
            let exists = try await connection.query("SELECT 1 FROM campaigns WHERE id = \(campaignID)", logger: database.logger)
            guard try await exists.first(where: { _ in true }) != nil else { return nil }
            return try await Self.page(
                """
                SELECT \(unescaped: Self.columns) FROM tasks
                WHERE campaign_id = \(campaignID) AND (\(state == nil) OR state = \(state?.rawValue ?? ""))
                  AND id > \(cursor?.after ?? 0)
                ORDER BY id LIMIT \(limit + 1)
                """, limit: limit, on: connection)
        }
    }

    /// The tenant's dead tasks, oldest first.
    public func deadTasks(tenantID: UUID, limit: Int, after cursor: SequenceCursor?) async throws -> (items: [TaskRecord], next: SequenceCursor?) {
        try await database.withTenant(tenantID) { connection in
            try await Self.page(Self.deadQuery(after: cursor, limit: limit), limit: limit, on: connection)
        }
    }

    /// Every tenant's dead tasks, for operators.
    public func allDeadTasks(limit: Int, after cursor: SequenceCursor?) async throws -> (items: [TaskRecord], next: SequenceCursor?) {
        try await database.withSystem { connection in
            try await Self.page(Self.deadQuery(after: cursor, limit: limit), limit: limit, on: connection)
        }
    }

    /// The tenant a dead task belongs to, for operators retrying it by id.
    public func tenantOfDeadTask(id: Int64) async throws -> UUID? {
        try await database.withSystem { connection in
            try await connection.query("SELECT tenant_id FROM tasks WHERE state = 'dead' AND id = \(id)", logger: database.logger)
                .decode(UUID.self).first { _ in true }
        }
    }

    static let columns = """
        id, lane, engine, campaign_id, state, attempt, max_attempts, run_at, last_error, idempotency_key,
        payload::text, created_at, finished_at, tenant_id
        """

    static func deadQuery(after cursor: SequenceCursor?, limit: Int) -> PostgresQuery {
        """
        SELECT \(unescaped: columns)
        FROM tasks WHERE state = 'dead' AND id > \(cursor?.after ?? 0) ORDER BY id LIMIT \(limit + 1)
        """
    }

    static func page(_ query: PostgresQuery, limit: Int, on connection: PostgresConnection) async throws -> (
        items: [TaskRecord], next: SequenceCursor?
    ) {
        var items: [TaskRecord] = []
        for try await r in try await connection.query(query, logger: connection.logger).decode(
            (Int64, String, String, UUID?, String, Int, Int, Date, String?, String, String, Date, Date?, UUID).self
        ) {
            var record = TaskRecord(
                id: r.0, lane: Lane(rawValue: r.1) ?? .normal, engine: r.2, campaignID: r.3,
                state: TaskState(rawValue: r.4) ?? .dead, attempt: r.5, maxAttempts: r.6, runAt: r.7,
                lastError: r.8, idempotencyKey: r.9, payload: r.10, createdAt: r.11, finishedAt: r.12)
            record.tenantID = r.13
            items.append(record)
        }
        guard items.count > limit else { return (items, nil) }
        let page = Array(items.prefix(limit))
        return (page, page.last.map { SequenceCursor(after: $0.id) })
    }

    /// The tenant's task counts by lane and state.
    public func counts(tenantID: UUID) async throws -> [Lane: [TaskState: Int]] {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                "SELECT lane, state, count(*)::int FROM tasks GROUP BY lane, state", logger: database.logger)
            var result: [Lane: [TaskState: Int]] = [:]
            for try await (lane, state, count) in rows.decode((String, String, Int).self) {
                guard let lane = Lane(rawValue: lane), let state = TaskState(rawValue: state) else { continue }
                result[lane, default: [:]][state] = count
            }
            return result
        }
    }
}
