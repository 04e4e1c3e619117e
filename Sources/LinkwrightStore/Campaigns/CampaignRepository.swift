import Foundation
import LinkwrightCore
import PostgresNIO

public struct CampaignRecord: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public var settings: CampaignSettings
    public let status: CampaignStatus
    public let statusReason: String?
    public let createdBy: UUID?
    public let createdAt: Date
    public let updatedAt: Date
    let createdMicros: Int64
    /// What the ledger has charged the campaign, and what its running tasks have reserved.
    public var spentMicros: Int64 = 0
    public var reservedMicros: Int64 = 0
}

public enum CampaignError: Error, Equatable, Sendable {
    /// The action is not allowed from the campaign's current status.
    case illegalTransition(from: CampaignStatus, action: CampaignStatus.Action)
    /// Starting would exceed the plan's active-campaign limit.
    case activeCampaignLimit(PlanLimits)
    /// The campaign must not be active for this change.
    case isActive
    case archived
}

/// Campaigns and their lifecycle. Quota checks lock the tenant's row first, so concurrent
/// starts are serialised per tenant and can never together exceed the plan.
public struct CampaignRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns = """
        tenant_id, id, name, target_url, anchor_texts, keywords, engines, priority, daily_limit, budget_micros,
        min_authority, starts_at, ends_at, status, status_reason, created_by, created_at, updated_at,
        (extract(epoch FROM created_at) * 1000000)::bigint, verify_every_hours, spent_micros, reserved_micros, auto_approve,
        comment_pages
        """
    typealias Row = (
        UUID, UUID, String, String, [String], [String], [String], String, Int, Int64,
        Int, Date?, Date?, String, String?, UUID?, Date, Date, Int64, Int, Int64, Int64, Bool, [String]
    )

    public func create(tenantID: UUID, settings: CampaignSettings, createdBy: UUID) async throws -> CampaignRecord {
        try await database.withTenant(tenantID) { connection in
            let s = settings
            let rows = try await connection.query(
                """
                INSERT INTO campaigns (tenant_id, id, name, target_url, anchor_texts, keywords, engines, priority,
                                       daily_limit, budget_micros, min_authority, starts_at, ends_at, created_by, verify_every_hours,
                                       auto_approve, comment_pages)
                VALUES (\(tenantID), \(UUID()), \(s.name), \(s.targetURL), \(s.anchorTexts), \(s.keywords),
                        \(s.engines.map(\.rawValue)), \(s.priority.rawValue), \(s.dailyLimit), \(s.budgetMicros),
                        \(s.minAuthority), \(s.startsAt), \(s.endsAt), \(createdBy), \(s.verifyEveryHours), \(s.autoApprove),
                        \(s.commentPages))
                RETURNING \(unescaped: Self.columns)
                """, logger: database.logger)
            return try await Self.single(rows)
        }
    }

    /// How many of the campaign's tasks are in each state (for its page, which polls it).
    public func taskCounts(tenantID: UUID, id: UUID) async throws -> [String: Int] {
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                "SELECT state, count(*)::int FROM tasks WHERE campaign_id = \(id) GROUP BY state", logger: database.logger
            ).decode((String, Int).self).reduce(into: [String: Int]()) { $0[$1.0] = $1.1 }
        }
    }

    public func campaign(tenantID: UUID, id: UUID) async throws -> CampaignRecord? {
        try await database.withTenant(tenantID) { connection in
            try await Self.fetch(id: id, lock: false, on: connection)
        }
    }

    public func list(tenantID: UUID, status: CampaignStatus?, limit: Int, after cursor: PageCursor?) async throws -> Page<CampaignRecord> {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM campaigns
                WHERE (\(status == nil) OR status = \(status?.rawValue ?? ""))
                  AND (\(cursor == nil) OR (created_at, id) < (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID())))
                ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [CampaignRecord] = []
            for try await row in rows.decode(Row.self) { fetched.append(try Self.record(row)) }
            return Page(fetched: fetched, limit: limit) { PageCursor(micros: $0.createdMicros, id: $0.id) }
        }
    }

    /// Applies `input` to the campaign's settings under a row lock. Archived campaigns are frozen.
    public func update(tenantID: UUID, id: UUID, input: CampaignSettings.Input) async throws -> CampaignRecord {
        try await database.withTenant(tenantID) { connection in
            guard var current = try await Self.fetch(id: id, lock: true, on: connection) else { throw StoreError.notFound }
            guard current.status != .archived else { throw CampaignError.archived }
            let before = current.settings
            try current.settings.apply(input)
            let s = current.settings
            let rows = try await connection.query(
                """
                UPDATE campaigns SET name = \(s.name), target_url = \(s.targetURL), anchor_texts = \(s.anchorTexts),
                    keywords = \(s.keywords), engines = \(s.engines.map(\.rawValue)), priority = \(s.priority.rawValue),
                    daily_limit = \(s.dailyLimit), budget_micros = \(s.budgetMicros), min_authority = \(s.minAuthority),
                    starts_at = \(s.startsAt), ends_at = \(s.endsAt), verify_every_hours = \(s.verifyEveryHours), auto_approve = \(s.autoApprove),
                    comment_pages = \(s.commentPages), updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """, logger: database.logger)
            var updated = try await Self.single(rows)
            // Paused for its budget and now given more: it resumes by itself.
            if updated.status == .paused, updated.statusReason == Self.budgetExhausted, s.budgetMicros != before.budgetMicros,
                s.budgetMicros == 0 || s.budgetMicros > updated.spentMicros + updated.reservedMicros
            {
                updated = try await Self.single(
                    try await connection.query(
                        """
                        UPDATE campaigns SET status = 'active', status_reason = NULL, updated_at = now()
                        WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                        """, logger: database.logger))
                try await TaskQueue.notify(lane: Lane(updated.settings.priority), on: connection)
            }
            // A started campaign whose schedule changed is re-planned; only work that has not
            // started is replaced, and slots that already ran keep their keys and are skipped.
            if updated.status.holdsASlot, Self.scheduleChanged(before, s) {
                try await TaskPlanner.dropPending(campaignID: id, on: connection)
                try await TaskPlanner.enqueue(CampaignPlan(campaignID: id, settings: s, now: Date()), campaign: updated, on: connection)
            }
            return updated
        }
    }

    /// The status reason of a campaign paused because it could not afford its next task.
    public static let budgetExhausted = "budget_exhausted"

    static func scheduleChanged(_ a: CampaignSettings, _ b: CampaignSettings) -> Bool {
        a.dailyLimit != b.dailyLimit || a.engines != b.engines || a.anchorTexts != b.anchorTexts || a.startsAt != b.startsAt
            || a.endsAt != b.endsAt || a.priority != b.priority || a.targetURL != b.targetURL
    }

    /// Deletes a campaign that is not running. Returns false when there is none with this id.
    public func delete(tenantID: UUID, id: UUID) async throws -> Bool {
        try await database.withTenant(tenantID) { connection in
            guard let current = try await Self.fetch(id: id, lock: true, on: connection) else { return false }
            guard current.status != .active else { throw CampaignError.isActive }
            try await connection.query("DELETE FROM campaigns WHERE id = \(id)", logger: database.logger)
            return true
        }
    }

    /// Moves the campaign through its lifecycle. Starting checks the plan's active-campaign limit
    /// with the tenant row locked, so concurrent starts cannot together exceed it.
    public func perform(_ action: CampaignStatus.Action, tenantID: UUID, id: UUID, reason: String? = nil) async throws -> CampaignRecord {
        try await database.withTenant(tenantID) { connection in
            let plan = try await Self.plan(of: tenantID, lock: true, on: connection)
            guard let current = try await Self.fetch(id: id, lock: true, on: connection) else { throw StoreError.notFound }
            guard let next = current.status.applying(action) else {
                throw CampaignError.illegalTransition(from: current.status, action: action)
            }
            if next.holdsASlot, !current.status.holdsASlot {
                let holding = try await connection.query(
                    "SELECT count(*) FROM campaigns WHERE status IN ('active', 'paused')", logger: database.logger
                ).decode(Int.self).reduce(0, +)
                guard holding < plan.activeCampaigns else { throw CampaignError.activeCampaignLimit(plan) }
            }
            let rows = try await connection.query(
                """
                UPDATE campaigns SET status = \(next.rawValue), status_reason = \(reason), updated_at = now()
                WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                """, logger: database.logger)
            let updated = try await Self.single(rows)
            switch action {
            case .start:
                try await TaskPlanner.enqueue(
                    CampaignPlan(campaignID: id, settings: updated.settings, now: Date()), campaign: updated, on: connection)
            case .archive, .complete:
                try await TaskPlanner.cancelPending(campaignID: id, on: connection)
            case .pause, .resume:
                break  // tasks stay; the dequeue skips campaigns that are not active
            }
            return updated
        }
    }

    // MARK: Helpers

    static func plan(of tenantID: UUID, lock: Bool, on connection: PostgresConnection) async throws -> PlanLimits {
        let rows = try await connection.query(
            """
            SELECT p.name, p.active_campaigns, p.placements_per_month, p.concurrent_tasks, p.api_requests_per_minute
            FROM tenants t JOIN plans p ON p.name = t.plan WHERE t.id = \(tenantID)
            \(unescaped: lock ? "FOR UPDATE OF t" : "")
            """, logger: connection.logger)
        for try await (name, campaigns, placements, tasks, rpm) in rows.decode((String, Int, Int, Int, Int).self) {
            return PlanLimits(
                name: name, activeCampaigns: campaigns, placementsPerMonth: placements,
                concurrentTasks: tasks, apiRequestsPerMinute: rpm)
        }
        throw StoreError.notFound
    }

    static func fetch(id: UUID, lock: Bool, on connection: PostgresConnection) async throws -> CampaignRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: columns) FROM campaigns WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: connection.logger)
        for try await row in rows.decode(Row.self) { return try record(row) }
        return nil
    }

    static func single(_ rows: PostgresRowSequence) async throws -> CampaignRecord {
        for try await row in rows.decode(Row.self) { return try record(row) }
        throw StoreError.notFound
    }

    static func record(_ r: Row) throws -> CampaignRecord {
        let settings = CampaignSettings(
            name: r.2, targetURL: r.3, anchorTexts: r.4, keywords: r.5,
            engines: r.6.compactMap(PlacementEngine.init(rawValue:)), priority: CampaignPriority(rawValue: r.7) ?? .normal,
            dailyLimit: r.8, budgetMicros: r.9, minAuthority: r.10, startsAt: r.11, endsAt: r.12, verifyEveryHours: r.19)
        var autoApproving = settings
        autoApproving.autoApprove = r.22
        autoApproving.commentPages = r.23
        return CampaignRecord(
            tenantID: r.0, id: r.1, settings: autoApproving, status: CampaignStatus(rawValue: r.13) ?? .draft,
            statusReason: r.14, createdBy: r.15, createdAt: r.16, updatedAt: r.17, createdMicros: r.18,
            spentMicros: r.20, reservedMicros: r.21)
    }
}
