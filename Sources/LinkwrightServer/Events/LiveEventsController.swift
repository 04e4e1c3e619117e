import Foundation
import Hummingbird
import LinkwrightCoordination
import NIOCore
import ServiceLifecycle

/// `GET /api/v1/events/live`: the tenant's progress as server-sent events (`text/event-stream`),
/// one `event:`/`data:` pair per thing that happened (`task.succeeded`, `task.retrying`,
/// `task.dead`, `placement.checked`, `link.lost`), from whichever worker process did it.
///
/// A comment line goes out every `keepAlive` so proxies keep the connection and a client that
/// left is noticed. Nothing is replayed: a client that reconnects reads current state from the
/// API and follows the stream from there. The stream ends when the server shuts down.
struct LiveEventsController: Sendable {
    let events: LiveEvents
    var keepAlive: Duration = .seconds(15)

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("events/live", use: live)
    }

    @Sendable func live(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.tenant
        guard let stream = events.subscribe(tenantID: actor.tenantID) else {
            throw APIError.rateLimited(retryAfter: 30, detail: "at most \(LiveEvents.streamsPerTenant) live streams per tenant at once; close one")
        }
        let keepAlive = keepAlive
        let body = ResponseBody { writer in
            // Events and keep-alive ticks merged into one sequence, so one loop does all the writing.
            let (frames, output) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1000))
            let forward = Task {
                for await event in stream { output.yield(Self.frame(event)) }
                output.finish()
            }
            let tick = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: keepAlive)
                    output.yield(": keep-alive\n\n")
                }
            }
            defer {
                forward.cancel()
                tick.cancel()
            }
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            try await withGracefulShutdownHandler {
                for await frame in frames { try await writer.write(ByteBuffer(string: frame)) }
            } onGracefulShutdown: {
                output.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    /// `event: task.succeeded` then the JSON on one `data:` line.
    static func frame(_ json: String) -> String {
        let type = (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["type"] as? String ?? "message"
        return "event: \(type)\ndata: \(json)\n\n"
    }
}
