import Foundation
import LinkwrightCore
import Hummingbird
import LinkwrightStore

struct AdminTenantBody: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let slug: String
    let plan: String?
    let createdAt: Date

    init(_ t: TenantRecord) {
        id = t.id.lowercased
        name = t.name
        slug = t.slug
        plan = t.plan
        createdAt = t.createdAt
    }
}

/// Operator routes under `/api/v1/admin`: the only place that reads across tenants on purpose.
struct AdminController: Sendable {
    let accounts: AccountRepository
    /// Told of a plan change so this process applies the new rate limit at once.
    let allowances: PlanAllowances

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("tenants", use: listTenants)
        group.patch("tenants/{id}", use: changePlan)
    }

    struct ChangePlanRequest: Decodable {
        let plan: String
    }

    @Sendable func changePlan(_ request: Request, context: AppRequestContext) async throws -> AdminTenantBody {
        let id = try context.parameters.uuid()
        let body = try await request.decodeJSON(as: ChangePlanRequest.self, context: context)
        context.state.describeForAudit(action: "admin.tenant.change_plan")
        let tenant = try await accounts.setPlan(tenantID: id, plan: body.plan)
        allowances.forget(id)
        return AdminTenantBody(tenant)
    }

    @Sendable func listTenants(_ request: Request, context: AppRequestContext) async throws -> PageBody<AdminTenantBody> {
        let page = try PageQuery(request)
        let result = try await accounts.listTenants(limit: page.limit, after: page.cursor)
        return PageBody(
            items: result.items.map(AdminTenantBody.init),
            nextCursor: result.nextCursor?.encoded)
    }
}
