import Foundation
import LinkwrightCore

/// A prospecting job with its progress counters, as status shows it.
public struct ProspectJobRecord: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public let settings: ProspectJobSettings
    public let keywords: [String]
    public let state: ProspectJobState
    public let statusReason: String?
    public let domainsTotal: Int
    public let duplicatesRemoved: Int
    public let inFlight: Int
    public let domainsDone: Int
    public let domainsFailed: Int
    public let pagesFetched: Int64
    public let directRequests: Int64
    public let premiumRequests: Int64
    public let jsRequests: Int64
    public let creditsUsed: Int64
    public let costMicros: Int64
    public let matches: Int64
    public let createdAt: Date
    public let startedAt: Date?
    public let completedAt: Date?
    public let lastActivityAt: Date?
    public let retainUntil: Date?
    let createdMicros: Int64

    /// Domains finished either way.
    public var domainsFinished: Int { domainsDone + domainsFailed }
}

/// How fast a job goes now, from the domains it finished in the last 15 minutes.
public struct ProspectThroughput: Sendable, Equatable {
    public let domainsLast15Minutes: Int
    /// Domains per hour at that pace.
    public var domainsPerHour: Int { domainsLast15Minutes * 4 }

    /// When the job would finish at that pace; nil when it is not moving.
    public func eta(remaining: Int, now: Date) -> Date? {
        guard domainsLast15Minutes > 0, remaining > 0 else { return nil }
        return now.addingTimeInterval(Double(remaining) * 900 / Double(domainsLast15Minutes))
    }
}
