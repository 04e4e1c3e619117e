import Foundation
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import Logging
import NIOConcurrencyHelpers
import Prometheus
import ServiceLifecycle

/// The worker runtime: per lane, one claiming loop keeps up to `concurrency` tasks running, each
/// claim taking as many as there are free slots (at most `batchSize`); successful results are
/// recorded in batches by one flusher (`Completions`). An idle lane sleeps until a NOTIFY for it
/// (or the safety poll); leases are extended by one batched heartbeat per process; expired leases
/// anywhere are reaped.
///
/// One claimer per lane rather than one per slot: a tenant's claims are serialised by its claim
/// row, so parallel claimers in one process would mostly find each other's lock (two claimers
/// per lane, tried, drained no faster in ops/bench/queue.sh).
///
/// On graceful shutdown the loops stop claiming, finish what they hold within the deadline, and
/// whatever is still held after it is released back to the queue without counting an attempt.
public final class QueueWorkers: Service {
    let queue: TaskQueue
    let database: Database
    let registry: EngineRegistry
    let tools: EngineTools
    let configuration: WorkerConfiguration
    let metrics: TaskMetrics?
    /// Where progress is published for people watching; nil publishes nothing.
    let events: LiveEvents?
    /// Engines capped across every process (`WorkerConfiguration.caps`), and the slots held here.
    let caps: [String: ConcurrencyCap]
    private let heldSlots = NIOLockedValueBox<[String: ConcurrencyCap]>([:])
    let logger: Logger
    let doorbells: [Lane: Doorbell]
    private let stopping = NIOLockedValueBox(false)

