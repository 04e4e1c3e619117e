import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore

/// The tenant's connected accounts: the only accounts engines publish with. Secrets are
/// accepted here and never returned; the audit log records the change with the secret redacted.
struct ConnectionsController: Sendable {
    let connections: ConnectionRepository
    let probe: AccountProbe
    let actions: any ActionLimiter

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("connections", use: create)
        group.get("connections", use: list)
        group.get("connections/{id}", use: show)
        group.patch("connections/{id}", use: update)
        group.delete("connections/{id}", use: delete)
        group.post("connections/{id}/test", use: test)
        group.get("connections/{id}/limits", use: limits)
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

    /// Signs in with the account as the engines will and says what happened. A refused account
    /// is marked failing with the platform's reason; a failing one that signs in is active again.
    /// A disabled connection is not tested (404 would hide it; 409 says why).
    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> ConnectionTestBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "connection.test", targetID: id.lowercased)
        guard let (record, secret) = try await connections.credentials(tenantID: actor.tenantID, id: id) else {
            if try await connections.find(tenantID: actor.tenantID, id: id) != nil {
                throw APIError.conflict("DISABLED", "the connection is disabled: turn it on (state active) to test it", field: "state")
            }
            throw APIError.notFound("connection")
        }
        let account = ConnectedAccount(
            id: id, platform: record.settings.platform, baseURL: record.settings.baseURL, username: record.settings.username,
            secret: secret ?? "")
        switch await probe.check(account) {
        case .signedIn(let name):
            let now = try await connections.markActive(tenantID: actor.tenantID, id: id) ?? record
            return ConnectionTestBody(ok: true, verdict: "signed in as \(name)", connection: ConnectionBody(now))
        case .untested(let why):
            return ConnectionTestBody(ok: record.settings.platform == .commenter, verdict: why, connection: ConnectionBody(record))
        case .failed(let failure):
            if case .connectionBroken(let reason) = failure { try await connections.markFailing(tenantID: actor.tenantID, id: id, reason: reason) }
            let now = try await connections.find(tenantID: actor.tenantID, id: id) ?? record
            return ConnectionTestBody(ok: false, verdict: failure.description, connection: ConnectionBody(now))
        }
    }

    /// The account's action limits and their usage, shared with every worker process.
    @Sendable func limits(_ request: Request, context: AppRequestContext) async throws -> ConnectionLimitsBody {
        let actor = try context.tenant
        guard let record = try await connections.find(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("connection")
        }
        let usage = await actions.usage(connectionID: record.id, actions: ActionLimits.actions(of: record.settings.platform))
        return ConnectionLimitsBody(record, usage: usage)
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
