import Foundation

/// What crawling one domain of a job found: how it ended, what it cost and every keyword match.
/// The prospecting engine returns it as its task's result; the worker runtime records it with
/// the task's completion.
public struct ProspectDomainResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case crawled
        /// The site could not be read after every attempt; `failureReason` says why.
        case failed
        /// robots.txt does not let us read the homepage: never retried.
        case disallowed
    }

    public struct Match: Codable, Sendable, Equatable {
        public var url: String
        public var keyword: String
        public var frequency: Int
        public var context: String
        public var crawlMethod: CrawlMethod
        public var httpStatus: Int
        public var alreadyLinks: Bool
        public var foundAt: Date

        public init(
            url: String, keyword: String, frequency: Int, context: String, crawlMethod: CrawlMethod, httpStatus: Int, alreadyLinks: Bool,
            foundAt: Date
        ) {
            self.url = url
            self.keyword = keyword
            self.frequency = frequency
            self.context = context
            self.crawlMethod = crawlMethod
            self.httpStatus = httpStatus
            self.alreadyLinks = alreadyLinks
            self.foundAt = foundAt
        }

        enum CodingKeys: String, CodingKey {
            case url, keyword, frequency, context
            case crawlMethod = "crawl_method"
            case httpStatus = "http_status"
            case alreadyLinks = "already_links"
            case foundAt = "found_at"
        }
    }

    public var jobID: UUID
    public var position: Int
    public var domain: String
    public var outcome: Outcome
    public var failureReason: String?
    /// The homepage's status (or the last one seen when the site failed).
    public var httpStatus: Int?
    public var retryCount: Int
    public var pages: Int
    public var directRequests: Int
    public var premiumRequests: Int
    public var jsRequests: Int
    public var credits: Int
    public var matches: [Match]

    public init(jobID: UUID, position: Int, domain: String) {
        self.jobID = jobID
        self.position = position
        self.domain = domain
        outcome = .crawled
        failureReason = nil
        httpStatus = nil
        retryCount = 0
        pages = 0
        directRequests = 0
        premiumRequests = 0
        jsRequests = 0
        credits = 0
        matches = []
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case position, domain, outcome
        case failureReason = "failure_reason"
        case httpStatus = "http_status"
        case retryCount = "retry_count"
        case pages
        case directRequests = "direct_requests"
        case premiumRequests = "premium_requests"
        case jsRequests = "js_requests"
        case credits, matches
    }

    public static func decode(_ json: String) throws -> ProspectDomainResult {
        try decoder.decode(ProspectDomainResult.self, from: Data(json.utf8))
    }

    public func json() throws -> String {
        String(decoding: try Self.encoder.encode(self), as: UTF8.self)
    }

    /// The result without its matches: what the task keeps (the matches live in the job's results).
    public func summaryJSON() throws -> String {
        var summary = self
        summary.matches = []
        return try summary.json()
    }

    /// Times as RFC 3339 with fractions, as PostgreSQL reads them back.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time: \(text)"))
            }
            return date
        }
        return decoder
    }()
}
