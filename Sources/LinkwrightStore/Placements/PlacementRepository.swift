import Foundation
import LinkwrightCore
import PostgresNIO

public struct PlacementRecord: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public let campaignID: UUID?
    public let sourceURL: String
    public let targetURL: String
    public let expectedAnchor: String?
    public let ignoreWWW: Bool
    public let ignoreTrailingSlash: Bool
    public let state: PlacementState
    public let checks: Int
    public let lastCheckedAt: Date?
    public let nextCheckAt: Date?
    public let createdAt: Date
    let createdMicros: Int64
    /// The rel the platform is known to add (`nofollow ugc` on blog comments): expected, not an alarm.
    public var expectedRel: String? = nil
    /// While a held comment waits for the site's moderator, until when.
    public var moderationUntil: Date? = nil
}

public struct NewPlacement: Sendable {
    public var sourceURL: String
    public var targetURL: String
    public var expectedAnchor: String?
    public var campaignID: UUID?
    public var ignoreWWW: Bool
    public var ignoreTrailingSlash: Bool
    public init(
        sourceURL: String, targetURL: String, expectedAnchor: String? = nil, campaignID: UUID? = nil,
        ignoreWWW: Bool = true, ignoreTrailingSlash: Bool = true
    ) {
        self.sourceURL = sourceURL
        self.targetURL = targetURL
        self.expectedAnchor = expectedAnchor
        self.campaignID = campaignID
        self.ignoreWWW = ignoreWWW
        self.ignoreTrailingSlash = ignoreTrailingSlash
    }
}

public enum PlacementError: Error, Equatable, Sendable {
    /// Creating would exceed the plan's placements this month.
    case monthlyLimit(PlanLimits)
    case duplicate
    case unknownCampaign
}

public struct CheckRecord: Sendable {
    public let check: LinkCheckResult
    let micros: Int64
    let id: Int64
}

public struct EventRecord: Sendable {
    public let id: Int64
    public let type: String
    public let placementID: UUID?
    public let payload: String
    public let createdAt: Date
}

