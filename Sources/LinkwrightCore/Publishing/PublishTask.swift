import Foundation

/// What a publishing task's payload says: the approved draft to publish and the link it must
/// carry. Written when a draft is approved (by a person, or automatically for the tenant's own
/// sites); keyed by the slot, so a slot is published at most once.
public struct PublishTaskPayload: Codable, Sendable, Equatable {
    public var draftID: String
    public var anchorText: String
    public var targetURL: String
    /// The draft was approved without a person (`auto_approve`): publish it only with a
    /// connection the tenant owns.
    public var ownedConnectionsOnly: Bool
    /// The post a comment answers (the `comments` engine); nil for engines that make their own page.
    public var pageURL: String?

    public init(draftID: UUID, anchorText: String, targetURL: String, ownedConnectionsOnly: Bool, pageURL: String? = nil) {
        self.draftID = draftID.uuidString.lowercased()
        self.anchorText = anchorText
        self.targetURL = targetURL
        self.ownedConnectionsOnly = ownedConnectionsOnly
        self.pageURL = pageURL
    }

    enum CodingKeys: String, CodingKey {
        case draftID = "draft_id"
        case anchorText = "anchor_text"
        case targetURL = "target_url"
        case ownedConnectionsOnly = "owned_connections_only"
        case pageURL = "page_url"
    }

    public func json() -> String { (try? taskJSON()) ?? "{}" }
}

/// What a publishing engine reports: where the link now lives. The runtime records it with the
/// task's completion as a placement (verified like any other) and marks the draft published.
public struct PublishResult: Codable, Sendable, Equatable {
    public var draftID: String
    public var connectionID: String
    public var platform: String
    /// The platform's own id for what was published (a post id, a page title, a status id).
    public var platformID: String
    /// The public page the link is on.
    public var sourceURL: String
    public var targetURL: String
    public var anchorText: String
    /// `pending_moderation` when the site holds what was published for its moderator; nil when
    /// it is public at once (verification then confirms it).
    public var state: String?
    /// The rel the platform is known to add to the link (`nofollow ugc` on WordPress comments,
    /// `nofollow` on MediaWiki's external links): such a link is as expected, not an alarm.
    public var expectedRel: String?

    public init(
        draftID: String, connectionID: UUID, platform: ConnectionPlatform, platformID: String, sourceURL: String, targetURL: String,
        anchorText: String, state: PlacementState? = nil, expectedRel: String? = nil
    ) {
        self.draftID = draftID
        self.connectionID = connectionID.uuidString.lowercased()
        self.platform = platform.rawValue
        self.platformID = platformID
        self.sourceURL = sourceURL
        self.targetURL = targetURL
        self.anchorText = anchorText
        self.state = state?.rawValue
        self.expectedRel = expectedRel
    }

    enum CodingKeys: String, CodingKey {
        case draftID = "draft_id"
        case connectionID = "connection_id"
        case platform
        case platformID = "platform_id"
        case sourceURL = "source_url"
        case targetURL = "target_url"
        case anchorText = "anchor_text"
        case state
        case expectedRel = "expected_rel"
    }

    public init(json: String) throws { self = try JSONDecoder().decode(Self.self, from: Data(json.utf8)) }

    public func json() throws -> String { try taskJSON() }
}
