import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

struct DraftCheckBody: Encodable, Sendable {
    let name: String
    let passed: Bool
    let detail: String
    let value: Double?

    init(_ c: DraftCheck) {
        name = c.name
        passed = c.passed
        detail = c.detail
        value = c.value
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(passed, forKey: .passed)
        try c.encode(detail, forKey: .detail)
        try c.encode(value, forKey: .value)
    }

    enum CodingKeys: String, CodingKey { case name, passed, detail, value }
}

struct DraftVersionBody: Encodable, Sendable {
    let version: Int
    let body: String
    let checks: [DraftCheckBody]
    let provider: String?
    let notes: String?
    let createdAt: Date

    init(_ v: DraftVersion) {
        version = v.version
        body = v.body
        checks = v.checks.map(DraftCheckBody.init)
        provider = v.provider
        notes = v.notes
        createdAt = v.createdAt
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(body, forKey: .body)
        try c.encode(checks, forKey: .checks)
        try c.encode(provider, forKey: .provider)
        try c.encode(notes, forKey: .notes)
        try c.encode(createdAt, forKey: .createdAt)
    }

    enum CodingKeys: String, CodingKey { case version, body, checks, provider, notes, createdAt }
}

/// A draft as the API shows it. `body` is already sanitised to the allow-list (HTML for
/// articles and forum replies, plain text otherwise), so a client may render it as it is.
struct DraftBody: ResponseEncodable, Sendable {
    let id: String
    let campaignId: String
    let engine: String
    let kind: String
    let state: String
    let version: Int
    let anchor: String
    let body: String
    let provider: String?
    let model: String?
    let checks: [DraftCheckBody]
    let passed: Bool
    let flagged: Bool
    let similarity: Double?
    let notes: String?
    let rejectReason: String?
    let createdAt: Date
    let updatedAt: Date
    /// Earlier versions, newest first: present on `GET /drafts/{id}` only.
    var versions: [DraftVersionBody]?
    /// Where the published draft's link is and how its verification stands; null until published.
    var placement: PlacementLink?

    struct PlacementLink: Encodable, Sendable {
        let id: String
        let sourceUrl: String
        let state: String
    }

    init(_ r: DraftRecord, versions: [DraftVersion]? = nil, placement: (id: UUID, sourceURL: String, state: String)? = nil) {
        self.placement = placement.map { PlacementLink(id: $0.id.lowercased, sourceUrl: $0.sourceURL, state: $0.state) }
        id = r.id.lowercased
        campaignId = r.campaignID.lowercased
        engine = r.engine
        kind = r.kind
        state = r.state.rawValue
        version = r.version
        anchor = r.anchor
        body = r.body
        provider = r.provider
        model = r.model
        checks = r.checks.map(DraftCheckBody.init)
        passed = r.passed
        flagged = r.flagged
        similarity = r.similarity
        notes = r.notes
        rejectReason = r.rejectReason
        createdAt = r.createdAt
        updatedAt = r.updatedAt
        self.versions = versions.map { $0.map(DraftVersionBody.init) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(campaignId, forKey: .campaignId)
        try c.encode(engine, forKey: .engine)
        try c.encode(kind, forKey: .kind)
        try c.encode(state, forKey: .state)
        try c.encode(version, forKey: .version)
        try c.encode(anchor, forKey: .anchor)
        try c.encode(body, forKey: .body)
        try c.encode(provider, forKey: .provider)
        try c.encode(model, forKey: .model)
        try c.encode(checks, forKey: .checks)
        try c.encode(passed, forKey: .passed)
        try c.encode(flagged, forKey: .flagged)
        try c.encode(similarity, forKey: .similarity)
        try c.encode(notes, forKey: .notes)
        try c.encode(rejectReason, forKey: .rejectReason)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(versions, forKey: .versions)
        try c.encode(placement, forKey: .placement)
    }

    enum CodingKeys: String, CodingKey {
        case id, campaignId, engine, kind, state, version, anchor, body, provider, model, checks, passed, flagged, similarity, notes
        case rejectReason, createdAt, updatedAt, versions, placement
    }
}

/// The drafts content tasks wrote, for the people who review them.
struct DraftsController: Sendable {
    let drafts: DraftRepository
    let campaigns: CampaignRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("campaigns/{id}/drafts", use: list)
        group.get("drafts/{id}", use: show)
    }

    /// A campaign's drafts in the order they were written, `?state=` to filter.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<DraftBody> {
        let actor = try context.tenant
        let campaignID = try context.parameters.uuid()
        let page = try PageQuery(request)
        let state = try request.filter("state", as: DraftState.self)
        guard try await campaigns.campaign(tenantID: actor.tenantID, id: campaignID) != nil else { throw APIError.notFound("campaign") }
        let result = try await drafts.list(tenantID: actor.tenantID, campaignID: campaignID, state: state, limit: page.limit, after: page.cursor)
        let placed = try await drafts.placements(tenantID: actor.tenantID, draftIDs: result.items.filter { $0.state == .published }.map(\.id))
        return PageBody(items: result.items.map { DraftBody($0, placement: placed[$0.id]) }, nextCursor: result.nextCursor?.encoded)
    }

    /// One draft with its checks and its earlier versions.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> DraftBody {
        let actor = try context.tenant
        guard let (draft, versions) = try await drafts.find(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("draft")
        }
        let placed = try await drafts.placements(tenantID: actor.tenantID, draftIDs: [draft.id])
        return DraftBody(draft, versions: versions, placement: placed[draft.id])
    }
}
