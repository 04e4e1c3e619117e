import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// A connection body as sent for create or PATCH. Absent fields stay absent; `email: null`
/// clears a commenter's email only to be refused, as a commenter needs one.
struct ConnectionRequest: Decodable {
    var input = ConnectionSettings.Input()

    /// As the API decoder presents them after converting from snake_case.
    enum Key: String, CodingKey { case platform, label, baseUrl, username, email, owned, secret, state }

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
    }

    enum CodingKeys: String, CodingKey {
        case id, platform, label, baseUrl, username, email, owned, hasSecret, secretHint, state, lastError, lastErrorAt, createdAt, updatedAt
    }
}

/// The connection test's answer: whether the account signed in, a verdict a person reads, and the
/// connection as it is now (a refused account is marked failing; one that works again is active).
struct ConnectionTestBody: ResponseEncodable, Sendable {
    let ok: Bool
    let verdict: String
    let connection: ConnectionBody
}
