import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// A job as JSON creates it: the domains and keywords as arrays (a file upload sends them as
/// multipart files instead).
struct ProspectJobRequest: Decodable {
    var name: String?
    var domains: [String]?
    var keywords: [String]?
    var mode: String?
    var maxCredits: Int64?
    var maxPagesPerDomain: Int?
    var fullCrawlThreshold: Int?
    var clientDomain: String?
    var autoStart: Bool?

    var settings: ProspectJobSettings.Input {
        ProspectJobSettings.Input(
            name: name, mode: mode, maxCredits: maxCredits, maxPagesPerDomain: maxPagesPerDomain, fullCrawlThreshold: fullCrawlThreshold,
            clientDomain: clientDomain)
    }
}

/// `PATCH /prospecting/jobs/{id}`: the credit cap is the one thing that changes after creation.
struct ProspectJobChange: Decodable {
    var maxCredits: Int64?
}

/// A job's status: everything here comes from counters kept as work completes, so it answers at
/// once whatever the job's size.
struct ProspectJobBody: ResponseEncodable, Sendable {
    struct Progress: Encodable, Sendable {
        let done: Int
        let total: Int
        let percent: Double
        let crawled: Int
        let failed: Int
        let inFlight: Int
    }
    struct Throughput: Encodable, Sendable {
        let domainsLastQuarterHour: Int
        let domainsPerHour: Int
    }
    struct Requests: Encodable, Sendable {
        let direct: Int64
        let premium: Int64
        let premiumJs: Int64
    }
    struct Estimate: Encodable, Sendable {
        let pagesLow: Int64
        let pagesHigh: Int64
        let creditsLow: Int64
        let creditsHigh: Int64
        let costLowMicros: Int64
        let costHighMicros: Int64
    }

    let id: String
    let name: String
    let state: String
    let statusReason: String?
    let mode: String
    let keywords: [String]
    let clientDomain: String?
    let maxCredits: Int64
    let maxPagesPerDomain: Int
    let fullCrawlThreshold: Int
    let domainsTotal: Int
    let duplicatesRemoved: Int
    let progress: Progress
    let throughput: Throughput?
    let eta: Date?
    let pagesFetched: Int64
    let requests: Requests
    let creditsUsed: Int64
    let creditsCostMicros: Int64
    let costMicros: Int64
    let matches: Int64
    let estimate: Estimate?
    let createdAt: Date
    let startedAt: Date?
    let completedAt: Date?
    let lastActivityAt: Date?
    /// When the results and files are removed (90 days after the job ended).
    let retainUntil: Date?

    init(
        _ job: ProspectJobRecord, throughput: ProspectThroughput? = nil, estimate: ProspectEstimate? = nil, creditMicros: Int64,
        now: Date = Date()
    ) {
        id = job.id.uuidString.lowercased()
        name = job.settings.name
        state = job.state.rawValue
        statusReason = job.statusReason
        mode = job.settings.mode.rawValue
        keywords = job.keywords
        clientDomain = job.settings.clientDomain
        maxCredits = job.settings.maxCredits
        maxPagesPerDomain = job.settings.maxPagesPerDomain
        fullCrawlThreshold = job.settings.fullCrawlThreshold
        domainsTotal = job.domainsTotal
        duplicatesRemoved = job.duplicatesRemoved
        let done = job.domainsFinished
        progress = Progress(
            done: done, total: job.domainsTotal,
            percent: job.domainsTotal == 0 ? 0 : (Double(done * 1000 / job.domainsTotal) / 10), crawled: job.domainsDone,
            failed: job.domainsFailed, inFlight: job.inFlight)
        self.throughput = throughput.map { Throughput(domainsLastQuarterHour: $0.domainsLast15Minutes, domainsPerHour: $0.domainsPerHour) }
        eta = job.state == .running ? throughput?.eta(remaining: job.domainsTotal - done, now: now) : nil
        pagesFetched = job.pagesFetched
        requests = Requests(direct: job.directRequests, premium: job.premiumRequests - job.jsRequests, premiumJs: job.jsRequests)
        creditsUsed = job.creditsUsed
        creditsCostMicros = job.creditsUsed * creditMicros
        costMicros = job.costMicros
        matches = job.matches
        self.estimate = estimate.map {
            Estimate(
                pagesLow: $0.pagesLow, pagesHigh: $0.pagesHigh, creditsLow: $0.creditsLow, creditsHigh: $0.creditsHigh,
                costLowMicros: $0.creditsLow * creditMicros, costHighMicros: $0.creditsHigh * creditMicros)
        }
        createdAt = job.createdAt
        startedAt = job.startedAt
        completedAt = job.completedAt
        lastActivityAt = job.lastActivityAt
        retainUntil = job.retainUntil
    }
}

/// What creating a job said about its input, beside the job.
struct ProspectJobCreatedBody: ResponseEncodable, Sendable {
    let job: ProspectJobBody
    /// "removed 127 duplicates, 4,873 unique domains".
    let summary: String
    let keywordsCount: Int
}

/// One match in `GET /prospecting/jobs/{id}/results`.
struct ProspectResultBody: Encodable, Sendable {
    let domain: String
    let url: String
    let keyword: String
    let frequency: Int
    let contextSnippet: String
    let crawlMethod: String
    let httpStatus: Int
    let alreadyLinks: Bool
    let timestamp: Date

    init(_ record: ProspectResultRecord) {
        domain = record.domain
        url = record.url
        keyword = record.keyword
        frequency = record.frequency
        contextSnippet = record.context
        crawlMethod = record.crawlMethod
        httpStatus = record.httpStatus
        alreadyLinks = record.alreadyLinks
        timestamp = record.foundAt
    }
}

/// An export: running, then ready with a download link that lasts 7 days.
struct ProspectExportBody: ResponseEncodable, Sendable {
    let id: String
    let jobId: String
    let format: String
    let state: String
    let rows: Int64
    let bytes: Int64
    let error: String?
    let downloadUrl: String?
    let createdAt: Date
    let readyAt: Date?
    let expiresAt: Date
    /// When the job's results (and every export of them) are removed: 90 days after it ended.
    let resultsRemovedAt: Date?
    let warning: String?

    init(_ export: ProspectExportRecord, downloadURL: String?, resultsRemovedAt: Date?) {
        id = export.id.uuidString.lowercased()
        jobId = export.jobID.uuidString.lowercased()
        format = export.format
        state = export.state
        rows = export.rows
        bytes = export.bytes
        error = export.error
        downloadUrl = downloadURL
        createdAt = export.createdAt
        readyAt = export.readyAt
        expiresAt = export.expiresAt
        self.resultsRemovedAt = resultsRemovedAt
        warning = resultsRemovedAt.map {
            "the job's results and files are removed on \($0.formatted(.iso8601.year().month().day())) (90 days after it ended): keep a copy"
        }
    }
}
