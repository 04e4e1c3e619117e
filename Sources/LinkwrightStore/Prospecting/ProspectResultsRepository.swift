import Foundation
import LinkwrightCore
import PostgresNIO

/// One stored keyword match.
public struct ProspectResultRecord: Sendable, Equatable {
    public let id: Int64
    public let domain: String
    public let url: String
    public let keyword: String
    public let frequency: Int
    public let context: String
    public let crawlMethod: String
    public let httpStatus: Int
    public let alreadyLinks: Bool
    public let foundAt: Date
}

/// What became of one domain of a job, for the error and cost reports.
public struct ProspectDomainRecord: Sendable, Equatable {
    public let position: Int
    public let domain: String
    public let state: String
    public let failureReason: String?
    public let httpStatus: Int?
    public let retryCount: Int
    public let lastAttemptAt: Date?
    public let pages: Int
    public let directRequests: Int
    public let premiumRequests: Int
    public let jsRequests: Int
    public let credits: Int
    public let costMicros: Int64
}

/// A job's results and domains, read a page at a time by key (each page its own short
/// transaction), so a report or an export of millions of rows never holds them all.
public struct ProspectResultsRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    static let resultColumns = "id, domain, url, keyword, frequency, context, crawl_method, http_status, already_links, found_at"

    static func results(_ rows: PostgresRowSequence) async throws -> [ProspectResultRecord] {
        var records: [ProspectResultRecord] = []
        for try await (id, domain, url, keyword, frequency, context, method, status, links, found) in rows.decode(
            (Int64, String, String, String, Int, String, String, Int, Bool, Date).self)
        {
            records.append(
                ProspectResultRecord(
                    id: id, domain: domain, url: url, keyword: keyword, frequency: frequency, context: context, crawlMethod: method,
                    httpStatus: status, alreadyLinks: links, foundAt: found))
        }
        return records
    }

    /// Matches after `after` (a result id) in id order; `withoutLinks` leaves out pages that
    /// already link to the client.
    public func results(tenantID: UUID, jobID: UUID, after: Int64?, limit: Int, withoutLinks: Bool = false) async throws -> [ProspectResultRecord] {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.resultColumns)
                FROM prospect_results
                WHERE job_id = \(jobID) AND id > \(after ?? 0) AND (NOT \(withoutLinks) OR NOT already_links)
                ORDER BY id LIMIT \(limit)
                """, logger: database.logger)
            return try await Self.results(rows)
        }
    }

    /// Every match of the job in domain order (the JSON export groups by domain and keyword), a
    /// page at a time: `body` gets each page as it is read.
    public func eachResultByDomain(
        tenantID: UUID, jobID: UUID, pageSize: Int = 2000, _ body: ([ProspectResultRecord]) async throws -> Void
    ) async throws {
        var after: (String, String, Int64) = ("", "", 0)
        while true {
            let page = try await database.withTenant(tenantID) { connection in
                let rows = try await connection.query(
                    """
                    SELECT \(unescaped: Self.resultColumns)
                    FROM prospect_results
                    WHERE job_id = \(jobID) AND (domain, keyword, id) > (\(after.0), \(after.1), \(after.2))
                    ORDER BY domain, keyword, id LIMIT \(pageSize)
                    """, logger: database.logger)
                return try await Self.results(rows)
            }
            guard let last = page.last else { return }
            try await body(page)
            after = (last.domain, last.keyword, last.id)
        }
    }

    /// The job's domains after `after` (a position) in order; `failedOnly` keeps the ones that
    /// failed or were disallowed.
    public func domains(tenantID: UUID, jobID: UUID, after: Int?, limit: Int, failedOnly: Bool) async throws -> [ProspectDomainRecord] {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT position, domain, state, failure_reason, http_status, retry_count, last_attempt_at, pages, direct_requests,
                       premium_requests, js_requests, credits, cost_micros
                FROM prospect_domains
                WHERE job_id = \(jobID) AND position > \(after ?? -1) AND (NOT \(failedOnly) OR state IN ('failed', 'disallowed'))
                ORDER BY position LIMIT \(limit)
                """, logger: database.logger)
            var records: [ProspectDomainRecord] = []
            for try await row in rows {
                let (position, domain, state, reason, status, retries, last) = try row.decode((Int, String, String, String?, Int?, Int, Date?).self)
                let columns = row.makeRandomAccess()
                records.append(
                    ProspectDomainRecord(
                        position: position, domain: domain, state: state, failureReason: reason, httpStatus: status, retryCount: retries,
                        lastAttemptAt: last, pages: try columns[7].decode(Int.self), directRequests: try columns[8].decode(Int.self),
                        premiumRequests: try columns[9].decode(Int.self), jsRequests: try columns[10].decode(Int.self),
                        credits: try columns[11].decode(Int.self), costMicros: try columns[12].decode(Int64.self)))
            }
            return records
        }
    }
}
