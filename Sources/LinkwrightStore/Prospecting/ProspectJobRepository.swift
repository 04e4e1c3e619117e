import Foundation
import LinkwrightCore
import PostgresNIO

/// A tenant's prospecting jobs: created with their domains in one transaction, started, paused
/// and resumed. Every change of what is issued goes through `ProspectIssuing`.
public struct ProspectJobRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns = """
        tenant_id, id, name, mode, state, status_reason, keywords, client_domain, max_credits, max_pages_per_domain,
        full_crawl_threshold, domains_total, duplicates_removed, in_flight, domains_done, domains_failed, pages_fetched,
        direct_requests, premium_requests, js_requests, credits_used, cost_micros, matches, created_at, started_at,
        completed_at, last_activity_at, retain_until, (extract(epoch FROM created_at) * 1000000)::bigint
        """

    static func record(_ row: PostgresRow) throws -> ProspectJobRecord {
        let (tenantID, id, name, mode, state, reason, keywords, client, maxCredits, maxPages) = try row.decode(
            (UUID, UUID, String, String, String, String?, [String], String?, Int64, Int).self)
        let columns = row.makeRandomAccess()
        func value<T: PostgresDecodable>(_ index: Int, _ type: T.Type) throws -> T { try columns[index].decode(T.self) }
        return ProspectJobRecord(
            tenantID: tenantID, id: id,
            settings: ProspectJobSettings(
                name: name, mode: ProspectMode(rawValue: mode) ?? .smartHybrid, maxCredits: maxCredits, maxPagesPerDomain: maxPages,
                fullCrawlThreshold: try value(10, Int.self), clientDomain: client),
            keywords: keywords, state: ProspectJobState(rawValue: state) ?? .failed, statusReason: reason,
            domainsTotal: try value(11, Int.self), duplicatesRemoved: try value(12, Int.self), inFlight: try value(13, Int.self),
            domainsDone: try value(14, Int.self), domainsFailed: try value(15, Int.self), pagesFetched: try value(16, Int64.self),
            directRequests: try value(17, Int64.self), premiumRequests: try value(18, Int64.self), jsRequests: try value(19, Int64.self),
            creditsUsed: try value(20, Int64.self), costMicros: try value(21, Int64.self), matches: try value(22, Int64.self),
            createdAt: try value(23, Date.self), startedAt: try value(24, Date?.self), completedAt: try value(25, Date?.self),
            lastActivityAt: try value(26, Date?.self), retainUntil: try value(27, Date?.self), createdMicros: try value(28, Int64.self))
    }

    /// Stores the job, its domains in their order and its results' partition; with `start`, its
    /// first batch is issued in the same transaction.
    public func create(
        tenantID: UUID, settings: ProspectJobSettings, domains: [String], duplicatesRemoved: Int, keywords: [String], start: Bool
    ) async throws -> ProspectJobRecord {
        let id = UUID()
        return try await database.withTenant(tenantID) { connection in
            try await connection.query(
                """
                INSERT INTO prospect_jobs (tenant_id, id, name, mode, keywords, client_domain, max_credits, max_pages_per_domain,
                                           full_crawl_threshold, domains_total, duplicates_removed)
                VALUES (\(tenantID), \(id), \(settings.name), \(settings.mode.rawValue), \(keywords), \(settings.clientDomain),
                        \(settings.maxCredits), \(settings.maxPagesPerDomain), \(settings.fullCrawlThreshold), \(domains.count),
                        \(duplicatesRemoved))
                """, logger: database.logger)
            try await connection.query(
                """
                INSERT INTO prospect_domains (tenant_id, job_id, position, domain)
                SELECT \(tenantID), \(id), (d.ordinality - 1)::int, d.domain FROM unnest(\(domains)::text[]) WITH ORDINALITY AS d(domain, ordinality)
                """, logger: database.logger)
            try await connection.query("SELECT create_prospect_partition(\(id))", logger: database.logger)
            if start { try await Self.start(tenantID: tenantID, id: id, on: connection) }
            guard let record = try await Self.find(id, on: connection) else { throw StoreError.notFound }
            return record
        }
    }

    public func find(tenantID: UUID, id: UUID) async throws -> ProspectJobRecord? {
        try await database.withTenant(tenantID) { connection in try await Self.find(id, on: connection) }
    }

    static func find(_ id: UUID, on connection: PostgresConnection) async throws -> ProspectJobRecord? {
        let rows = try await connection.query("SELECT \(unescaped: columns) FROM prospect_jobs WHERE id = \(id)", logger: connection.logger)
        for try await row in rows { return try record(row) }
        return nil
    }

    /// Newest first; archived jobs only when asked for.
    public func list(tenantID: UUID, includeArchived: Bool, limit: Int, after cursor: PageCursor?) async throws -> Page<ProspectJobRecord> {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM prospect_jobs
                WHERE (\(includeArchived) OR state <> 'archived')
                  AND (\(cursor == nil) OR (created_at, id) < (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID())))
                ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [ProspectJobRecord] = []
            for try await row in rows { fetched.append(try Self.record(row)) }
            return Page(fetched: fetched, limit: limit) { PageCursor(micros: $0.createdMicros, id: $0.id) }
        }
    }

    /// What a state change found: the job afterwards, or why it could not change.
    public enum Change: Sendable, Equatable {
        case changed(ProspectJobRecord)
        case notFound
        /// The job is in a state the change does not apply to.
        case conflict(ProspectJobState)
    }

    /// Starts a pending job: its first batch goes to the queue.
    public func start(tenantID: UUID, id: UUID) async throws -> Change {
        try await change(tenantID: tenantID, id: id, allowed: [.pending]) { connection in
            try await Self.start(tenantID: tenantID, id: id, on: connection)
        }
    }

    static func start(tenantID: UUID, id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE prospect_jobs SET state = 'running', status_reason = NULL, started_at = coalesce(started_at, now()), updated_at = now()
            WHERE id = \(id)
            """, logger: connection.logger)
        try await ProspectIssuing.advance(tenantID: tenantID, jobID: id, on: connection)
    }

    /// Stops issuing at once: tasks no worker has started are taken back; the job is `pausing`
    /// until the pages being read now are finished and kept, then `paused`.
    public func pause(tenantID: UUID, id: UUID) async throws -> Change {
        try await change(tenantID: tenantID, id: id, allowed: [.running, .pending]) { connection in
            try await ProspectIssuing.settle(id, to: .pausing, reason: "paused by a person", on: connection)
            _ = try await ProspectIssuing.takeBack(jobID: id, on: connection)
            try await ProspectIssuing.advance(tenantID: tenantID, jobID: id, on: connection)
        }
    }

    /// Continues where the job stopped: the domains not finished are issued again, none twice.
    /// A job paused by its credit cap resumes only once the cap allows more.
    public func resume(tenantID: UUID, id: UUID) async throws -> Change {
        try await change(tenantID: tenantID, id: id, allowed: [.paused, .pausing]) { connection in
            try await Self.start(tenantID: tenantID, id: id, on: connection)
        }
    }

    /// Raises (or lowers) the credit cap, for a job paused by its budget or before it runs out.
    public func setMaxCredits(tenantID: UUID, id: UUID, maxCredits: Int64) async throws -> Change {
        try await change(tenantID: tenantID, id: id, allowed: [.pending, .running, .pausing, .paused]) { connection in
            try await connection.query(
                "UPDATE prospect_jobs SET max_credits = \(maxCredits), updated_at = now() WHERE id = \(id)", logger: connection.logger)
        }
    }

    func change(
        tenantID: UUID, id: UUID, allowed: Set<ProspectJobState>, _ body: (PostgresConnection) async throws -> Void
    ) async throws -> Change {
        try await database.withTenant(tenantID) { connection in
            guard let locked = try await ProspectIssuing.lock(id, on: connection) else { return .notFound }
            guard allowed.contains(locked.state) else { return .conflict(locked.state) }
            try await body(connection)
            guard let record = try await Self.find(id, on: connection) else { return .notFound }
            return .changed(record)
        }
    }

    /// One premium request's credits, in the ledger at `unit_costs`' price and on the job's
    /// counters, once per `key` (a repeated key changes nothing).
    public func chargeCredits(tenantID: UUID, jobID: UUID, key: String, credits: Int) async throws {
        guard credits > 0 else { return }
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                """
                WITH charged AS (
                    INSERT INTO cost_ledger (tenant_id, kind, quantity, unit, amount_micros, idempotency_key)
                    SELECT \(tenantID), c.kind, \(credits), c.unit, \(credits) * c.micros_per_unit, \(key)
                    FROM unit_costs c WHERE c.kind = 'scrape_credits'
                    ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                    RETURNING quantity, amount_micros
                )
                UPDATE prospect_jobs j SET credits_used = j.credits_used + charged.quantity, cost_micros = j.cost_micros + charged.amount_micros,
                    updated_at = now()
                FROM charged WHERE j.id = \(jobID)
                """, logger: database.logger)
        }
    }

    /// Domains whose task died in the queue (its worker crashed on every attempt) are failed with
    /// the task's last error, so their job still finishes: a domain never holds a job forever.
    /// Cross-tenant, for the upkeep loop. Returns how many were settled.
    @discardableResult
    public func settleDeadDomains() async throws -> Int {
        let dead = try await database.withSystem { connection in
            try await connection.query(
                """
                SELECT d.tenant_id, d.job_id, d.position, coalesce(t.last_error, 'unknown error')
                FROM prospect_domains d
                JOIN prospect_jobs j ON j.tenant_id = d.tenant_id AND j.id = d.job_id AND j.state IN ('running', 'pausing')
                JOIN tasks_finished t ON t.tenant_id = d.tenant_id
                    AND t.idempotency_key = 'prospect-' || d.job_id::text || '-' || d.position || '-' || d.issues
                WHERE d.state = 'issued' AND t.state = 'dead'
                LIMIT 500
                """, logger: database.logger
            ).collect().map { try $0.decode((UUID, UUID, Int, String).self) }
        }
        for (tenantID, jobID, position, error) in dead {
            try await database.withTenant(tenantID) { connection in
                let rows = try await connection.query(
                    """
                    UPDATE prospect_domains SET state = 'failed', failure_reason = \("Could not be crawled: " + String(error.prefix(400))),
                        last_attempt_at = now(), finished_at = now()
                    WHERE job_id = \(jobID) AND position = \(position) AND state = 'issued'
                    RETURNING position
                    """, logger: database.logger)
                guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else { return }
                try await connection.query(
                    """
                    UPDATE prospect_jobs SET in_flight = greatest(in_flight - 1, 0), domains_failed = domains_failed + 1,
                        last_activity_at = now(), updated_at = now()
                    WHERE id = \(jobID)
                    """, logger: database.logger)
                try await ProspectIssuing.advance(tenantID: tenantID, jobID: jobID, on: connection)
            }
        }
        return dead.count
    }

    /// How many domains the job finished in the last 15 minutes (an index range, however large
    /// the job).
    public func throughput(tenantID: UUID, id: UUID) async throws -> ProspectThroughput {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT count(*)::int FROM prospect_domains
                WHERE job_id = \(id) AND finished_at IS NOT NULL AND finished_at > now() - interval '15 minutes'
                """, logger: database.logger)
            return ProspectThroughput(domainsLast15Minutes: try await rows.decode(Int.self).first { _ in true } ?? 0)
        }
    }

    /// What the tenant's finished jobs crawled and spent, for estimates.
    public func history(tenantID: UUID) async throws -> ProspectEstimate.History {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT coalesce(sum(domains_done), 0)::bigint, coalesce(sum(pages_fetched), 0)::bigint, coalesce(sum(credits_used), 0)::bigint,
                       coalesce(sum(pages_fetched) FILTER (WHERE mode = 'smart-hybrid'), 0)::bigint,
                       coalesce(sum(credits_used) FILTER (WHERE mode = 'smart-hybrid'), 0)::bigint
                FROM prospect_jobs WHERE domains_done > 0
                """, logger: database.logger)
            for try await (domains, pages, credits, hybridPages, hybridCredits) in rows.decode((Int64, Int64, Int64, Int64, Int64).self) {
                return ProspectEstimate.History(
                    domains: domains, pages: pages, credits: credits, hybridPages: hybridPages, hybridCredits: hybridCredits)
            }
            return .none
        }
    }
}