    public init(
        database: Database, queue: TaskQueue, registry: EngineRegistry, configuration: WorkerConfiguration,
        metrics: TaskMetrics? = nil, coordination: Coordination? = nil, tools: EngineTools = EngineTools(), logger: Logger
    ) {
        self.events = coordination?.events
        let coordination = coordination ?? Coordination(redis: nil, logger: logger)
        self.caps = configuration.caps.reduce(into: [:]) { caps, cap in
            caps[cap.key] = ConcurrencyCap(name: "engine:\(cap.key)", limit: cap.value, lease: configuration.lease, coordination: coordination)
        }
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
        let completions = Completions(
            queue: queue, verification: VerificationRecorder(database: database), drafts: DraftRecorder(database: database),
            publishing: PublishRecorder(database: database, moderationWait: configuration.moderationWait),
            prospecting: ProspectRecorder(database: database), owner: configuration.owner,
            metrics: metrics, events: events, logger: logger)
        let loops = configuration.concurrency.filter { $0.value > 0 }.map { (lane: $0.key, slots: $0.value) }
        await withTaskGroup(of: Void.self) { background in
            background.addTask { await self.listenForWork() }
            background.addTask {
                await self.every(self.configuration.lease / 3) {
                    await self.renewSlots()
                    return try await self.queue.heartbeat(owner: self.configuration.owner, lease: self.configuration.lease)
                }
            }
            background.addTask { await self.every(self.configuration.reapInterval) { try await self.queue.reapExpiredLeases() } }
            await withTaskGroup(of: Void.self) { recording in
                recording.addTask { await completions.run() }
                await withThrowingTaskGroup(of: Bool.self) { workers in
                    for loop in loops {
                        workers.addTask {
                            await self.laneLoop(loop.lane, slots: loop.slots, completions: completions)
                            return true
                        }
                    }
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
                        while (try await workers.next()) != nil {
                            finished += 1
                            if finished == loops.count { break }
                        }
                    } catch {
                        logger.warning("worker shutdown deadline reached; releasing leases still held")
                    }
                    workers.cancelAll()
                }
                // Every execution has ended: write the results gathered before stopping the rest.
                await completions.finish()
            }
            background.cancelAll()
        }
        let released = (try? await Task { try await self.queue.release(owner: self.configuration.owner) }.value) ?? 0
        if released > 0 { logger.info("released leases on shutdown", metadata: ["count": "\(released)"]) }
    }

    var isStopping: Bool { stopping.withLockedValue { $0 } }

    /// Claims for one lane whenever slots are free and work is due, and runs each claimed task in
    /// its own child task. Returns when shutdown starts and every execution it started has ended.
    func laneLoop(_ lane: Lane, slots: Int, completions: Completions) async {
        let engines = registry.names
        let slotFreed = Doorbell()
        // Tasks running, and whether the claimer is parked waiting for one to end: only then does
        // an ending task ring, so a busy lane pays no actor hop per task.
        let slots = SlotCount(limit: slots)
        let waitHistogram = metrics?.waitHistogram(lane: lane)
        await withDiscardingTaskGroup { executions in
            var backoff: Duration = .milliseconds(1)
            while !isStopping && !Task.isCancelled {
                let free = slots.free(parkingIfNone: true)
                if free <= 0 {
                    await slotFreed.wait(timeout: configuration.pollInterval)
                    continue
                }
                let claim: TaskQueue.Claim
                do {
                    claim = try await queue.claim(
                        lane: lane, engines: engines, owner: configuration.owner,
                        batch: min(free, configuration.batchSize), perTenant: configuration.batchSize, lease: configuration.lease)
                } catch {
                    logger.warning("dequeue failed", metadata: ["lane": "\(lane.rawValue)", "error": "\(error)"])
                    try? await Task.sleep(for: configuration.pollInterval)
                    continue
                }
                let claimed = claim.tasks
                if claimed.isEmpty {
                    // Due work that another process (or lane) holds for a moment: look again
                    // shortly, backing off, instead of parking until a NOTIFY that will not come.
                    var contended = claim.contended
                    if !contended && claim.tenantsSeen == 0 { contended = (try? await queue.hasDueTenants(lane: lane)) == true }
                    if contended {
                        try? await Task.sleep(for: backoff)
                        backoff = min(backoff * 2, .milliseconds(64))
                    } else {
                        await doorbells[lane]!.wait(timeout: configuration.pollInterval)
                    }
                    continue
                }
                backoff = .milliseconds(1)
                slots.take(claimed.count)
                for task in claimed {
                    waitHistogram?.record(.milliseconds(Int64(max(0, task.waited) * 1000)))
                    // A claimed task is finished even when shutdown starts meanwhile: work in flight ends.
                    executions.addTask {
                        let started = ContinuousClock.now
                        if let done = await self.execute(task) {
                            await completions.add(task, result: done.result, usage: done.usage, duration: ContinuousClock.now - started)
                        }
                        if slots.release() { await slotFreed.ring() }
                    }
                }
            }
        }
    }

    /// Runs one task's engine. Returns its result and usage when it succeeded (recorded later by
    /// `Completions`); records a failure at once. A campaign's task first reserves its expected
    /// cost against the campaign's budget; one the budget cannot cover does not run.
    func execute(_ task: ClaimedTask) async -> (result: String, usage: [Usage])? {
        guard let engine = registry.engine(named: task.engine) else { return nil }
        if task.campaignID != nil, !engine.estimatedUsage.isEmpty {
            do {
                switch try await queue.reserve(task, estimate: engine.estimatedUsage, owner: configuration.owner) {
                case .reserved: break
                case .budgetExhausted:
                    logger.info("campaign paused: budget exhausted", metadata: ["campaign": "\(task.campaignID!)"])
                    await events?.publish(tenantID: task.tenantID, ProgressEvent.lines([.budgetExhausted(task)]))
                    return nil
                case .notRunnable:
                    return nil
                }
            } catch {
                // Not reserved, so not run: the lease runs out and the task comes back.
                logger.warning("budget reservation failed", metadata: ["task": "\(task.id)", "error": "\(error)"])
                return nil
            }
        }
        // A capped engine waits for a slot, holding its lease; if shutdown comes first, the
        // task is released with the others, its attempt not counted.
        var slot: (cap: ConcurrencyCap, token: String)?
        if let cap = caps[task.engine] {
            guard let token = await waitForSlot(cap) else { return nil }
            slot = (cap, token)
            heldSlots.withLockedValue { $0[token] = cap }
        }
        let started = ContinuousClock.now
        let outcome: EngineOutcome
        do {
            outcome = try await engine.perform(
                EngineTask(
                    tenantID: task.tenantID, taskID: task.id, engine: task.engine, attempt: task.attempt,
                    idempotencyKey: task.idempotencyKey, payload: task.payload),
                tools: tools)
        } catch {
            outcome = .failed(reason: String(describing: error))
        }
        if let slot {
            heldSlots.withLockedValue { _ = $0.removeValue(forKey: slot.token) }
            await slot.cap.release(slot.token)
        }
        do {
            switch outcome {
            case .done(let result, let usage):
                return (result, usage)
            case .failed(let reason), .gaveUp(let reason), .waiting(let reason, _):
                let disposition: TaskQueue.FailureDisposition =
                    switch outcome {
                    case .gaveUp: .giveUp
                    case .waiting(_, let duration): .wait(duration)
                    default: .retry
                    }
                let failure = try await queue.fail(task, owner: configuration.owner, error: reason, disposition: disposition)
                let label = failure?.state == .dead ? "dead" : (disposition == .retry ? "retried" : "waiting")
                metrics?.recordTask(engine: task.engine, outcome: label, duration: ContinuousClock.now - started)
                if let failure, let events {
                    await events.publish(tenantID: task.tenantID, ProgressEvent.lines([.failed(task, state: failure.state, error: reason)]))
                }
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

    /// A slot of `cap`, asked for every 25–75 ms (jittered, so waiting processes do not ask in
    /// step), or nil once shutdown starts.
    func waitForSlot(_ cap: ConcurrencyCap) async -> String? {
        while !isStopping, !Task.isCancelled {
            if let token = await cap.tryAcquire() { return token }
            try? await Task.sleep(for: .milliseconds(Int.random(in: 25...75)))
        }
        return nil
    }

    func renewSlots() async {
        let held = heldSlots.withLockedValue { $0 }
        let byCap = Dictionary(grouping: held, by: { $0.value.name })
        for entries in byCap.values { await entries[0].value.renew(entries.map(\.key)) }
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

/// A lane's running tasks against its limit, and whether its claimer is parked for a free slot.
final class SlotCount: Sendable {
    private let state: NIOLockedValueBox<(running: Int, parked: Bool)>
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        self.state = NIOLockedValueBox((0, false))
    }

    /// Free slots; when there are none and `parkingIfNone`, marks the claimer parked so the next
    /// release rings.
    func free(parkingIfNone: Bool) -> Int {
        state.withLockedValue { state in
            let free = limit - state.running
            if free <= 0 && parkingIfNone { state.parked = true }
            return free
        }
    }

    func take(_ count: Int) { state.withLockedValue { $0.running += count } }

    /// Frees a slot; true when the claimer was parked and must be woken.
    func release() -> Bool {
        state.withLockedValue { state in
            state.running -= 1
            defer { state.parked = false }
            return state.parked
        }
    }
}
