/// A campaign's lifecycle: `draft → active ⇄ paused → completed`, and `archived` from anywhere
/// but itself. Anything else is an illegal transition (409) and changes nothing.
public enum CampaignStatus: String, Sendable, Codable, CaseIterable {
    case draft, active, paused, completed, archived

    public enum Action: String, Sendable, CaseIterable {
        case start, pause, resume, archive, complete
    }

    /// The status after `action`, or nil when the action is not allowed from here.
    public func applying(_ action: Action) -> CampaignStatus? {
        switch (self, action) {
        case (.draft, .start): .active
        case (.active, .pause): .paused
        case (.paused, .resume): .active
        case (.active, .complete), (.paused, .complete): .completed
        case (.archived, .archive): nil
        case (_, .archive): .archived
        default: nil
        }
    }

    /// Whether the campaign counts against the plan's active-campaign limit.
    public var holdsASlot: Bool { self == .active || self == .paused }
}

public enum CampaignPriority: String, Sendable, Codable, CaseIterable {
    case high, normal, bulk
}

public enum PlacementEngine: String, Sendable, Codable, CaseIterable {
    case comments, web2, forums, social

    /// Whether a draft for this engine may skip review when the campaign asks: only where it is
    /// published on the tenant's own site or account (web 2.0 and social, on owned connections).
    /// Comments and forum posts always land on third-party sites.
    public var mayAutoApprove: Bool { self == .web2 || self == .social }
}
