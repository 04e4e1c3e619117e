import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// Events kept in the database for people to read later (`link_lost`, `connection_failing`),
/// newest first.
/// The live stream of what is happening now is `LiveEventsController`.
struct StoredEventsController: Sendable {
    let placements: PlacementRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("events", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<EventBody> {
        let actor = try context.tenant
        let limit = try PageQuery.limit(request)
        var type: String?
        if let raw = request.uri.queryParameters["type"], !raw.isEmpty {
            let types = ["link_lost", "connection_failing", "prospect_budget_exhausted", "prospect_completed"]
            guard types.contains(String(raw)) else {
                throw APIError.validation("type", "must be one of \(types.joined(separator: ", "))")
            }
            type = String(raw)
        }
        let page = try await placements.events(tenantID: actor.tenantID, type: type, limit: limit, after: try PageQuery.sequenceCursor(request))
        return PageBody(items: page.items.map(EventBody.init), nextCursor: page.next?.encoded)
    }
}
