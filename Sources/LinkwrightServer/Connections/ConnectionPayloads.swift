import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore

/// A connection body as sent for create or PATCH. Absent fields stay absent; `email: null`
/// clears a commenter's email only to be refused, as a commenter needs one.
struct ConnectionRequest: Decodable {
    var input = ConnectionSettings.Input()

    /// As the API decoder presents them after converting from snake_case.
    enum Key: String, CodingKey { case platform, label, baseUrl, username, email, owned, secret, state, actionLimits }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        input.platform = try c.decodeIfPresent(String.self, forKey: .platform)
        input.label = try c.decodeIfPresent(String.self, forKey: .label)
        input.baseURL = try c.decodeIfPresent(String.self, forKey: .baseUrl)
        input.username = try c.decodeIfPresent(String.self, forKey: .username)
        if c.contains(.email) { input.email = .some(try c.decodeNil(forKey: .email) ? nil : try c.decode(String.self, forKey: .email)) }
        input.owned = try c.decodeIfPresent(Bool.self, forKey: .owned)
        input.secret = try c.decodeIfPresent(String.self, forKey: .secret)
        input.state = try c.decodeIfPresent(String.self, forKey: .state)
        if let limits = try c.decodeIfPresent([String: [String: Int]].self, forKey: .actionLimits) {
            input.actionLimits = try Self.limits(limits)
        }
    }

    /// `{"publish": {"per_hour": 5, "per_day": 20}}`, which the API decoder hands over with its keys
    /// turned to camelCase (`profileUpdate`, `perHour`): they are read back in the API's spelling.
    static func limits(_ raw: [String: [String: Int]]) throws(FieldError) -> [String: ActionLimit] {
        var limits: [String: ActionLimit] = [:]
        for (action, fields) in raw {
            let name = snakeCase(action)
            let named = Dictionary(fields.map { (snakeCase($0.key), $0.value) }) { first, _ in first }
            guard let perHour = named["per_hour"], let perDay = named["per_day"], named.count == 2 else {
                throw FieldError("action_limits", "\(name) must have exactly per_hour and per_day")
            }
            limits[name] = ActionLimit(perHour: perHour, perDay: perDay)
        }
        return limits
    }

    static func snakeCase(_ key: String) -> String {
        key.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}

/// A connection as the API shows it. The secret itself is never here: `secret_hint` is its last
/// four characters (empty for a short one), `has_secret` whether there is one.
struct ConnectionBody: ResponseEncodable, Sendable {
    let id: String
    let platform: String
    let label: String
    let baseUrl: String
    let username: String
    let email: String?
    let owned: Bool
    let hasSecret: Bool
    let secretHint: String
    let state: String
    let lastError: String?
    let lastErrorAt: Date?
    let createdAt: Date
    let updatedAt: Date
    /// The limits in force: the platform's defaults with the tenant's changes.
    let actionLimits: [String: ActionLimit]

    init(_ r: ConnectionRecord) {
        id = r.id.lowercased
        platform = r.settings.platform.rawValue
        label = r.settings.label
        baseUrl = r.settings.baseURL
        username = r.settings.username
        email = r.settings.email
        owned = r.settings.owned
        hasSecret = r.hasSecret
        secretHint = r.secretHint
        state = r.state.rawValue
        lastError = r.lastError
        lastErrorAt = r.lastErrorAt
        createdAt = r.createdAt
        updatedAt = r.updatedAt
        let effective = ActionLimits.effective(for: r.settings.platform, overrides: r.settings.actionLimits).limits
        actionLimits = Dictionary(uniqueKeysWithValues: effective.map { ($0.key.rawValue, $0.value) })
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(platform, forKey: .platform)
        try c.encode(label, forKey: .label)
        try c.encode(baseUrl, forKey: .baseUrl)
        try c.encode(username, forKey: .username)
        try c.encode(email, forKey: .email)
        try c.encode(owned, forKey: .owned)
        try c.encode(hasSecret, forKey: .hasSecret)
        try c.encode(secretHint, forKey: .secretHint)
        try c.encode(state, forKey: .state)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(lastErrorAt, forKey: .lastErrorAt)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(actionLimits, forKey: .actionLimits)
    }

    enum CodingKeys: String, CodingKey {
        case id, platform, label, baseUrl, username, email, owned, hasSecret, secretHint, state, lastError, lastErrorAt, createdAt, updatedAt
        case actionLimits
    }
}

/// The connection test's answer: whether the account signed in, a verdict a person reads, and the
/// connection as it is now (a refused account is marked failing; one that works again is active).
struct ConnectionTestBody: ResponseEncodable, Sendable {
    let ok: Bool
    let verdict: String
    let connection: ConnectionBody
}

/// `GET /connections/{id}/limits`: each action's limits and how much of the hour and the day
/// the account has used, when those windows start again, and when it may act next.
struct ConnectionLimitsBody: ResponseEncodable, Sendable {
    struct Action: Encodable, Sendable {
        let action: String
        let perHour: Int
        let perDay: Int
        let maxPerHour: Int
        let maxPerDay: Int
        let usedThisHour: Int
        let usedToday: Int
    }

    let connectionId: String
    let actions: [Action]
    let hourResetsAt: Date
    let dayResetsAt: Date
    /// Spacing between actions, or a platform's own rate-limit answer; nil when it may act now.
    let nextActionAt: Date?
    let spacingSeconds: Int

    init(_ record: ConnectionRecord, usage: ActionUsage) {
        let platform = record.settings.platform
        let effective = ActionLimits.effective(for: platform, overrides: record.settings.actionLimits).limits
        let maximums = ActionLimits.maximums(for: platform).limits
        connectionId = record.id.lowercased
        actions = ActionLimits.actions(of: platform).map { action in
            Action(
                action: action.rawValue, perHour: effective[action]?.perHour ?? 0, perDay: effective[action]?.perDay ?? 0,
                maxPerHour: maximums[action]?.perHour ?? 0, maxPerDay: maximums[action]?.perDay ?? 0,
                usedThisHour: usage.counts[action]?.thisHour ?? 0, usedToday: usage.counts[action]?.today ?? 0)
        }
        hourResetsAt = usage.hourResetsAt
        dayResetsAt = usage.dayResetsAt
        nextActionAt = usage.nextActionAt
        spacingSeconds = Int(ActionLimits.spacing.components.seconds)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(connectionId, forKey: .connectionId)
        try c.encode(actions, forKey: .actions)
        try c.encode(hourResetsAt, forKey: .hourResetsAt)
        try c.encode(dayResetsAt, forKey: .dayResetsAt)
        try c.encode(nextActionAt, forKey: .nextActionAt)
        try c.encode(spacingSeconds, forKey: .spacingSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case connectionId, actions, hourResetsAt, dayResetsAt, nextActionAt, spacingSeconds
    }
}