/// Placements, their checks and lost-link events. Each placement is verified by tasks in the
/// verification lane; the check a task brings back is applied by `record`, inside the
/// transaction that completes that task.
public struct PlacementRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// The start of this calendar month in UTC, as SQL.
    static let monthStart = "date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"

    static let columns = """
        tenant_id, id, campaign_id, source_url, target_url, expected_anchor, state, checks, last_checked_at, next_check_at,
        created_at, (extract(epoch FROM created_at) * 1000000)::bigint, ignore_www, ignore_trailing_slash, expected_rel, moderation_until
        """
    typealias Row = (UUID, UUID, UUID?, String, String, String?, String, Int, Date?, Date?, Date, Int64, Bool, Bool, String?, Date?)

    static func record(_ r: Row) -> PlacementRecord {
        PlacementRecord(
            tenantID: r.0, id: r.1, campaignID: r.2, sourceURL: r.3, targetURL: r.4, expectedAnchor: r.5,
            ignoreWWW: r.12, ignoreTrailingSlash: r.13,
            state: PlacementState(rawValue: r.6) ?? .pending, checks: r.7, lastCheckedAt: r.8, nextCheckAt: r.9,
            createdAt: r.10, createdMicros: r.11, expectedRel: r.14, moderationUntil: r.15)
    }

    /// Creates placements and their first verification tasks in one transaction, with the
    /// tenant's row locked so concurrent creations cannot together pass the monthly limit. A
    /// source and target pair already placed is a duplicate (409 for one, a row error in an import).
    /// Returns the records and, for an import, which inputs were duplicates (by index).
    public func create(tenantID: UUID, _ inputs: [NewPlacement]) async throws -> (created: [PlacementRecord], duplicates: [Int]) {
        guard !inputs.isEmpty else { return ([], []) }
        return try await database.withTenant(tenantID) { connection in
            let plan = try await CampaignRepository.plan(of: tenantID, lock: true, on: connection)
            let used =
                try await connection.query(
                    "SELECT count(*)::int FROM placements WHERE created_at >= \(unescaped: Self.monthStart)", logger: database.logger
                ).decode(Int.self).first { _ in true } ?? 0
            if let campaigns = Optional(Set(inputs.compactMap(\.campaignID))), !campaigns.isEmpty {
                let known =
                    try await connection.query(
                        "SELECT count(*)::int FROM campaigns WHERE id = ANY(\(Array(campaigns)))",
                        logger: database.logger
                    ).decode(Int.self).first { _ in true } ?? 0
                guard known == campaigns.count else { throw PlacementError.unknownCampaign }
            }
            let ids = inputs.map { _ in UUID() }
            let rows = try await connection.query(
                """
                INSERT INTO placements (tenant_id, id, campaign_id, source_url, target_url, expected_anchor, next_check_at,
                                        ignore_www, ignore_trailing_slash)
                SELECT \(tenantID), i.id, NULLIF(i.campaign_id, '')::uuid, i.source_url, i.target_url, NULLIF(i.anchor, ''), now(),
                       i.ignore_www, i.ignore_slash
                FROM unnest(\(ids)::uuid[], \(inputs.map { $0.campaignID?.uuidString ?? "" })::text[], \(inputs.map(\.sourceURL))::text[],
                            \(inputs.map(\.targetURL))::text[], \(inputs.map { $0.expectedAnchor ?? "" })::text[],
                            \(inputs.map(\.ignoreWWW))::bool[], \(inputs.map(\.ignoreTrailingSlash))::bool[])
                     WITH ORDINALITY AS i(id, campaign_id, source_url, target_url, anchor, ignore_www, ignore_slash, ord)
                ORDER BY i.ord
                ON CONFLICT (tenant_id, source_url, target_url) DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """, logger: database.logger)
            var created: [PlacementRecord] = []
            for try await row in rows.decode(Row.self) { created.append(Self.record(row)) }
            guard used + created.count <= plan.placementsPerMonth else { throw PlacementError.monthlyLimit(plan) }
            let createdIDs = Set(created.map(\.id))
            let duplicates = ids.indices.filter { !createdIDs.contains(ids[$0]) }
            try await TaskQueue.insert(
                created.map { Self.verificationTask($0, key: "verify-\($0.id.uuidString.lowercased())-1", runAt: nil) },
                tenantID: tenantID, on: connection)
            let order = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
            return (created.sorted { order[$0.id]! < order[$1.id]! }, duplicates)
        }
    }

    /// Holds the post at `pageURL` for the comment slot `slotKey`: one comment per post per
    /// tenant, whichever campaign plans it. True for the slot holding it (again on a retry).
    public func claimPost(tenantID: UUID, pageURL: String, slotKey: String) async throws -> Bool {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                WITH claimed AS (
                    INSERT INTO comment_posts (tenant_id, page_url, slot_key) VALUES (\(tenantID), \(pageURL), \(slotKey))
                    ON CONFLICT (tenant_id, page_url) DO NOTHING RETURNING slot_key
                )
                SELECT slot_key FROM claimed UNION ALL SELECT slot_key FROM comment_posts WHERE page_url = \(pageURL)
                """, logger: database.logger)
            for try await holder in rows.decode(String.self) { return holder == slotKey }
            return false
        }
    }

    /// How many placements the tenant's plan still allows this calendar month (UTC), of how many,
    /// and when the allowance starts again. Engines ask before publishing: a link placed on a
    /// platform cannot be taken back when the limit turns out to be reached.
    ///
    /// The tenant's other publishing tasks running now (not `publishingTask`) count as placed:
    /// each may place a link before it completes, and two that asked at the same moment each see
    /// the other, so together they cannot pass the limit.
    public func monthlyAllowance(tenantID: UUID, publishingTask: Int64? = nil) async throws -> (left: Int, limit: Int, resetsAt: Date) {
        try await database.withTenant(tenantID) { connection in
            let plan = try await CampaignRepository.plan(of: tenantID, lock: false, on: connection)
            let engines = PlacementEngine.allCases.map(\.rawValue)
            let used =
                try await connection.query(
                    """
                    SELECT (SELECT count(*) FROM placements WHERE created_at >= \(unescaped: Self.monthStart))::int
                         + (SELECT count(*) FROM tasks WHERE state = 'running' AND engine = ANY(\(engines))
                              AND id <> \(publishingTask ?? -1))::int
                    """, logger: database.logger
                ).decode(Int.self).first { _ in true } ?? 0
            return (max(0, plan.placementsPerMonth - used), plan.placementsPerMonth, BillingPeriod.containing(Date()).end)
        }
    }

    static func verificationTask(_ placement: PlacementRecord, key: String, runAt: Date?) -> NewTask {
        let payload: [String: Any] = [
            "placement_id": placement.id.uuidString.lowercased(), "source_url": placement.sourceURL, "target_url": placement.targetURL,
            "expected_anchor": placement.expectedAnchor ?? NSNull(), "ignore_www": placement.ignoreWWW,
            "ignore_trailing_slash": placement.ignoreTrailingSlash,
        ]
        let json = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return NewTask(lane: .verification, engine: "verification", payload: json, idempotencyKey: key, runAt: runAt, maxAttempts: 3)
    }

    public func placement(tenantID: UUID, id: UUID) async throws -> PlacementRecord? {
        try await database.withTenant(tenantID) { connection in
            try await connection.query("SELECT \(unescaped: Self.columns) FROM placements WHERE id = \(id)", logger: database.logger)
                .decode(Row.self).first { _ in true }.map(Self.record)
        }
    }

    public func list(tenantID: UUID, state: PlacementState?, campaignID: UUID?, limit: Int, after cursor: PageCursor?) async throws -> Page<
        PlacementRecord
    > {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM placements
                WHERE (\(state == nil) OR state = \(state?.rawValue ?? ""))
                  AND (\(campaignID == nil) OR campaign_id = \(campaignID ?? UUID()))
                  AND (\(cursor == nil) OR (created_at, id) < (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID())))
                ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [PlacementRecord] = []
            for try await row in rows.decode(Row.self) { fetched.append(Self.record(row)) }
            return Page(fetched: fetched, limit: limit) { PageCursor(micros: $0.createdMicros, id: $0.id) }
        }
    }

    /// Newest first. Nil when the placement is not the tenant's.
    public func checks(tenantID: UUID, placementID: UUID, limit: Int, after cursor: SequenceCursor?) async throws -> (
        items: [LinkCheckResult], next: SequenceCursor?
    )? {
        try await database.withTenant(tenantID) { connection in
            let exists = try await connection.query("SELECT 1 FROM placements WHERE id = \(placementID)", logger: database.logger)
                .decode(Int.self).first { _ in true }
            guard exists != nil else { return nil }
            let rows = try await connection.query(
                """
                SELECT id, checked_at, state, detail, http_status, final_url, redirect_chain::text, link_found, anchor_text, rel,
                       indexable, not_indexable_reason, canonical, response_time_ms
                FROM placement_checks WHERE placement_id = \(placementID)
                  AND (\(cursor == nil) OR id < \(cursor?.after ?? 0))
                ORDER BY id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var items: [(Int64, LinkCheckResult)] = []
            for try await r in rows.decode(
                (Int64, Date, String, String, Int?, String?, String, Bool, String?, [String], Bool?, String?, String?, Int?).self)
            {
                var check = LinkCheckResult(state: PlacementState(rawValue: r.2) ?? .unverifiable, detail: r.3, checkedAt: r.1)
                check.httpStatus = r.4
                check.finalURL = r.5
                check.redirectChain = (try? JSONDecoder().decode([String].self, from: Data(r.6.utf8))) ?? []
                check.linkFound = r.7
                check.anchorText = r.8
                check.rel = r.9
                check.indexable = r.10
                check.notIndexableReason = r.11
                check.canonical = r.12
                check.responseTimeMS = r.13
                items.append((r.0, check))
            }
            let more = items.count > limit
            let page = Array(items.prefix(limit))
            return (page.map(\.1), more ? page.last.map { SequenceCursor(after: $0.0) } : nil)
        }
    }

    /// Queues a check now. One such check per recorded check (the idempotency key names the count),
    /// so a button pressed repeatedly before the check lands does not flood the site. Nil when not
    /// found.
    public func verifyNow(tenantID: UUID, id: UUID) async throws -> PlacementRecord? {
        try await database.withTenant(tenantID) { connection in
            guard
                let placement = try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM placements WHERE id = \(id)", logger: database.logger
                )
                .decode(Row.self).first(where: { _ in true }).map(Self.record)
            else { return nil }
            try await TaskQueue.insert(
                [Self.verificationTask(placement, key: "verify-\(id.uuidString.lowercased())-now-\(placement.checks)", runAt: nil)],
                tenantID: tenantID, on: connection)
            return placement
        }
    }

    public func delete(tenantID: UUID, id: UUID) async throws -> Bool {
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                """
                UPDATE tasks SET state = 'cancelled', finished_at = now(), updated_at = now()
                WHERE engine = 'verification' AND payload->>'placement_id' = \(id.uuidString.lowercased())
                  AND state IN ('scheduled', 'available', 'failed_retryable')
                """, logger: database.logger)
            return try await connection.query("DELETE FROM placements WHERE id = \(id) RETURNING 1", logger: database.logger)
                .decode(Int.self).first { _ in true } != nil
        }
    }

    public func events(tenantID: UUID, type: String?, limit: Int, after cursor: SequenceCursor?) async throws -> (
        items: [EventRecord], next: SequenceCursor?
    ) {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT id, type, placement_id, payload::text, created_at FROM events
                WHERE (\(type == nil) OR type = \(type ?? "")) AND (\(cursor == nil) OR id < \(cursor?.after ?? 0))
                ORDER BY id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var items: [EventRecord] = []
            for try await r in rows.decode((Int64, String, UUID?, String, Date).self) {
                items.append(EventRecord(id: r.0, type: r.1, placementID: r.2, payload: r.3, createdAt: r.4))
            }
            let more = items.count > limit
            let page = Array(items.prefix(limit))
            return (page, more ? page.last.map { SequenceCursor(after: $0.id) } : nil)
        }
    }
}
