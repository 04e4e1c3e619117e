import Foundation
import LinkwrightCore

/// How many workers each lane gets and how they hold their tasks.
public struct WorkerConfiguration: Sendable {
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

    public init(concurrency: [Lane: Int] = [.high: 2, .normal: 2, .bulk: 1, .verification: 2], batchSize: Int = 10,
                lease: Duration = .seconds(60), pollInterval: Duration = .seconds(1), reapInterval: Duration = .seconds(5),
                shutdownDeadline: Duration = .seconds(20), owner: String? = nil) {
        self.concurrency = concurrency
        self.batchSize = batchSize
        self.lease = lease
        self.pollInterval = pollInterval
        self.reapInterval = reapInterval
        self.shutdownDeadline = shutdownDeadline
        self.owner = owner ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }
}
