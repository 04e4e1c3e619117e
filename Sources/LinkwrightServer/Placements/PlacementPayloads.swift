import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// `POST /placements`, as the API decoder presents it (snake_case converted).
struct PlacementRequest: Decodable {
    let sourceUrl: String?
    let targetUrl: String?
    let expectedAnchor: String?
    let campaignId: String?
    let ignoreWww: Bool?
    let ignoreTrailingSlash: Bool?

    func validated() throws -> NewPlacement {
        guard let sourceUrl else { throw FieldError("source_url", "is required") }
        guard let targetUrl else { throw FieldError("target_url", "is required") }
        var input = try PlacementInput.validate(source: sourceUrl, target: targetUrl, anchor: expectedAnchor, campaign: campaignId)
        input.ignoreWWW = ignoreWww ?? true
        input.ignoreTrailingSlash = ignoreTrailingSlash ?? true
        return input
    }
}

/// The rules a placement's fields follow, shared by the JSON body and the CSV import.
enum PlacementInput {
    static func validate(source: String, target: String, anchor: String?, campaign: String?) throws(FieldError) -> NewPlacement {
        let sourceURL = try TargetURL.normalise(source, field: "source_url")
        let targetURL = try TargetURL.normalise(target, field: "target_url")
        let trimmedAnchor = anchor?.trimmingWhitespace()
        if let trimmedAnchor, trimmedAnchor.count > 500 { throw FieldError("expected_anchor", "must be at most 500 characters") }
        var campaignID: UUID?
        if let campaign, !campaign.isEmpty {
            guard let id = UUID(uuidString: campaign) else { throw FieldError("campaign_id", "is not a campaign id") }
            campaignID = id
        }
        return NewPlacement(
            sourceURL: sourceURL, targetURL: targetURL,
            expectedAnchor: trimmedAnchor?.isEmpty == false ? trimmedAnchor : nil, campaignID: campaignID)
    }
}

struct PlacementBody: ResponseEncodable, Sendable {
    let id: String
    let campaignId: String?
    let sourceUrl: String
    let targetUrl: String
    let expectedAnchor: String?
    let ignoreWww: Bool
    let ignoreTrailingSlash: Bool
    let state: String
    let expectedRel: String?
    let moderationUntil: Date?
    let checks: Int
    let lastCheckedAt: Date?
    let nextCheckAt: Date?
    let createdAt: Date

    init(_ r: PlacementRecord) {
        id = r.id.uuidString.lowercased()
        campaignId = r.campaignID?.uuidString.lowercased()
        sourceUrl = r.sourceURL
        targetUrl = r.targetURL
        expectedAnchor = r.expectedAnchor
        ignoreWww = r.ignoreWWW
        ignoreTrailingSlash = r.ignoreTrailingSlash
        state = r.state.rawValue
        expectedRel = r.expectedRel
        moderationUntil = r.moderationUntil
        checks = r.checks
        lastCheckedAt = r.lastCheckedAt
        nextCheckAt = r.nextCheckAt
        createdAt = r.createdAt
    }
}

struct EventBody: Encodable, Sendable {
    let id: Int64
    let type: String
    let placementId: String?
    let payload: [String: String]
    let createdAt: Date

    init(_ r: EventRecord) {
        id = r.id
        type = r.type
        placementId = r.placementID?.uuidString.lowercased()
        createdAt = r.createdAt
        let object = (try? JSONSerialization.jsonObject(with: Data(r.payload.utf8))) as? [String: Any] ?? [:]
        // Numbers (a job's credits) as their text, so every value reads the same way.
        payload = object.compactMapValues { $0 as? String ?? ($0 as? NSNumber)?.stringValue }
    }
}

struct ImportRowError: Encodable, Sendable {
    let row: Int
    let field: String?
    let message: String
}

struct ImportBody: ResponseEncodable, Sendable {
    let rows: Int
    let created: Int
    let duplicates: Int
    let errors: [ImportRowError]
}
