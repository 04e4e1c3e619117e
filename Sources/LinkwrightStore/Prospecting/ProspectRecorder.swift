import Foundation
import LinkwrightCore
import PostgresNIO

/// Records what crawling one domain found, in the transaction that completes its task: the
/// task's direct requests in the ledger (its premium credits were charged request by request,
/// `ProspectJobRepository.chargeCredits`), the matches in the job's partition, the domain's outcome, the
/// job's counters, and the next domain issued. A task completed already (its lease reaped and
/// the domain crawled again by another worker) records nothing: its completion is keyed by the
/// task, and a match is unique by job, URL and keyword.
public struct ProspectRecorder: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public struct Recorded: Sendable, Equatable {
        public let matches: Int
        public let state: ProspectJobState?
    }

    /// Nil when this worker no longer held the task.
    public func record(_ task: ClaimedTask, result: ProspectDomainResult, usage: [Usage], owner: String) async throws -> Recorded? {
        try await database.withTenant(task.tenantID) { connection in
            let completion = CompleteChargingStatement(
                ids: [task.id], results: [try result.summaryJSON()], owner: owner, usage: CostRecording.usageJSON([(task.id, usage)]))
            var completed = false
            for try await _ in try await connection.execute(completion, logger: database.logger) { completed = true }
            guard completed else { return nil }
            let inserted = try await Self.insertMatches(result, tenantID: task.tenantID, on: connection)
            let keys = usage.map { "\(task.idempotencyKey):\($0.kind.rawValue)" }
            let cost =
                try await connection.query(
                    "SELECT coalesce(sum(amount_micros), 0)::bigint FROM cost_ledger WHERE idempotency_key = ANY(\(keys)::text[])",
                    logger: database.logger
                ).decode(Int64.self).first { _ in true } ?? 0
            let failed = result.outcome != .crawled
            let rows = try await connection.query(
                """
                UPDATE prospect_domains SET state = \(result.outcome.rawValue), failure_reason = \(result.failureReason),
                    http_status = \(result.httpStatus), retry_count = \(result.retryCount), last_attempt_at = now(), pages = \(result.pages),
                    direct_requests = \(result.directRequests), premium_requests = \(result.premiumRequests), js_requests = \(result.jsRequests),
                    credits = \(result.credits),
                    cost_micros = \(cost) + \(result.credits) * (SELECT micros_per_unit FROM unit_costs WHERE kind = 'scrape_credits'),
                    matches = \(inserted), finished_at = now()
                WHERE job_id = \(result.jobID) AND position = \(result.position) AND state = 'issued'
                RETURNING position
                """, logger: database.logger)
            guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else {
                // The domain was finished already (or taken back by a pause as this task started):
                // the task is complete, nothing else changes.
                return Recorded(matches: inserted, state: nil)
            }
            try await connection.query(
                """
                UPDATE prospect_jobs SET in_flight = greatest(in_flight - 1, 0),
                    domains_done = domains_done + \(failed ? 0 : 1), domains_failed = domains_failed + \(failed ? 1 : 0),
                    pages_fetched = pages_fetched + \(result.pages), direct_requests = direct_requests + \(result.directRequests),
                    premium_requests = premium_requests + \(result.premiumRequests), js_requests = js_requests + \(result.jsRequests),
                    cost_micros = cost_micros + \(cost), matches = matches + \(inserted),
                    last_activity_at = now(), updated_at = now()
                WHERE id = \(result.jobID)
                """, logger: database.logger)
            let state = try await ProspectIssuing.advance(tenantID: task.tenantID, jobID: result.jobID, on: connection)
            return Recorded(matches: inserted, state: state)
        }
    }

    /// One statement for all of a domain's matches, bound as one JSON array.
    static func insertMatches(_ result: ProspectDomainResult, tenantID: UUID, on connection: PostgresConnection) async throws -> Int {
        guard !result.matches.isEmpty else { return 0 }
        let json = String(decoding: try ProspectDomainResult.encoder.encode(result.matches), as: UTF8.self)
        let rows = try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO prospect_results (tenant_id, job_id, domain, url, keyword, frequency, context, crawl_method, http_status,
                                              already_links, found_at)
                SELECT \(tenantID), \(result.jobID), \(result.domain), m.url, m.keyword, m.frequency, m.context, m.crawl_method, m.http_status,
                       m.already_links, m.found_at
                FROM jsonb_to_recordset(\(json)::jsonb) AS m(url text, keyword text, frequency int, context text, crawl_method text,
                                                              http_status int, already_links boolean, found_at timestamptz)
                ON CONFLICT (tenant_id, job_id, url_key, keyword) DO NOTHING
                RETURNING 1
            )
            SELECT count(*)::int FROM inserted
            """, logger: connection.logger)
        return try await rows.decode(Int.self).first { _ in true } ?? 0
    }
}
