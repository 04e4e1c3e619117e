import LinkwrightEngines
import Prometheus

/// The content providers as operators see them: attempts by provider and outcome, how long they
/// take, and each circuit breaker's state (0 closed, 1 half-open, 2 open). Provider names and
/// outcome words are the only labels.
extension TaskMetrics: ContentObserver {
    public func attempted(provider: String, outcome: String, duration: Duration) {
        registry.makeCounter(descriptor: Self.generationsDescriptor, labels: [("provider", provider), ("outcome", outcome)]).increment()
        registry.makeDurationHistogram(descriptor: Self.generationTimeDescriptor, labels: [("provider", provider)], buckets: Self.generationBuckets)
            .record(duration)
    }

    public func breaker(provider: String, state: CircuitBreaker.State) {
        let value: Double =
            switch state {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        registry.makeGauge(descriptor: Self.breakerDescriptor, labels: [("provider", provider)]).set(value)
    }

    static let generationBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(20),
        .seconds(40), .seconds(60),
    ]

    static var generationsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "content_generations", unitName: "total",
            helpText: "Content provider attempts, by provider and outcome")
    }
    static var generationTimeDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "content_generation", unitName: "seconds", helpText: "Time a content provider took per attempt")
    }
    static var breakerDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "content_provider_breaker", helpText: "Circuit breaker per provider: 0 closed, 1 half-open, 2 open")
    }
}
