import Foundation
import LinkwrightCore
import LinkwrightStore

/// The CSV files a job's results, failures and costs are read in, row by row: RFC 4180, times
/// in RFC 3339 UTC, money in dollars written from integer micro-dollars (never through a float).
enum ProspectReports {
    static let resultsHeader = ["domain", "url", "keyword", "frequency", "context_snippet", "crawl_method", "timestamp", "http_status"]
    static let errorsHeader = ["domain", "failure_reason", "http_status", "retry_count", "last_attempt_timestamp"]
    static let costsHeader = [
        "domain", "urls_crawled", "direct_requests", "premium_requests", "js_rendering_requests", "total_credits", "estimated_cost_usd",
    ]

    static func line(_ fields: [String]) -> String { fields.map(CSV.field).joined(separator: ",") + "\r\n" }

    static func result(_ record: ProspectResultRecord) -> [String] {
        [
            record.domain, record.url, record.keyword, String(record.frequency), record.context, record.crawlMethod,
            timestamp(record.foundAt), String(record.httpStatus),
        ]
    }

    static func error(_ record: ProspectDomainRecord) -> [String] {
        [
            record.domain, record.failureReason ?? record.state, record.httpStatus.map(String.init) ?? "", String(record.retryCount),
            record.lastAttemptAt.map(timestamp) ?? "",
        ]
    }

    /// `premium_requests` counts every request through the provider, `js_rendering_requests` those
    /// of them that rendered JavaScript.
    static func cost(_ record: ProspectDomainRecord) -> [String] {
        [
            record.domain, String(record.pages), String(record.directRequests), String(record.premiumRequests), String(record.jsRequests),
            String(record.credits), dollars(record.costMicros),
        ]
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }

    /// 1250 micro-dollars → "0.001250".
    static func dollars(_ micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
