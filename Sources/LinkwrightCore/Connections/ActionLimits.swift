import Foundation

/// What an engine does with a connected account, each limited on its own.
public enum AccountAction: String, Sendable, CaseIterable, Codable {
    case publish, comment, reply
    case profileUpdate = "profile_update"
}

/// At most `perHour` in each clock hour and `perDay` in each UTC day.
public struct ActionLimit: Sendable, Equatable, Codable {
    public var perHour: Int
    public var perDay: Int

    public init(perHour: Int, perDay: Int) {
        self.perHour = perHour
        self.perDay = perDay
    }

    enum CodingKeys: String, CodingKey {
        case perHour = "per_hour"
        case perDay = "per_day"
    }
}

/// How hard an account may be used, so no connected account is ever pushed into a platform's
/// ban: per action, per hour and per day, with a minimum spacing between any two actions of the
/// account. Defaults follow the Social Exchange table (publish 10 an hour and 25 a day, comments
/// 10 and 30) and are conservative elsewhere; a tenant may change them per connection, up to the
/// platform's maximum.
public struct ActionLimits: Sendable, Equatable {
    public var limits: [AccountAction: ActionLimit]

    public init(_ limits: [AccountAction: ActionLimit]) { self.limits = limits }

    /// The actions engines take with an account of `platform`.
    public static func actions(of platform: ConnectionPlatform) -> [AccountAction] {
        switch platform {
        case .wordpress, .mediawiki, .mastodon, .bluesky: [.publish]
        case .commenter: [.comment]
        case .forum: [.publish, .reply, .profileUpdate]
        }
    }

    static let defaults: [AccountAction: ActionLimit] = [
        .publish: ActionLimit(perHour: 10, perDay: 25), .comment: ActionLimit(perHour: 10, perDay: 30),
        .reply: ActionLimit(perHour: 6, perDay: 20), .profileUpdate: ActionLimit(perHour: 1, perDay: 3),
    ]
    static let maximums: [AccountAction: ActionLimit] = [
        .publish: ActionLimit(perHour: 20, perDay: 50), .comment: ActionLimit(perHour: 20, perDay: 60),
        .reply: ActionLimit(perHour: 12, perDay: 40), .profileUpdate: ActionLimit(perHour: 2, perDay: 6),
    ]

    public static func defaults(for platform: ConnectionPlatform) -> ActionLimits {
        ActionLimits(Dictionary(uniqueKeysWithValues: actions(of: platform).map { ($0, defaults[$0]!) }))
    }

    public static func maximums(for platform: ConnectionPlatform) -> ActionLimits {
        ActionLimits(Dictionary(uniqueKeysWithValues: actions(of: platform).map { ($0, maximums[$0]!) }))
    }

    /// The least time between two actions of one account; each wait adds up to half again at
    /// random, so an account's actions do not tick like a clock.
    public static let spacing: Duration = .seconds(30)

    /// The defaults with `overrides` (what the tenant set, as stored) applied.
    public static func effective(for platform: ConnectionPlatform, overrides: [AccountAction: ActionLimit]) -> ActionLimits {
        var result = defaults(for: platform)
        for (action, limit) in overrides where result.limits[action] != nil { result.limits[action] = limit }
        return result
    }

    /// A tenant's changes, checked: only the platform's actions, whole numbers from 1 to the
    /// platform's maximum, no more an hour than a day.
    public static func validated(_ overrides: [String: ActionLimit], platform: ConnectionPlatform) throws(FieldError) -> [AccountAction:
        ActionLimit]
    {
        var result: [AccountAction: ActionLimit] = [:]
        let maximum = maximums(for: platform)
        for (name, limit) in overrides {
            guard let action = AccountAction(rawValue: name), let most = maximum.limits[action] else {
                throw FieldError(
                    "action_limits",
                    "\(platform.rawValue) accounts have limits for \(actions(of: platform).map(\.rawValue).joined(separator: ", ")), not \(name)")
            }
            guard (1...most.perHour).contains(limit.perHour) else {
                throw FieldError("action_limits", "\(name).per_hour must be from 1 to \(most.perHour) on \(platform.rawValue)")
            }
            guard (1...most.perDay).contains(limit.perDay) else {
                throw FieldError("action_limits", "\(name).per_day must be from 1 to \(most.perDay) on \(platform.rawValue)")
            }
            guard limit.perHour <= limit.perDay else { throw FieldError("action_limits", "\(name).per_hour must not exceed per_day") }
            result[action] = limit
        }
        return result
    }
}
