import Foundation

/// A placement's state as one check sees it.
public enum PlacementState: String, Sendable, Codable, CaseIterable {
    case pending, live
    case liveNofollow = "live_nofollow"
    case notIndexable = "not_indexable"
    case anchorChanged = "anchor_changed"
    case missing
    case sourceGone = "source_gone"
    case blocked, unverifiable
    /// A comment the site holds for its moderator: not public yet, not an alarm.
    case pendingModeration = "pending_moderation"
    /// The site's moderator never let the comment through (it did not appear in time).
    case rejectedBySite = "rejected_by_site"

    /// A check that says the link is not there, and can say so reliably.
    public var isMiss: Bool { self == .missing || self == .sourceGone }
    /// The link was seen on the page.
    public var isPresent: Bool { [.live, .liveNofollow, .notIndexable, .anchorChanged].contains(self) }
}

/// Everything one check found, stored as the placement's check history.
public struct LinkCheckResult: Sendable, Codable, Equatable {
    /// The JSON a verification task's result is recorded as (ISO 8601 times, sorted keys): the
    /// engine writes it, the runtime reads it back to apply it.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public init(json: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(LinkCheckResult.self, from: Data(json.utf8))
    }

    public init(state: PlacementState, detail: String, checkedAt: Date) {
        self.state = state
        self.detail = detail
        self.checkedAt = checkedAt
    }

    public var state: PlacementState
    /// Why, in words a person can act on.
    public var detail: String
    public var httpStatus: Int?
    public var finalURL: String?
    public var redirectChain: [String] = []
    public var linkFound = false
    public var anchorText: String?
    /// `follow`, or the rel tokens that qualify it: `nofollow`, `ugc`, `sponsored`.
    public var rel: [String] = []
    public var indexable: Bool?
    public var notIndexableReason: String?
    public var canonical: String?
    public var responseTimeMS: Int?
    public var checkedAt: Date

    enum CodingKeys: String, CodingKey {
        case state, detail
        case httpStatus = "http_status"
        case finalURL = "final_url"
        case redirectChain = "redirect_chain"
        case linkFound = "link_found"
        case anchorText = "anchor_text"
        case rel, indexable
        case notIndexableReason = "not_indexable_reason"
        case canonical
        case responseTimeMS = "response_time_ms"
        case checkedAt = "checked_at"
    }
}
