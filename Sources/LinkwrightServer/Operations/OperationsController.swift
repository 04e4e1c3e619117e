import Foundation
import Hummingbird
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightStore
import Logging

struct StatusBody: ResponseEncodable, Sendable {
    let status: String
}

/// Liveness, readiness and metrics for operators and orchestrators.
struct OperationsController: Sendable {
    let database: Database
    let metrics: AppMetrics
    /// When set, `/metrics` needs it as a bearer token.
    let metricsToken: String?
    let queue: QueueAdministration
    let coordination: Coordination?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz", use: healthz)
        router.get("readyz", use: readyz)
        router.get("metrics", use: exposition)
    }

    /// Alive: the process answers. Deliberately touches nothing else.
    @Sendable func healthz(_ request: Request, context: AppRequestContext) async throws -> StatusBody {
        StatusBody(status: "ok")
    }

    /// Ready: PostgreSQL answers within two seconds. Recovers by itself once the database is back,
    /// because the pool reconnects on demand.
    @Sendable func readyz(_ request: Request, context: AppRequestContext) async throws -> StatusBody {
        do {
            try await database.ping()
        } catch {
            throw APIError.unavailable("the database is unreachable", retryAfter: 5)
        }
        return StatusBody(status: "ready")
    }

    @Sendable func exposition(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let metricsToken {
            let presented = request.headers[.authorization].map { String($0.dropFirst("Bearer ".count)) } ?? ""
            guard constantTimeEquals(Array(presented.utf8), Array(metricsToken.utf8)) else {
                throw APIError.unauthorized("metrics need the LINKWRIGHT_METRICS_TOKEN bearer token")
            }
        }
        // Queue gauges are read at scrape time: they are facts about the database, not about this
        // process, and every API process reports the same values. No tenant id in any label.
        metrics.recordCoordination(degraded: coordination?.degraded ?? false)
        do {
            metrics.recordQueue(try await queue.lanes())
            metrics.recordBusiness(try await BusinessFacts.read(from: database))
            metrics.recordDatabase(up: true)
        } catch {
            metrics.recordDatabase(up: false)
            context.logger.warning("database gauges not refreshed", metadata: ["error": "\(error)"])
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: .init(bytes: metrics.exposition())))
    }
}
