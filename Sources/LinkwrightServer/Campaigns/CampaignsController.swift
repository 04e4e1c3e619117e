import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// Campaign CRUD and lifecycle for anyone in the tenant with write access.
struct CampaignsController: Sendable {
    let campaigns: CampaignRepository
    let metering: MeteringRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("campaigns", use: create)
        group.get("campaigns", use: list)
        group.get("campaigns/{id}", use: show)
        group.get("campaigns/{id}/estimate", use: estimate)
        group.patch("campaigns/{id}", use: update)
        group.delete("campaigns/{id}", use: delete)
        for action in [CampaignStatus.Action.start, .pause, .resume, .archive] {
            group.post("campaigns/{id}/\(action.rawValue)") { request, context in
                try await perform(action, request: request, context: context)
            }
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<CampaignBody> {
        let actor = try context.tenant
        let body = try await request.decodeJSON(as: CampaignRequest.self, context: context)
        let settings = try CampaignSettings.creating(from: body.input)
        let record = try await campaigns.create(tenantID: actor.tenantID, settings: settings, createdBy: actor.userID)
        context.state.describeForAudit(action: "campaign.create", targetID: record.id.lowercased)
        return JSONResponse(status: .created, body: CampaignBody(record))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<CampaignBody> {
        let actor = try context.tenant
        let page = try PageQuery(request)
        let status = try request.filter("status", as: CampaignStatus.self)
        let result = try await campaigns.list(tenantID: actor.tenantID, status: status, limit: page.limit, after: page.cursor)
        return PageBody(items: result.items.map(CampaignBody.init), nextCursor: result.nextCursor?.encoded)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> CampaignBody {
        let actor = try context.tenant
        guard let record = try await campaigns.campaign(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("campaign")
        }
        var body = CampaignBody(record)
        body.tasksByState = try await campaigns.taskCounts(tenantID: actor.tenantID, id: record.id)
        return body
    }

    /// The expected cost of what the campaign still has to do: its plan's slots for a draft,
    /// its unfinished placement tasks otherwise; from the tenant's own history when it has enough.
    @Sendable func estimate(_ request: Request, context: AppRequestContext) async throws -> EstimateBody {
        let actor = try context.tenant
        guard let record = try await campaigns.campaign(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("campaign")
        }
        let tasks: [PlacementEngine: Int]
        if record.status == .draft {
            tasks = CampaignPlan(campaignID: record.id, settings: record.settings, now: Date()).slots.reduce(into: [:]) {
                $0[$1.engine, default: 0] += 1
            }
        } else {
            tasks = try await metering.pendingTasks(tenantID: actor.tenantID, campaignID: record.id)
        }
        let estimate = CostEstimate(
            tasksByEngine: tasks, unitCosts: try await metering.unitCosts(),
            history: try await metering.taskCostHistory(tenantID: actor.tenantID))
        return EstimateBody(estimate, campaign: record)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> CampaignBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "campaign.update")
        let body = try await request.decodeJSON(as: CampaignRequest.self, context: context)
        return CampaignBody(try await campaigns.update(tenantID: actor.tenantID, id: id, input: body.input))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let actor = try context.tenant
        context.state.describeForAudit(action: "campaign.delete")
        guard try await campaigns.delete(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("campaign")
        }
        return .noContent
    }

    func perform(_ action: CampaignStatus.Action, request: Request, context: AppRequestContext) async throws -> CampaignBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "campaign.\(action.rawValue)")
        return CampaignBody(try await campaigns.perform(action, tenantID: actor.tenantID, id: id))
    }
}
