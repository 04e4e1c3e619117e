import LinkwrightCore
import Prometheus

/// What the workers record for operators: attempts by engine and outcome, how long tasks waited,
/// verification results. Written into the registry the process exposes at `/metrics`, so an
/// `all` process shows HTTP and task series together and a `worker` process needs no HTTP layer
/// to count its work.
public struct TaskMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// A finished attempt, by engine and how it ended (succeeded, retried, waiting, dead).
    func recordTask(engine: String, outcome: String, duration: Duration) {
        registry.makeCounter(descriptor: Self.tasksFinishedDescriptor, labels: [("engine", engine), ("outcome", outcome)]).increment()
        registry.makeDurationHistogram(descriptor: Self.taskDurationDescriptor, labels: [("engine", engine)], buckets: Self.durationBuckets)
            .record(duration)
    }

    /// How long a task had been due when a worker claimed it, for one lane; looked up once per
    /// lane, recorded per task.
    func waitHistogram(lane: Lane) -> DurationHistogram {
        registry.makeDurationHistogram(descriptor: Self.taskWaitDescriptor, labels: [("lane", lane.rawValue)], buckets: Self.waitBuckets)
    }

    /// A verification check by its result, and a lost link when the check confirmed one.
    func recordCheck(state: PlacementState, lost: Bool) {
        registry.makeCounter(descriptor: Self.checksDescriptor, labels: [("result", state.rawValue)]).increment()
        if lost { registry.makeCounter(descriptor: Self.linksLostDescriptor).increment() }
    }

    /// A draft written, by the provider that wrote it and how its checks came out.
    func recordDraft(provider: String, passed: Bool, flagged: Bool) {
        let outcome = flagged ? "flagged" : passed ? "passed" : "failed_checks"
        registry.makeCounter(descriptor: Self.draftsDescriptor, labels: [("provider", provider), ("checks", outcome)]).increment()
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10),
    ]
    /// Waits range from milliseconds (an idle lane) to hours (a backlog), unlike attempt times.
    static let waitBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30),
        .seconds(60), .seconds(300), .seconds(900), .seconds(3600), .seconds(14400),
    ]

    static var tasksFinishedDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "tasks_finished", unitName: "total", helpText: "Task attempts finished, by engine and outcome")
    }
    static var taskDurationDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "task_duration", unitName: "seconds", helpText: "Time an engine took per attempt")
    }
    static var taskWaitDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "task_wait", unitName: "seconds", helpText: "How long a task had been due when a worker claimed it")
    }
    static var checksDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "verification_checks", unitName: "total", helpText: "Verification checks by result")
    }
    static var draftsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "drafts_written", unitName: "total", helpText: "Drafts written, by provider and check outcome")
    }
    static var linksLostDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "links_lost", unitName: "total", helpText: "Links confirmed lost by two clean checks")
    }
}
