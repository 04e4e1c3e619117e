import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

struct TaskBody: Encodable, Sendable {
    let id: Int64
    let lane: String
    let engine: String
    let campaignId: String?
    let state: String
    let attempt: Int
    let maxAttempts: Int
    let runAt: Date
    let lastError: String?
    let idempotencyKey: String
    let payload: [String: JSONValue]
    let createdAt: Date
    let finishedAt: Date?
    let tenantId: String?

    init(_ t: TaskRecord) {
        tenantId = t.tenantID?.lowercased
        id = t.id
        lane = t.lane.rawValue
        engine = t.engine
        campaignId = t.campaignID?.lowercased
        state = t.state.rawValue
        attempt = t.attempt
        maxAttempts = t.maxAttempts
        runAt = t.runAt
        lastError = t.lastError
        idempotencyKey = t.idempotencyKey
        createdAt = t.createdAt
        finishedAt = t.finishedAt
        payload = (try? JSONDecoder().decode([String: JSONValue].self, from: Data(t.payload.utf8))) ?? [:]
    }
}

/// Counts per lane, every state present with 0 when empty so clients need no defaults.
struct QueueBody: ResponseEncodable, Sendable {
    let lanes: [String: [String: Int]]
}

/// The tenant's view of its queue.
struct QueueController: Sendable {
    let tasks: TaskRepository
    let taskQueue: TaskQueue

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("campaigns/{id}/tasks", use: campaignTasks)
        group.get("queue", use: queue)
        group.get("dead-tasks", use: deadTasks)
        group.post("dead-tasks/{id}/retry", use: retry)
    }

    @Sendable func deadTasks(_ request: Request, context: AppRequestContext) async throws -> PageBody<TaskBody> {
        let actor = try context.tenant
        let page = try await tasks.deadTasks(
            tenantID: actor.tenantID, limit: try PageQuery.limit(request), after: try PageQuery.sequenceCursor(request))
        return PageBody(items: page.items.map(TaskBody.init), nextCursor: page.next?.encoded)
    }

    /// Puts a dead task back with a fresh set of attempts; 404 unless it is this tenant's and dead.
    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let actor = try context.tenant
        guard let raw = context.parameters.get("id"), let id = Int64(raw) else { throw APIError.notFound("dead task") }
        context.state.describeForAudit(action: "task.retry")
        guard try await taskQueue.retryDead(tenantID: actor.tenantID, id: id) else { throw APIError.notFound("dead task") }
        return .noContent
    }

    @Sendable func campaignTasks(_ request: Request, context: AppRequestContext) async throws -> PageBody<TaskBody> {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        let limit = try PageQuery.limit(request)
        let cursor = try PageQuery.sequenceCursor(request)
        let state = try request.filter("state", as: TaskState.self)
        guard let page = try await tasks.tasks(tenantID: actor.tenantID, campaignID: id, state: state, limit: limit, after: cursor) else {
            throw APIError.notFound("campaign")
        }
        return PageBody(items: page.items.map(TaskBody.init), nextCursor: page.next?.encoded)
    }

    @Sendable func queue(_ request: Request, context: AppRequestContext) async throws -> QueueBody {
        let actor = try context.tenant
        let counts = try await tasks.counts(tenantID: actor.tenantID)
        var lanes: [String: [String: Int]] = [:]
        for lane in Lane.allCases {
            lanes[lane.rawValue] = Dictionary(uniqueKeysWithValues: TaskState.allCases.map { ($0.rawValue, counts[lane]?[$0] ?? 0) })
        }
        return QueueBody(lanes: lanes)
    }
}
