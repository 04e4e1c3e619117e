import Foundation
import LinkwrightCore

/// Keeps each connected account within its action limits (`ActionLimits`), across every worker
/// process: Redis when there is one (`LinkwrightCoordination`), this process alone otherwise.
/// Engines take an action before they act; over a limit they wait, never fail.
public protocol ActionLimiter: Sendable {
    /// Takes one `action` of the connection if its hour, its day and its spacing allow it now;
    /// otherwise nothing is taken and the decision says when to try again, and why.
    func take(_ action: AccountAction, connectionID: UUID, limit: ActionLimit, spacing: Duration) async -> ActionDecision
    /// The platform said the account must wait (its own rate-limit headers said none are left):
    /// no action of the connection is taken before `until`.
    func hold(connectionID: UUID, until: Date) async
    /// How much of each window the connection has used, for people to see.
    func usage(connectionID: UUID, actions: [AccountAction]) async -> ActionUsage
}

public struct ActionDecision: Sendable, Equatable {
    public enum Refusal: String, Sendable {
        case hour, day
        /// The minimum spacing between actions of the account, or a platform's hold.
        case spacing
    }

    public let refusal: Refusal?
    /// When to try again, when refused.
    public let retryAfter: Duration

    public var allowed: Bool { refusal == nil }

    public init(refusal: Refusal?, retryAfter: Duration) {
        self.refusal = refusal
        self.retryAfter = retryAfter
    }

    public static let allowed = ActionDecision(refusal: nil, retryAfter: .zero)
}

public struct ActionUsage: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public let thisHour: Int
        public let today: Int

        public init(thisHour: Int, today: Int) {
            self.thisHour = thisHour
            self.today = today
        }
    }

    public let counts: [AccountAction: Counts]
    public let hourResetsAt: Date
    public let dayResetsAt: Date
    /// When the account may act next (spacing or a platform's hold); nil when it may now.
    public let nextActionAt: Date?

    public init(counts: [AccountAction: Counts], hourResetsAt: Date, dayResetsAt: Date, nextActionAt: Date?) {
        self.counts = counts
        self.hourResetsAt = hourResetsAt
        self.dayResetsAt = dayResetsAt
        self.nextActionAt = nextActionAt
    }
}

extension ActionLimiter {
    /// Takes `action` for `account` with its limits and a jittered spacing; nil when taken, else
    /// the outcome that makes the slot wait for the window to open. An action that goes with
    /// the slot's main one (a forum signature before its topic) is taken `unspaced` first, so
    /// the main action is not held back by it.
    public func wait(
        for action: AccountAction, of account: ConnectedAccount, observer: (any PublishObserver)?, unspaced: Bool = false
    ) async -> EngineOutcome? {
        guard let limit = account.limits.limits[action] else { return nil }
        let spacing = unspaced ? .zero : ActionLimits.spacing * (1 + Double.random(in: 0..<0.5))
        let decision = await take(action, connectionID: account.id, limit: limit, spacing: spacing)
        guard let refusal = decision.refusal else { return nil }
        observer?.limitWaited(platform: account.platform, action: action, window: refusal.rawValue)
        let why =
            switch refusal {
            case .hour: "the account's limit of \(limit.perHour) \(action.rawValue) actions an hour is reached"
            case .day: "the account's limit of \(limit.perDay) \(action.rawValue) actions a day is reached"
            case .spacing: "the account acted moments ago (actions are spaced out) or the platform asked it to wait"
            }
        return .waiting(reason: "\(why): it waits for the window to open", for: max(decision.retryAfter, .seconds(1)))
    }
}
