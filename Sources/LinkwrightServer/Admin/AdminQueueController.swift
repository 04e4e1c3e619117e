import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

struct LaneBody: ResponseEncodable, Sendable {
    let lane: String
    let paused: Bool
    let available: Int
    let running: Int
    let scheduled: Int
    let dead: Int
    let oldestAvailableAgeSeconds: Double

    init(_ s: LaneStatus) {
        lane = s.lane.rawValue
        paused = s.paused
        available = s.available
        running = s.running
        scheduled = s.scheduled
        dead = s.dead
        oldestAvailableAgeSeconds = s.oldestAvailableAgeSeconds
    }
}

struct LanesBody: ResponseEncodable, Sendable {
    let lanes: [LaneBody]
}

/// The queue across all tenants, and the lane switches, for operators.
struct AdminQueueController: Sendable {
    let queue: QueueAdministration
    let tasks: TaskRepository
    let taskQueue: TaskQueue

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("queue", use: overview)
        group.get("dead-tasks", use: deadTasks)
        group.post("dead-tasks/{id}/retry", use: retry)
        group.post("lanes/{lane}/pause") { request, context in try await setPaused(true, request: request, context: context) }
        group.post("lanes/{lane}/resume") { request, context in try await setPaused(false, request: request, context: context) }
    }

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> LanesBody {
        return LanesBody(lanes: try await queue.lanes().map(LaneBody.init))
    }

    @Sendable func deadTasks(_ request: Request, context: AppRequestContext) async throws -> PageBody<TaskBody> {
        let page = try await tasks.allDeadTasks(limit: try PageQuery.limit(request), after: try PageQuery.sequenceCursor(request))
        return PageBody(items: page.items.map(TaskBody.init), nextCursor: page.next?.encoded)
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), let tenantID = try await tasks.tenantOfDeadTask(id: id) else {
            throw APIError.notFound("dead task")
        }
        context.state.describeForAudit(action: "admin.task.retry", tenantID: tenantID)
        guard try await taskQueue.retryDead(tenantID: tenantID, id: id) else { throw APIError.notFound("dead task") }
        return .noContent
    }

    func setPaused(_ paused: Bool, request: Request, context: AppRequestContext) async throws -> LaneBody {
        let operatorID = try context.operatorID
        guard let raw = context.parameters.get("lane"), let lane = Lane(rawValue: raw) else { throw APIError.notFound("lane") }
        context.state.describeForAudit(action: paused ? "admin.lane.pause" : "admin.lane.resume", targetID: lane.rawValue)
        try await queue.setPaused(paused, lane: lane, by: operatorID)
        guard let status = try await queue.lanes().first(where: { $0.lane == lane }) else { throw APIError.notFound("lane") }
        return LaneBody(status)
    }
}
