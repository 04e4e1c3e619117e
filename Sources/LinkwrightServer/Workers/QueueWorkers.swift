import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The worker runtime: per lane, `concurrency` loops that claim batches, run each task's engine
/// and record the outcome. Idle loops sleep until a NOTIFY for their lane (or the safety poll);
/// leases are extended by one batched heartbeat per process; expired leases anywhere are reaped.
///
/// On graceful shutdown the loops stop claiming, finish what they hold within the deadline, and
/// whatever is still held after it is released back to the queue without counting an attempt.
public final class QueueWorkers: Service {
    let queue: TaskQueue
    let database: Database
    let registry: EngineRegistry
    let tools: EngineTools
    let configuration: WorkerConfiguration
    let metrics: AppMetrics?
    let logger: Logger
    let doorbells: [Lane: Doorbell]
    private let stopping = NIOLockedValueBox(false)

    public init(database: Database, queue: TaskQueue, registry: EngineRegistry, configuration: WorkerConfiguration,
                metrics: AppMetrics? = nil, tools: EngineTools = EngineTools(), logger: Logger) {
        self.database = database
        self.queue = queue
        self.registry = registry
        self.tools = tools
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.doorbells = Dictionary(uniqueKeysWithValues: Lane.allCases.map { ($0, Doorbell()) })
    }

    struct DeadlineReached: Error {}

    public func run() async throws {
        let loops = configuration.concurrency.flatMap { lane, count in Array(repeating: lane, count: max(0, count)) }
        await withTaskGroup(of: Void.self) { background in
            background.addTask { await self.listenForWork() }
            background.addTask { await self.every(self.configuration.lease / 3) { try await self.queue.heartbeat(owner: self.configuration.owner, lease: self.configuration.lease) } }
            background.addTask { await self.every(self.configuration.reapInterval) { try await self.queue.reapExpiredLeases() } }

            await withThrowingTaskGroup(of: Bool.self) { workers in
                for lane in loops { workers.addTask { await self.workLoop(lane); return true } }
                // Stop claiming once shutdown starts (or we are cancelled), then allow the deadline.
                workers.addTask {
                    try? await gracefulShutdown()
                    self.stopping.withLockedValue { $0 = true }
                    for doorbell in self.doorbells.values { await doorbell.ring() }
                    try await Task.sleep(for: self.configuration.shutdownDeadline)
                    throw DeadlineReached()
                }
                var finished = 0
                do {
                    while let _ = try await workers.next() {
                        finished += 1
                        if finished == loops.count { break }
                    }
                } catch {
                    logger.warning("worker shutdown deadline reached; releasing leases still held")
                }
                workers.cancelAll()
            }
            background.cancelAll()
        }
        let released = (try? await Task { try await self.queue.release(owner: self.configuration.owner) }.value) ?? 0
        if released > 0 { logger.info("released leases on shutdown", metadata: ["count": "\(released)"]) }
    }

    var isStopping: Bool { stopping.withLockedValue { $0 } }

    func workLoop(_ lane: Lane) async {
        let engines = registry.names
        var busy = 0  // empty dequeues to retry at once after a full batch, before parking
        while !isStopping && !Task.isCancelled {
            let claimed: [ClaimedTask]
            do {
                claimed = try await queue.dequeue(
                    lane: lane, engines: engines, owner: configuration.owner,
                    batch: configuration.batchSize, perTenant: configuration.batchSize, lease: configuration.lease)
            } catch {
                logger.warning("dequeue failed", metadata: ["lane": "\(lane.rawValue)", "error": "\(error)"])
                try? await Task.sleep(for: configuration.pollInterval)
                continue
            }
            if claimed.isEmpty {
                // Another worker may hold this tenant's turn for a moment (one tenant, many
                // workers): after a full batch, look again shortly instead of parking.
                if busy > 0 {
                    busy -= 1
                    try? await Task.sleep(for: .milliseconds(2))
                } else {
                    await doorbells[lane]!.wait(timeout: configuration.pollInterval)
                }
                continue
            }
            busy = claimed.count == configuration.batchSize ? 5 : 0
            // A claimed batch is finished even when shutdown starts meanwhile: work in flight ends.
            var succeeded: [(task: ClaimedTask, result: String)] = []
            for task in claimed {
                if let result = await execute(task) { succeeded.append((task, result)) }
            }
            do {
                _ = try await queue.completeAll(succeeded, owner: configuration.owner)
            } catch {
                // The leases run out and the reaper returns the tasks: nothing lost, nothing doubled.
                logger.warning("completions not recorded", metadata: ["count": "\(succeeded.count)", "error": "\(error)"])
            }
        }
    }

    /// Runs one task's engine. Returns its result when it succeeded (completed later with the rest
    /// of the batch); records a failure at once.
    func execute(_ task: ClaimedTask) async -> String? {
        guard let engine = registry.engine(named: task.engine) else { return nil }
        let started = ContinuousClock.now
        let outcome: EngineOutcome
        do {
            outcome = try await engine.perform(
                EngineTask(tenantID: task.tenantID, taskID: task.id, engine: task.engine, attempt: task.attempt,
                           idempotencyKey: task.idempotencyKey, payload: task.payload),
                tools: tools)
        } catch {
            outcome = .failed(reason: String(describing: error))
        }
        do {
            switch outcome {
            case .done(let result):
                metrics?.recordTask(engine: task.engine, outcome: "succeeded", duration: ContinuousClock.now - started)
                return result
            case .failed(let reason):
                let failure = try await queue.fail(task, owner: configuration.owner, error: reason)
                metrics?.recordTask(engine: task.engine, outcome: failure?.state == .dead ? "dead" : "retried", duration: ContinuousClock.now - started)
                // No NOTIFY announces a retry coming due; this process knows when, so it rings itself.
                if let failure, failure.state == .failedRetryable, failure.retryIn < configuration.pollInterval, let doorbell = doorbells[task.lane] {
                    Task {
                        try? await Task.sleep(for: failure.retryIn)
                        await doorbell.ring()
                    }
                }
            }
        } catch {
            // The lease runs out and the reaper returns the task: nothing is lost, nothing doubled.
            logger.warning("task outcome not recorded", metadata: ["task": "\(task.id)", "error": "\(error)"])
        }
        return nil
    }

    func listenForWork() async {
        await database.listen(TaskQueue.channel) { payload in
            if let lane = Lane(rawValue: payload) {
                await self.doorbells[lane]?.ring()
            } else {
                for doorbell in self.doorbells.values { await doorbell.ring() }  // after a reconnect
            }
        }
    }

    func every(_ interval: Duration, _ work: @escaping @Sendable () async throws -> Int) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            do { _ = try await work() } catch {
                logger.warning("queue maintenance failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
