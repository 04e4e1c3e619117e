import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// A campaign body as sent for create or PATCH. Absent fields stay absent; for the two dates an
/// explicit `null` clears the value, which plain `Codable` cannot tell from absence.
struct CampaignRequest: Decodable {
    var input = CampaignSettings.Input()

    /// As the API decoder presents them after converting from snake_case (`target_url` → `targetUrl`).
    enum Key: String, CodingKey {
        case name, targetUrl, anchorTexts, keywords, engines, priority, dailyLimit, budgetMicros, minAuthority, startsAt, endsAt
        case verifyEveryHours, autoApprove, commentPages
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        input.name = try c.decodeIfPresent(String.self, forKey: .name)
        input.targetURL = try c.decodeIfPresent(String.self, forKey: .targetUrl)
        input.anchorTexts = try c.decodeIfPresent([String].self, forKey: .anchorTexts)
        input.keywords = try c.decodeIfPresent([String].self, forKey: .keywords)
        input.engines = try c.decodeIfPresent([String].self, forKey: .engines)
        input.priority = try c.decodeIfPresent(String.self, forKey: .priority)
        input.dailyLimit = try Self.integer(c, .dailyLimit, "daily_limit")
        input.budgetMicros = try Self.integer(c, .budgetMicros, "budget_micros")
        input.minAuthority = try Self.integer(c, .minAuthority, "min_authority")
        input.verifyEveryHours = try Self.integer(c, .verifyEveryHours, "verify_every_hours")
        input.autoApprove = try c.decodeIfPresent(Bool.self, forKey: .autoApprove)
        input.commentPages = try c.decodeIfPresent([String].self, forKey: .commentPages)
        if c.contains(.startsAt) { input.startsAt = .some(try c.decodeNil(forKey: .startsAt) ? nil : try c.decode(Date.self, forKey: .startsAt)) }
        if c.contains(.endsAt) { input.endsAt = .some(try c.decodeNil(forKey: .endsAt) ? nil : try c.decode(Date.self, forKey: .endsAt)) }
    }
}

extension CampaignRequest {
    /// A whole number, or a field error. Foundation reports a number that does not fit the type
    /// (`1.5` for an integer, `1e30`) as "not valid JSON" with no field, so integers are read here.
    static func integer<T: FixedWidthInteger & Decodable>(_ c: KeyedDecodingContainer<Key>, _ key: Key, _ field: String) throws -> T? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        if let value = try? c.decode(T.self, forKey: key) { return value }
        throw FieldError(field, "must be a whole number within range")
    }
}

struct CampaignBody: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let targetUrl: String
    let anchorTexts: [String]
    let keywords: [String]
    let engines: [String]
    let priority: String
    let dailyLimit: Int
    let budgetMicros: Int64
    /// Charged so far by the cost ledger, and reserved by tasks running now.
    let spentMicros: Int64
    let reservedMicros: Int64
    let minAuthority: Int
    let verifyEveryHours: Int
    let autoApprove: Bool
    let commentPages: [String]
    let startsAt: Date?
    let endsAt: Date?
    let status: String
    let statusReason: String?
    let createdAt: Date
    let updatedAt: Date
    /// Only on `GET /campaigns/{id}`: the campaign's tasks by state.
    var tasksByState: [String: Int]?

    init(_ r: CampaignRecord) {
        let s = r.settings
        id = r.id.lowercased
        name = s.name
        targetUrl = s.targetURL
        anchorTexts = s.anchorTexts
        keywords = s.keywords
        engines = s.engines.map(\.rawValue)
        priority = s.priority.rawValue
        dailyLimit = s.dailyLimit
        budgetMicros = s.budgetMicros
        spentMicros = r.spentMicros
        reservedMicros = r.reservedMicros
        minAuthority = s.minAuthority
        verifyEveryHours = s.verifyEveryHours
        autoApprove = s.autoApprove
        commentPages = s.commentPages
        startsAt = s.startsAt
        endsAt = s.endsAt
        status = r.status.rawValue
        statusReason = r.statusReason
        createdAt = r.createdAt
        updatedAt = r.updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(targetUrl, forKey: .targetUrl)
        try c.encode(anchorTexts, forKey: .anchorTexts)
        try c.encode(keywords, forKey: .keywords)
        try c.encode(engines, forKey: .engines)
        try c.encode(priority, forKey: .priority)
        try c.encode(dailyLimit, forKey: .dailyLimit)
        try c.encode(budgetMicros, forKey: .budgetMicros)
        try c.encode(spentMicros, forKey: .spentMicros)
        try c.encode(reservedMicros, forKey: .reservedMicros)
        try c.encode(minAuthority, forKey: .minAuthority)
        try c.encode(verifyEveryHours, forKey: .verifyEveryHours)
        try c.encode(autoApprove, forKey: .autoApprove)
        try c.encode(commentPages, forKey: .commentPages)
        try c.encode(startsAt, forKey: .startsAt)
        try c.encode(endsAt, forKey: .endsAt)
        try c.encode(status, forKey: .status)
        try c.encode(statusReason, forKey: .statusReason)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(tasksByState, forKey: .tasksByState)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, targetUrl, anchorTexts, keywords, engines, priority, dailyLimit, budgetMicros, spentMicros, reservedMicros
        case minAuthority, verifyEveryHours, autoApprove, commentPages, startsAt, endsAt, status, statusReason, createdAt, updatedAt, tasksByState
    }
}

/// `GET /campaigns/{id}/estimate`.
struct EstimateBody: ResponseEncodable, Sendable {
    let tasks: Int
    let lowMicros: Int64
    let expectedMicros: Int64
    let highMicros: Int64
    /// `history` (the tenant's last 90 days) or `list_prices`.
    let basis: String
    let historyTasks: Int
    let budgetMicros: Int64
    let spentMicros: Int64
    /// Whether what is spent plus the high end fits the budget (always, without a budget).
    let fitsBudget: Bool

    init(_ e: CostEstimate, campaign: CampaignRecord) {
        tasks = e.tasks
        lowMicros = e.lowMicros
        expectedMicros = e.expectedMicros
        highMicros = e.highMicros
        basis = e.basis.rawValue
        historyTasks = e.historySamples
        budgetMicros = campaign.settings.budgetMicros
        spentMicros = campaign.spentMicros
        fitsBudget = budgetMicros == 0 || spentMicros + e.highMicros <= budgetMicros
    }
}
