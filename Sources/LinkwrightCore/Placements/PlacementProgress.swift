import Foundation

/// What a placement remembers between checks, and how one more check moves it. A link that was
/// there is declared lost only when two clean checks in a row agree it is gone; a check that
/// could not see the page (`unverifiable`, `blocked`) neither confirms nor clears a miss.
public struct PlacementProgress: Sendable, Equatable {
    public var state: PlacementState
    public var missStreak: Int
    public var everPresent: Bool
    public var unverifiableStreak: Int
    /// Set while a held comment waits for the site's moderator: until then a check that does
    /// not find it leaves it `pending_moderation`; after, it is `rejected_by_site`.
    public var moderationUntil: Date?

    public init(
        state: PlacementState = .pending, missStreak: Int = 0, everPresent: Bool = false, unverifiableStreak: Int = 0,
        moderationUntil: Date? = nil
    ) {
        self.state = state
        self.missStreak = missStreak
        self.everPresent = everPresent
        self.unverifiableStreak = unverifiableStreak
        self.moderationUntil = moderationUntil
    }

    public struct Step: Sendable, Equatable {
        public let progress: PlacementProgress
        /// This check confirmed a link that was live is gone.
        public let lost: Bool
        /// When to look again.
        public let recheckIn: TimeInterval
    }

    /// A first miss is confirmed this soon; unverifiable checks back off from an hour up to the
    /// placement's normal interval.
    public static let confirmationDelay: TimeInterval = 15 * 60
    public static let unverifiableBase: TimeInterval = 3600

    /// A held comment is first looked for this soon, then at twice the wait each time, up to
    /// `moderationRecheckLimit`: moderators answer within hours or days, not on a schedule.
    public static let moderationRecheckBase: TimeInterval = 15 * 60
    public static let moderationRecheckLimit: TimeInterval = 12 * 3600

    public func after(_ check: PlacementState, interval: TimeInterval, now: Date = Date()) -> Step {
        var next = self
        switch check {
        case _ where check.isPresent:
            next = PlacementProgress(state: check, missStreak: 0, everPresent: true, unverifiableStreak: 0)
            return Step(progress: next, lost: false, recheckIn: interval)
        case _ where state == .pendingModeration:
            // Not there yet (or not readable): the moderator has until the deadline.
            guard let deadline = moderationUntil, now < deadline else {
                next.state = .rejectedBySite
                next.moderationUntil = nil
                return Step(progress: next, lost: false, recheckIn: interval)
            }
            next.missStreak += 1
            let backoff = Self.moderationRecheckBase * pow(2, Double(min(next.missStreak - 1, 10)))
            // One last look at the deadline itself, so a late approval is still seen in time.
            let wait = min(backoff, Self.moderationRecheckLimit, max(deadline.timeIntervalSince(now), 60))
            return Step(progress: next, lost: false, recheckIn: wait)
        case .missing, .sourceGone:
            next.unverifiableStreak = 0
            next.missStreak += 1
            guard everPresent else {
                next.state = check
                return Step(progress: next, lost: false, recheckIn: interval)
            }
            if state.isMiss {
                next.state = check  // already lost; no second event
                return Step(progress: next, lost: false, recheckIn: interval)
            }
            if next.missStreak < 2 {
                return Step(progress: next, lost: false, recheckIn: min(Self.confirmationDelay, interval))
            }
            next.state = check
            return Step(progress: next, lost: true, recheckIn: interval)
        case .blocked:
            next.state = .blocked
            return Step(progress: next, lost: false, recheckIn: interval)
        default:  // unverifiable (and pending, which no check returns)
            next.state = .unverifiable
            next.unverifiableStreak += 1
            let backoff = Self.unverifiableBase * pow(2, Double(min(next.unverifiableStreak - 1, 10)))
            return Step(progress: next, lost: false, recheckIn: min(backoff, interval))
        }
    }
}
