import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightCore
import LinkwrightStore

struct CreateBatchRequest: Decodable {
    let campaignId: String?
    let draftIds: [String]?
}

struct ReviewRequest: Decodable {
    let decision: String
    let notes: String?
}

struct SnapshotBody: Encodable, Sendable {
    let version: Int
    let body: String
    let checks: [DraftCheckBody]
    let kind: String
    let engine: String
    let anchor: String
    let passed: Bool
    let flagged: Bool
    let similarity: Double?

    init(_ s: DraftSnapshot) {
        version = s.version
        body = s.body
        checks = s.checks.map(DraftCheckBody.init)
        kind = s.kind
        engine = s.engine
        anchor = s.anchor
        passed = s.passed
        flagged = s.flagged
        similarity = s.similarity
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(body, forKey: .body)
        try c.encode(checks, forKey: .checks)
        try c.encode(kind, forKey: .kind)
        try c.encode(engine, forKey: .engine)
        try c.encode(anchor, forKey: .anchor)
        try c.encode(passed, forKey: .passed)
        try c.encode(flagged, forKey: .flagged)
        try c.encode(similarity, forKey: .similarity)
    }

    enum CodingKeys: String, CodingKey { case version, body, checks, kind, engine, anchor, passed, flagged, similarity }
}

struct ReviewItemBody: Encodable, Sendable {
    let id: String
    let draftId: String
    let position: Int
    let decision: String
    let notes: String?
    let decidedAt: Date?
    let snapshot: SnapshotBody
    /// The version before a regeneration, for comparison; null until there is one.
    let previous: SnapshotBody?

    init(_ r: ReviewItemRecord) {
        id = r.id.lowercased
        draftId = r.draftID.lowercased
        position = r.position
        decision = r.decision.rawValue
        notes = r.notes
        decidedAt = r.decidedAt
        snapshot = SnapshotBody(r.snapshot)
        previous = r.previous.map(SnapshotBody.init)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(draftId, forKey: .draftId)
        try c.encode(position, forKey: .position)
        try c.encode(decision, forKey: .decision)
        try c.encode(notes, forKey: .notes)
        try c.encode(decidedAt, forKey: .decidedAt)
        try c.encode(snapshot, forKey: .snapshot)
        try c.encode(previous, forKey: .previous)
    }

    enum CodingKeys: String, CodingKey { case id, draftId, position, decision, notes, decidedAt, snapshot, previous }
}

struct BatchBody: ResponseEncodable, Sendable {
    let id: String
    let campaignId: String?
    let createdAt: Date
    let completedAt: Date?
    let approved: Int
    let rejected: Int
    let pending: Int
    let complete: Bool
    /// Every item in order when one batch is read; absent in lists.
    let items: [ReviewItemBody]?

    init(_ r: ReviewBatchRecord) {
        id = r.id.lowercased
        campaignId = r.campaignID?.lowercased
        createdAt = r.createdAt
        completedAt = r.completedAt
        approved = r.approved
        rejected = r.rejected
        pending = r.pending
        complete = r.pending == 0
        items = r.items?.map(ReviewItemBody.init)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(campaignId, forKey: .campaignId)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(completedAt, forKey: .completedAt)
        try c.encode(approved, forKey: .approved)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(pending, forKey: .pending)
        try c.encode(complete, forKey: .complete)
        try c.encodeIfPresent(items, forKey: .items)
    }

    enum CodingKeys: String, CodingKey { case id, campaignId, createdAt, completedAt, approved, rejected, pending, complete, items }
}

