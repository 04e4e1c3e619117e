import Foundation
import LinkwrightCore

/// How many tasks each lane runs at once in this process and how they hold their tasks.
public struct WorkerConfiguration: Sendable {
    /// Tasks running at once per lane in this process (engines wait on the network, so tens are
    /// normal); each tenant is held to its plan's cap on top of this, across all processes.
    public var concurrency: [Lane: Int]
    /// Tasks claimed per dequeue; also the most one tenant gets per dequeue.
    public var batchSize: Int
    public var lease: Duration
    /// The longest an idle worker waits without a NOTIFY before looking for work anyway (tasks
    /// scheduled for later become due without anyone ringing).
    public var pollInterval: Duration
    public var reapInterval: Duration
    /// After shutdown starts, how long tasks in flight may take before their leases are released.
    public var shutdownDeadline: Duration
    /// Names this process's leases; unique per process.
    public var owner: String
    public var retry: RetryPolicy = RetryPolicy()
    /// Most tasks of an engine running at once across every worker process (e.g. a paid API's
    /// account limit), enforced through Redis when configured; engines not named are uncapped.
    public var caps: [String: Int] = [:]
    /// How long a comment a blog holds for its moderator may take to appear before its placement
    /// is `rejected_by_site`.
    public var moderationWait: Duration = .seconds(14 * 86_400)

    public init(
        concurrency: [Lane: Int] = [.high: 16, .normal: 16, .bulk: 8, .verification: 16], batchSize: Int = 10,
        lease: Duration = .seconds(60), pollInterval: Duration = .seconds(1), reapInterval: Duration = .seconds(5),
        shutdownDeadline: Duration = .seconds(20), owner: String? = nil
    ) {
        self.concurrency = concurrency
        self.batchSize = batchSize
        self.lease = lease
        self.pollInterval = pollInterval
        self.reapInterval = reapInterval
        self.shutdownDeadline = shutdownDeadline
        self.owner = owner ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }
}
