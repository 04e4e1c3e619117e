import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import LinkwrightCore
import LinkwrightStore
import Prometheus

/// The API process's Prometheus metrics (HTTP, rate limits, queue and business gauges read at
/// scrape time; the workers' task series are `TaskMetrics` in the same registry), owned by the application and passed in (no global
/// MetricsSystem), so tests can build many applications in one process.
public final class AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    static var requestsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests served, by route template and status")
    }
    static var durationDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_request_duration", unitName: "seconds",
            helpText: "Time from request head to response head")
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func record(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.requestsDescriptor,
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.durationDescriptor,
            labels: [("method", method), ("route", route)],
            buckets: Self.buckets
        ).record(duration)
    }

    /// One rate-limit decision, by scope (plan, address, operator) and outcome; no caller in labels.
    func recordRateLimit(scope: String, allowed: Bool) {
        registry.makeCounter(descriptor: Self.rateLimitDescriptor, labels: [("scope", scope), ("outcome", allowed ? "allowed" : "limited")])
            .increment()
    }

    static var rateLimitDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "rate_limit_decisions", unitName: "total",
            helpText: "API rate-limit decisions by scope and outcome")
    }

    /// 1 while Redis is configured but unreachable and limits are kept in this process.
    func recordCoordination(degraded: Bool) {
        registry.makeGauge(descriptor: Self.degradedDescriptor).set(Double(degraded ? 1 : 0))
    }

    static var degradedDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "coordination_degraded",
            helpText: "1 while Redis is configured but unreachable and limits are kept in this process")
    }

    /// Queue depth per lane and state, and the age of each lane's oldest ready task.
    func recordQueue(_ lanes: [LaneStatus]) {
        for lane in lanes {
            for (state, value) in [("available", lane.available), ("running", lane.running), ("scheduled", lane.scheduled), ("dead", lane.dead)] {
                registry.makeGauge(descriptor: Self.queueTasksDescriptor, labels: [("lane", lane.lane.rawValue), ("state", state)])
                    .set(Double(value))
            }
            registry.makeGauge(descriptor: Self.oldestAgeDescriptor, labels: [("lane", lane.lane.rawValue)])
                .set(lane.oldestAvailableAgeSeconds)
        }
    }

    static var queueTasksDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "queue_tasks", helpText: "Unfinished and dead tasks by lane and state")
    }
    static var oldestAgeDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "queue_oldest_available_age", unitName: "seconds",
            helpText: "How long the oldest ready task of each lane has been due")
    }

    /// The business at scrape time. Placement states and cost kinds are fixed lists, so every
    /// one is set (zero when absent) and a series never goes stale.
    func recordBusiness(_ facts: BusinessFacts) {
        for state in PlacementState.allCases.map(\.rawValue) {
            registry.makeGauge(descriptor: Self.placementsDescriptor, labels: [("state", state)]).set(Double(facts.placementsByState[state] ?? 0))
        }
        for state in DraftState.allCases.map(\.rawValue) {
            registry.makeGauge(descriptor: Self.draftsDescriptor, labels: [("state", state)]).set(Double(facts.draftsByState[state] ?? 0))
        }
        for platform in ConnectionPlatform.allCases.map(\.rawValue) {
            for state in ConnectionState.allCases.map(\.rawValue) {
                registry.makeGauge(descriptor: Self.connectionsDescriptor, labels: [("platform", platform), ("state", state)])
                    .set(Double(facts.connections[platform]?[state] ?? 0))
            }
        }
        registry.makeGauge(descriptor: Self.activeCampaignsDescriptor).set(Double(facts.activeCampaigns))
        registry.makeGauge(descriptor: Self.tenantsDescriptor).set(Double(facts.tenants))
        for kind in CostKind.allCases.map(\.rawValue) {
            registry.makeGauge(descriptor: Self.costDescriptor, labels: [("kind", kind)]).set(Double(facts.costThisMonthMicros[kind] ?? 0))
        }
        for state in ProspectJobState.allCases.map(\.rawValue) {
            registry.makeGauge(descriptor: Self.prospectJobsDescriptor, labels: [("state", state)]).set(Double(facts.prospectJobs[state] ?? 0))
            registry.makeGauge(descriptor: Self.prospectDomainsLeftDescriptor, labels: [("state", state)])
                .set(Double(facts.prospectDomainsLeft[state] ?? 0))
        }
        // Never run counts as infinitely late: an alert must fire for a scheduler that never started.
        registry.makeGauge(descriptor: Self.rollupLagDescriptor).set(facts.rollupLagSeconds ?? Double.greatestFiniteMagnitude)
    }

    func recordDatabase(up: Bool) {
        registry.makeGauge(descriptor: Self.databaseUpDescriptor).set(Double(up ? 1 : 0))
    }

    static var prospectJobsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "linkwright", metricName: "prospect_jobs", helpText: "Prospecting jobs by state, all tenants")
    }
    static var prospectDomainsLeftDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "prospect_domains_left",
            helpText: "Domains of prospecting jobs not finished yet, by the job's state, all tenants")
    }
    static var placementsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "placements", helpText: "Placements by state, all tenants")
    }
    static var draftsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "linkwright", metricName: "drafts", helpText: "Drafts by state, all tenants")
    }
    static var connectionsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "connections", helpText: "Connected accounts by platform and state, all tenants")
    }
    static var activeCampaignsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "active_campaigns", helpText: "Campaigns that are active, all tenants")
    }
    static var tenantsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "tenants", helpText: "Tenants")
    }
    static var costDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "cost_month_to_date", unitName: "microdollars",
            helpText: "Cost recorded in the ledger this calendar month (UTC) by kind, all tenants, in integer micro-dollars")
    }
    static var rollupLagDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "rollup_lag", unitName: "seconds", helpText: "Time since the hourly rollup last finished")
    }
    static var databaseUpDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "database_up", helpText: "1 when PostgreSQL answered this scrape")
    }

    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

/// Records every request under its route template (`/api/v1/users/{id}`), never the raw path,
/// so label sets stay bounded; requests that match no route are counted as `unmatched`.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: AppMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.record(
            method: request.method.rawValue,
            route: context.routeTemplate ?? "unmatched",
            status: Int(response.status.code),
            duration: ContinuousClock.now - start)
        return response
    }
}