/// Review batches, shaped like the review tools agencies know: a batch of up to 175 drafts,
/// decided one item at a time (approve, reject with a reason, or send back with notes), and
/// the approved drafts exported. Every decision is in the audit log with its reviewer.
struct ReviewController: Sendable {
    let review: ReviewRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("batches", use: create)
        group.get("batches", use: list)
        group.get("batches/{id}", use: show)
        group.post("batches/{id}/items/{item_id}/review", use: decide)
        group.post("batches/{id}/export", use: export)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<BatchBody> {
        let actor = try context.tenant
        let body = try await request.decodeJSON(as: CreateBatchRequest.self, context: context)
        guard (body.campaignId == nil) != (body.draftIds == nil) else {
            throw APIError.validation("campaign_id", "give either campaign_id or draft_ids")
        }
        let campaignID = try body.campaignId.map {
            guard let id = UUID(uuidString: $0) else { throw APIError.validation("campaign_id", "is not an id") }
            return id
        }
        let draftIDs = try body.draftIds.map { ids in
            guard !ids.isEmpty else { throw APIError.validation("draft_ids", "must name at least one draft") }
            return try ids.map {
                guard let id = UUID(uuidString: $0) else { throw APIError.validation("draft_ids", "\($0) is not an id") }
                return id
            }
        }
        let batch = try await review.create(tenantID: actor.tenantID, campaignID: campaignID, draftIDs: draftIDs, createdBy: actor.userID)
        context.state.describeForAudit(action: "review.batch_create", targetID: batch.id.lowercased)
        return JSONResponse(status: .created, body: BatchBody(batch))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<BatchBody> {
        let actor = try context.tenant
        let page = try PageQuery(request)
        let result = try await review.list(tenantID: actor.tenantID, limit: page.limit, after: page.cursor)
        return PageBody(items: result.items.map(BatchBody.init), nextCursor: result.nextCursor?.encoded)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> BatchBody {
        let actor = try context.tenant
        guard let batch = try await review.find(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("batch")
        }
        return BatchBody(batch)
    }

    static let decisions: [String: ReviewDecision] = ["approve": .approved, "reject": .rejected, "needs_regeneration": .needsRegeneration]

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> BatchBody {
        let actor = try context.tenant
        let batchID = try context.parameters.uuid()
        let itemID = try context.parameters.uuid("item_id")
        let body = try await request.decodeJSON(as: ReviewRequest.self, context: context)
        guard let decision = Self.decisions[body.decision] else {
            throw APIError.validation("decision", "must be approve, reject or needs_regeneration")
        }
        if let notes = body.notes, notes.count > 2000 { throw APIError.validation("notes", "must be at most 2000 characters") }
        context.state.describeForAudit(action: "review.\(body.decision)", targetID: itemID.lowercased)
        guard
            let batch = try await review.review(
                tenantID: actor.tenantID, batchID: batchID, itemID: itemID, decision: decision, notes: body.notes, reviewer: actor.userID)
        else { throw APIError.notFound("review item") }
        return BatchBody(batch)
    }

    /// The approved drafts of the batch, as JSON or CSV (`?format=`, else the Accept header).
    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.tenant
        guard let batch = try await review.find(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("batch")
        }
        let format =
            request.uri.queryParameters["format"].map(String.init) ?? (request.headers[.accept]?.contains("text/csv") == true ? "csv" : "json")
        let approved = (batch.items ?? []).filter { $0.decision == .approved }
        let response: (String, String)
        switch format {
        case "csv":
            let rows =
                [["draft_id", "engine", "kind", "anchor", "version", "body"]]
                + approved.map {
                    [$0.draftID.lowercased, $0.snapshot.engine, $0.snapshot.kind, $0.snapshot.anchor, String($0.snapshot.version), $0.snapshot.body]
                }
            response = (CSV.document(rows), "text/csv; charset=utf-8")
        case "json":
            let drafts: [[String: Any]] = approved.map {
                [
                    "draft_id": $0.draftID.lowercased, "engine": $0.snapshot.engine, "kind": $0.snapshot.kind, "anchor": $0.snapshot.anchor,
                    "version": $0.snapshot.version, "body": $0.snapshot.body,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: ["batch_id": batch.id.lowercased, "drafts": drafts], options: [.sortedKeys])
            response = (String(decoding: data, as: UTF8.self), "application/json")
        default:
            throw APIError.validation("format", "must be json or csv")
        }
        var headers: HTTPFields = [.contentType: response.1]
        headers[.contentDisposition] = "attachment; filename=\"batch-\(batch.id.lowercased).\(format)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: response.0)))
    }
}
