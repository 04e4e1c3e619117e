import Foundation
import LinkwrightCore
import PostgresNIO

/// What operators graph about the business, read at scrape time across tenants; every label
/// set is bounded (states, kinds), never a tenant.
public struct BusinessFacts: Sendable, Equatable {
    public var placementsByState: [String: Int] = [:]
    public var draftsByState: [String: Int] = [:]
    /// Connected accounts by platform and state: `failing` ones are work waiting for a person.
    public var connections: [String: [String: Int]] = [:]
    public var activeCampaigns = 0
    public var tenants = 0
    /// This calendar month (UTC) so far, by ledger kind.
    public var costThisMonthMicros: [String: Int64] = [:]
    /// Seconds since the rollup job last finished; nil if it never has.
    public var rollupLagSeconds: Double?
    /// Prospecting jobs by state, and the domains they have not finished (the queue's depth
    /// by job state).
    public var prospectJobs: [String: Int] = [:]
    public var prospectDomainsLeft: [String: Int] = [:]

    public static func read(from database: Database) async throws -> BusinessFacts {
        try await database.withSystem { connection in
            var facts = BusinessFacts()
            for try await (state, count) in try await connection.query(
                "SELECT state, count(*)::int FROM placements GROUP BY state", logger: database.logger
            ).decode((String, Int).self) {
                facts.placementsByState[state] = count
            }
            for try await (state, count) in try await connection.query(
                "SELECT state, count(*)::int FROM drafts GROUP BY state", logger: database.logger
            ).decode((String, Int).self) {
                facts.draftsByState[state] = count
            }
            for try await (platform, state, count) in try await connection.query(
                "SELECT platform, state, count(*)::int FROM connections GROUP BY platform, state", logger: database.logger
            ).decode((String, String, Int).self) {
                facts.connections[platform, default: [:]][state] = count
            }
            facts.activeCampaigns =
                try await connection.query(
                    "SELECT count(*)::int FROM campaigns WHERE status = 'active'", logger: database.logger
                ).decode(Int.self).first { _ in true } ?? 0
            facts.tenants =
                try await connection.query("SELECT count(*)::int FROM tenants", logger: database.logger)
                .decode(Int.self).first { _ in true } ?? 0
            let monthStart = BillingPeriod.containing(Date()).start
            for try await (kind, micros) in try await connection.query(
                """
                SELECT kind, sum(amount_micros)::bigint FROM cost_ledger WHERE occurred_at >= \(monthStart) GROUP BY kind
                """, logger: database.logger
            ).decode((String, Int64).self) {
                facts.costThisMonthMicros[kind] = micros
            }
            for try await (state, jobs, left) in try await connection.query(
                "SELECT state, count(*)::int, coalesce(sum(domains_total - domains_done - domains_failed), 0)::int FROM prospect_jobs GROUP BY state",
                logger: database.logger
            ).decode((String, Int, Int).self) {
                facts.prospectJobs[state] = jobs
                facts.prospectDomainsLeft[state] = left
            }
            facts.rollupLagSeconds = try await connection.query(
                "SELECT extract(epoch FROM now() - finished_at)::float8 FROM job_runs WHERE name = \(RollupRepository.jobName)",
                logger: database.logger
            ).decode(Double.self).first { _ in true }
            return facts
        }
    }
}
