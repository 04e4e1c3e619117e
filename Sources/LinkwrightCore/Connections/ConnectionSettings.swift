import Foundation

/// The platforms a tenant can connect. `commenter` is not an account on a site but the identity
/// a blog comment is signed with (name, email, website): it has no secret.
public enum ConnectionPlatform: String, Sendable, CaseIterable, Codable {
    case wordpress, mediawiki, forum, mastodon, bluesky, commenter

    /// Whether the platform signs in with a secret (application password, bot password, token).
    public var needsSecret: Bool { self != .commenter }
}

/// `active` until an engine finds the credentials refused (`failing`, with the reason) or a
/// person turns it off (`disabled`). Only `active` connections are used.
public enum ConnectionState: String, Sendable, CaseIterable, Codable {
    case active, failing, disabled
}

/// A connection's fields other than its secret, validated.
public struct ConnectionSettings: Sendable, Equatable {
    public var platform: ConnectionPlatform
    public var label: String
    /// The site's address; for a commenter, the website the comment is signed with.
    public var baseURL: String
    /// The account's user name; for a commenter, the name the comment is signed with.
    public var username: String
    /// A commenter's email address; nil for every other platform.
    public var email: String?
    /// The tenant's own site (its blog), as opposed to a third-party one. Decides whether a
    /// campaign may skip human review for it; a commenter identity is never "owned".
    public var owned: Bool
    /// The tenant's changes to the platform's default action limits (`ActionLimits`).
    public var actionLimits: [AccountAction: ActionLimit] = [:]

    public init(platform: ConnectionPlatform, label: String, baseURL: String, username: String, email: String?, owned: Bool) {
        self.platform = platform
        self.label = label
        self.baseURL = baseURL
        self.username = username
        self.email = email
        self.owned = owned
    }

    /// What a client sent; nil means absent. `secret` is kept apart from the settings so it never
    /// travels further than the sealing.
    public struct Input: Sendable {
        public var platform: String?
        public var label: String?
        public var baseURL: String?
        public var username: String?
        public var email: String??
        public var owned: Bool?
        public var secret: String?
        public var state: String?
        public var actionLimits: [String: ActionLimit]?

        public init(
            platform: String? = nil, label: String? = nil, baseURL: String? = nil, username: String? = nil, email: String?? = nil,
            owned: Bool? = nil, secret: String? = nil, state: String? = nil
        ) {
            self.platform = platform
            self.label = label
            self.baseURL = baseURL
            self.username = username
            self.email = email
            self.owned = owned
            self.secret = secret
            self.state = state
        }
    }

    public static let secretLengths = 1...4096

    /// A new connection from `input`; platform, base_url and username are required, a secret
    /// too unless the platform is `commenter`, which needs an email instead.
    public static func creating(from input: Input) throws(FieldError) -> ConnectionSettings {
        guard let raw = input.platform else { throw FieldError("platform", "is required") }
        guard let platform = ConnectionPlatform(rawValue: raw) else {
            throw FieldError("platform", "must be one of \(ConnectionPlatform.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard input.baseURL != nil else { throw FieldError("base_url", "is required") }
        guard input.username != nil else { throw FieldError("username", "is required") }
        if platform.needsSecret, input.secret == nil { throw FieldError("secret", "is required for \(platform.rawValue)") }
        if platform == .commenter, input.email == nil { throw FieldError("email", "is required for a commenter") }
        var settings = ConnectionSettings(platform: platform, label: "", baseURL: "", username: "", email: nil, owned: false)
        try settings.apply(input)
        if settings.label.isEmpty { settings.label = "\(platform.rawValue) \(settings.username)" }
        return settings
    }

    /// Applies the fields present in `input`, validating each (the secret's length too); on
    /// error nothing is changed. The platform cannot change: that is another connection.
    public mutating func apply(_ input: Input) throws(FieldError) {
        var next = self
        if let platform = input.platform, platform != self.platform.rawValue {
            throw FieldError("platform", "cannot change; create another connection")
        }
        if let label = input.label {
            let trimmed = label.trimmingWhitespace()
            guard (1...200).contains(trimmed.count) else { throw FieldError("label", "must be 1 to 200 characters") }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw FieldError("label", "must not contain control characters")
            }
            next.label = trimmed
        }
        if let url = input.baseURL { next.baseURL = try TargetURL.normalise(url, field: "base_url") }
        if let username = input.username {
            let trimmed = username.trimmingWhitespace()
            guard (1...200).contains(trimmed.count) else { throw FieldError("username", "must be 1 to 200 characters") }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw FieldError("username", "must not contain control characters")
            }
            next.username = trimmed
        }
        if let email = input.email {
            if next.platform == .commenter {
                guard let email, let address = EmailAddress(email) else { throw FieldError("email", "must be an email address") }
                next.email = address.value
            } else if email != nil {
                throw FieldError("email", "is only for a commenter")
            }
        }
        if let owned = input.owned {
            guard !owned || next.platform != .commenter else { throw FieldError("owned", "a commenter identity is not a site") }
            next.owned = owned
        }
        if let secret = input.secret {
            guard next.platform.needsSecret else { throw FieldError("secret", "a commenter has no secret") }
            guard Self.secretLengths.contains(secret.utf8.count) else { throw FieldError("secret", "must be 1 to 4096 bytes") }
        }
        if let state = input.state {
            // People turn a connection off and on; `failing` is the engines' to set.
            guard state == "active" || state == "disabled" else { throw FieldError("state", "must be active or disabled") }
        }
        if let limits = input.actionLimits { next.actionLimits = try ActionLimits.validated(limits, platform: next.platform) }
        self = next
    }

    /// The last four characters of a secret, all a person is ever shown of it again; nothing
    /// when the secret is so short that four characters would be most of it.
    public static func hint(_ secret: String) -> String {
        secret.count >= 12 ? String(secret.suffix(4)) : ""
    }
}
