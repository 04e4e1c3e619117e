import LinkwrightCore
import LinkwrightEngines
import Prometheus

/// Publishing as operators see it: attempts by engine, platform and outcome, and how long each
/// platform takes to publish. Platform names and outcome words are the only labels.
extension TaskMetrics: PublishObserver {
    public func attempted(engine: String, platform: ConnectionPlatform, outcome: String, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.publishedDescriptor, labels: [("engine", engine), ("platform", platform.rawValue), ("outcome", outcome)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.publishTimeDescriptor, labels: [("platform", platform.rawValue)], buckets: Self.publishBuckets
        )
        .record(duration)
    }

    public func limitWaited(platform: ConnectionPlatform, action: AccountAction, window: String) {
        registry.makeCounter(
            descriptor: Self.limitWaitsDescriptor, labels: [("platform", platform.rawValue), ("action", action.rawValue), ("window", window)]
        ).increment()
    }

    static var limitWaitsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "action_limit_waits", unitName: "total",
            helpText: "Slots that waited for an account's action limit, by platform, action and window (hour, day, spacing)")
    }

    static let publishBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        .seconds(30),
    ]

    static var publishedDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "placements_published", unitName: "total",
            helpText: "Publishing attempts, by engine, platform and outcome")
    }
    static var publishTimeDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "linkwright", metricName: "publish", unitName: "seconds", helpText: "Time a platform took per publish")
    }
}
