import Foundation
import LinkwrightCore
import Hummingbird
import LinkwrightStore

/// Campaign and tenant metrics, read only from the hourly rollups (never from the raw tables,
/// so a dashboard costs the same however much work there was).
///
/// `GET /api/v1/campaigns/{id}/metrics?from=&to=&granularity=hour|day` and
/// `GET /api/v1/metrics/summary?from=&to=`: every bucket of the range, empty ones as zeros.
struct AnalyticsController: Sendable {
    let rollups: RollupRepository
    let campaigns: CampaignRepository

    static let maximumBuckets = 1000

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("campaigns/{id}/metrics", use: campaign)
        group.get("metrics/summary", use: summary)
    }

    @Sendable func campaign(_ request: Request, context: AppRequestContext) async throws -> AnalyticsBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        let range = try AnalyticsRange(request)
        guard try await campaigns.campaign(tenantID: actor.tenantID, id: id) != nil else { throw APIError.notFound("campaign") }
        let points = try await rollups.series(
            tenantID: actor.tenantID, campaignID: id, from: range.from, to: range.to, granularity: range.granularity)
        return AnalyticsBody(range: range, points: points)
    }

    @Sendable func summary(_ request: Request, context: AppRequestContext) async throws -> AnalyticsBody {
        let actor = try context.tenant
        let range = try AnalyticsRange(request, defaultGranularity: .day)
        let points = try await rollups.series(
            tenantID: actor.tenantID, campaignID: nil, from: range.from, to: range.to, granularity: range.granularity)
        return AnalyticsBody(range: range, points: points)
    }
}

/// `from`, `to` (RFC 3339; default the last 7 days up to the end of the current hour) and
/// `granularity`, aligned to whole buckets in UTC.
struct AnalyticsRange: Sendable {
    let from: Date
    let to: Date
    let granularity: AnalyticsGranularity

    init(_ request: Request, defaultGranularity: AnalyticsGranularity = .hour) throws {
        let query = request.uri.queryParameters
        var granularity = defaultGranularity
        if let raw = query["granularity"], !raw.isEmpty {
            guard let value = AnalyticsGranularity(rawValue: String(raw)) else { throw APIError.validation("granularity", "must be hour or day") }
            granularity = value
        }
        let step = granularity == .hour ? 3600.0 : 86_400.0
        func time(_ name: String) throws -> Date? {
            guard let raw = query[Substring(name)], !raw.isEmpty else { return nil }
            guard let date = RFC3339.parse(String(raw)) else {
                throw APIError.validation(name, "must be an RFC 3339 time, like 2026-11-01T00:00:00Z")
            }
            return date
        }
        let align = { (date: Date, up: Bool) -> Date in
            let buckets = date.timeIntervalSince1970 / step
            return Date(timeIntervalSince1970: (up ? buckets.rounded(.up) : buckets.rounded(.down)) * step)
        }
        let to = align(try time("to") ?? Date(), true)
        let from = align(try time("from") ?? to.addingTimeInterval(-7 * 86_400), false)
        guard from < to else { throw APIError.validation("from", "must be before to") }
        guard to.timeIntervalSince(from) / step <= Double(AnalyticsController.maximumBuckets) else {
            throw APIError.validation(
                "from",
                "the range holds more than \(AnalyticsController.maximumBuckets) \(granularity.rawValue)s; narrow it or use a coarser granularity")
        }
        self.from = from
        self.to = to
        self.granularity = granularity
    }
}

struct AnalyticsBody: ResponseEncodable, Sendable {
    struct Point: Encodable, Sendable {
        let start: Date
        let tasksFinished: Int
        let tasksFailed: Int
        /// Finished ÷ (finished + failed); null when none ended in the bucket.
        let successRate: Double?
        let placementsCreated: Int
        let placementsLive: Int
        let placementsLost: Int
        let verificationChecks: Int
        let costMicros: Int64

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(start, forKey: .start)
            try c.encode(tasksFinished, forKey: .tasksFinished)
            try c.encode(tasksFailed, forKey: .tasksFailed)
            try c.encode(successRate, forKey: .successRate)
            try c.encode(placementsCreated, forKey: .placementsCreated)
            try c.encode(placementsLive, forKey: .placementsLive)
            try c.encode(placementsLost, forKey: .placementsLost)
            try c.encode(verificationChecks, forKey: .verificationChecks)
            try c.encode(costMicros, forKey: .costMicros)
        }

        enum CodingKeys: String, CodingKey {
            case start, tasksFinished, tasksFailed, successRate, placementsCreated, placementsLive, placementsLost, verificationChecks, costMicros
        }
    }

    let granularity: String
    let from: Date
    let to: Date
    let totals: Point
    let items: [Point]

    init(range: AnalyticsRange, points: [AnalyticsPoint]) {
        granularity = range.granularity.rawValue
        from = range.from
        to = range.to
        let step = range.granularity == .hour ? 3600.0 : 86_400.0
        let byStart = Dictionary(points.map { ($0.start, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [Point] = []
        var cursor = range.from
        while cursor < range.to {
            items.append(Self.point(byStart[cursor] ?? AnalyticsPoint.empty(at: cursor)))
            cursor = cursor.addingTimeInterval(step)
        }
        self.items = items
        let sum = points.reduce(into: AnalyticsPoint.empty(at: range.from)) { total, p in
            total.tasksFinished += p.tasksFinished
            total.tasksFailed += p.tasksFailed
            total.placementsCreated += p.placementsCreated
            total.placementsLive += p.placementsLive
            total.placementsLost += p.placementsLost
            total.verificationChecks += p.verificationChecks
            total.costMicros += p.costMicros
        }
        totals = Self.point(sum)
    }

    static func point(_ p: AnalyticsPoint) -> Point {
        let ended = p.tasksFinished + p.tasksFailed
        return Point(
            start: p.start, tasksFinished: p.tasksFinished, tasksFailed: p.tasksFailed,
            successRate: ended == 0 ? nil : Double(p.tasksFinished) / Double(ended),
            placementsCreated: p.placementsCreated, placementsLive: p.placementsLive, placementsLost: p.placementsLost,
            verificationChecks: p.verificationChecks, costMicros: p.costMicros)
    }
}
