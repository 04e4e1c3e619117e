import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// The tenant's connected accounts: the only accounts engines publish with. Secrets are
/// accepted here and never returned; the audit log records the change with the secret redacted.
struct ConnectionsController: Sendable {
    let connections: ConnectionRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("connections", use: create)
        group.get("connections", use: list)
        group.get("connections/{id}", use: show)
        group.patch("connections/{id}", use: update)
        group.delete("connections/{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<ConnectionBody> {
        let actor = try context.tenant
        let body = try await request.decodeJSON(as: ConnectionRequest.self, context: context)
        let settings = try ConnectionSettings.creating(from: body.input)
        let record = try await connections.create(tenantID: actor.tenantID, settings: settings, secret: body.input.secret)
        context.state.describeForAudit(action: "connection.create", targetID: record.id.lowercased)
        return JSONResponse(status: .created, body: ConnectionBody(record))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<ConnectionBody> {
        let actor = try context.tenant
        let page = try PageQuery(request)
        let result = try await connections.list(
            tenantID: actor.tenantID, platform: try request.filter("platform", as: ConnectionPlatform.self),
            state: try request.filter("state", as: ConnectionState.self), limit: page.limit, after: page.cursor)
        return PageBody(items: result.items.map(ConnectionBody.init), nextCursor: result.nextCursor?.encoded)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ConnectionBody {
        let actor = try context.tenant
        guard let record = try await connections.find(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("connection")
        }
        return ConnectionBody(record)
    }

    /// Changes what is sent; a new `secret` reconnects a failing connection; `state` turns it
    /// off (`disabled`) or on (`active`).
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> ConnectionBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "connection.update")
        let body = try await request.decodeJSON(as: ConnectionRequest.self, context: context)
        guard let record = try await connections.update(tenantID: actor.tenantID, id: id, input: body.input) else {
            throw APIError.notFound("connection")
        }
        return ConnectionBody(record)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let actor = try context.tenant
        context.state.describeForAudit(action: "connection.delete")
        guard try await connections.delete(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("connection")
        }
        return .noContent
    }
}
