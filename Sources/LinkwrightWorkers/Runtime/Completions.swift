import Foundation
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import Logging
import NIOConcurrencyHelpers

/// Successful results waiting to be recorded, written in batches by one flusher per process.
///
/// Executions hand their result over and free their slot at once; the flusher records whatever
/// has gathered while its previous batch was being written (group commit), so a busy process
/// writes one completion statement per many tasks and an idle one writes each result within a
/// round trip. A result that is never written (the process dies) is not lost: its lease runs out
/// and the task runs again, and the result's idempotency key keeps its effect single.
final class Completions: Sendable {
    struct Entry: Sendable {
        let task: ClaimedTask
        let result: String
        let usage: [Usage]
        let duration: Duration
    }

    private struct State {
        var pending: [Entry] = []
        var finishing = false
        /// The flusher is parked waiting for work: only then does `add` ring.
        var idle = false
    }

    private let state = NIOLockedValueBox(State())
    private let bell = Doorbell()
    private let queue: TaskQueue
    private let verification: VerificationRecorder
    private let drafts: DraftRecorder
    private let publishing: PublishRecorder
    private let prospecting: ProspectRecorder
    private let owner: String
    private let metrics: TaskMetrics?
    private let events: LiveEvents?
    private let logger: Logger
    /// The most results one statement records.
    static let batchLimit = 500

    init(
        queue: TaskQueue, verification: VerificationRecorder, drafts: DraftRecorder, publishing: PublishRecorder,
        prospecting: ProspectRecorder, owner: String, metrics: TaskMetrics?, events: LiveEvents?, logger: Logger
    ) {
        self.publishing = publishing
        self.prospecting = prospecting
        self.events = events
        self.queue = queue
        self.verification = verification
        self.drafts = drafts
        self.owner = owner
        self.metrics = metrics
        self.logger = logger
    }

    func add(_ task: ClaimedTask, result: String, usage: [Usage] = [], duration: Duration) async {
        let wake = state.withLockedValue { state in
            state.pending.append(Entry(task: task, result: result, usage: usage, duration: duration))
            defer { state.idle = false }
            return state.idle
        }
        if wake { await bell.ring() }
    }

    /// Writes what has gathered until `finish()` is called and nothing is left.
    func run() async {
        while true {
            let (batch, finishing) = state.withLockedValue { state in
                let batch = Array(state.pending.prefix(Self.batchLimit))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.idle = true }
                return (batch, state.finishing)
            }
            if batch.isEmpty {
                if finishing { return }
                await bell.wait(timeout: .seconds(1))
                continue
            }
            // A verification's check changes its placement, so checks complete one by one; a content
            // task writes its draft in the completing transaction, all of a batch's drafts at once;
            // everything else in one statement.
            let checks = batch.filter { $0.task.engine == "verification" }
            for entry in checks { await recordCheck(entry) }
            await recordDrafts(batch.filter { $0.task.engine == "content" })
            // A publishing task's placement is made with its completion, one by one (a handful a
            // minute per account, far from the flusher's limits).
            for entry in batch where PlacementEngine(rawValue: entry.task.engine) != nil { await recordPublish(entry) }
            // A domain's matches go to its job's results and the next domain is issued, one by one
            // (each locks its job's row; a job finishes a few domains a second).
            for entry in batch where entry.task.engine == "prospecting" { await recordProspect(entry) }
            let plain = batch.filter {
                $0.task.engine != "verification" && $0.task.engine != "content" && $0.task.engine != "prospecting"
                    && PlacementEngine(rawValue: $0.task.engine) == nil
            }
            guard !plain.isEmpty else { continue }
            do {
                let usage = plain.reduce(into: [Int64: [Usage]]()) { if !$1.usage.isEmpty { $0[$1.task.id] = $1.usage } }
                let recorded = try await queue.completeAll(plain.map { ($0.task, $0.result) }, usage: usage, owner: owner)
                for entry in plain where recorded.contains(entry.task.id) {
                    metrics?.recordTask(engine: entry.task.engine, outcome: "succeeded", duration: entry.duration)
                }
                await publish(plain.filter { recorded.contains($0.task.id) }.map { ($0.task.tenantID, ProgressEvent.succeeded($0.task)) })
            } catch {
                // The leases run out and the reaper returns the tasks: nothing lost, nothing doubled.
                logger.warning("completions not recorded", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            }
        }
    }

    func recordCheck(_ entry: Entry) async {
        guard let placementID = VerificationEngine.placementID(inPayload: entry.task.payload),
            let check = try? LinkCheckResult(json: entry.result)
        else {
            logger.error("verification result unreadable", metadata: ["task": "\(entry.task.id)"])
            return
        }
        do {
            let outcome = try await verification.record(entry.task, placementID: placementID, check: check, usage: entry.usage, owner: owner)
            if outcome.recorded {
                metrics?.recordTask(engine: entry.task.engine, outcome: "succeeded", duration: entry.duration)
                metrics?.recordCheck(state: check.state, lost: outcome.lost)
                await publish([
                    (entry.task.tenantID, ProgressEvent.checked(entry.task, placementID: placementID, state: check.state, lost: outcome.lost))
                ])
            }
        } catch {
            logger.warning("verification not recorded", metadata: ["task": "\(entry.task.id)", "error": "\(error)"])
        }
    }

    func recordPublish(_ entry: Entry) async {
        guard let result = try? PublishResult(json: entry.result) else {
            logger.error("publishing result unreadable", metadata: ["task": "\(entry.task.id)"])
            return
        }
        do {
            if let placementID = try await publishing.record(entry.task, result: result, resultJSON: entry.result, usage: entry.usage, owner: owner) {
                metrics?.recordTask(engine: entry.task.engine, outcome: "succeeded", duration: entry.duration)
                await publish([(entry.task.tenantID, ProgressEvent.published(entry.task, placementID: placementID, sourceURL: result.sourceURL))])
            }
        } catch {
            logger.warning("placement not recorded", metadata: ["task": "\(entry.task.id)", "error": "\(error)"])
        }
    }

    func recordProspect(_ entry: Entry) async {
        guard let result = try? ProspectDomainResult.decode(entry.result) else {
            logger.error("prospecting result unreadable", metadata: ["task": "\(entry.task.id)"])
            return
        }
        let started = ContinuousClock.now
        do {
            if let recorded = try await prospecting.record(entry.task, result: result, usage: entry.usage, owner: owner) {
                metrics?.recordTask(engine: entry.task.engine, outcome: "succeeded", duration: entry.duration)
                metrics?.recordProspect(result, written: recorded.matches, writeDuration: ContinuousClock.now - started)
                var events = [(entry.task.tenantID, ProgressEvent.prospected(entry.task, result: result, matches: recorded.matches))]
                if let state = recorded.state, state != .running {
                    events.append((entry.task.tenantID, ProgressEvent.prospectJob(entry.task, jobID: result.jobID, state: state)))
                }
                await publish(events)
            }
        } catch {
            logger.warning("prospecting result not recorded", metadata: ["task": "\(entry.task.id)", "error": "\(error)"])
        }
    }

    func recordDrafts(_ entries: [Entry]) async {
        let readable = entries.compactMap { entry -> (entry: Entry, draft: DraftRecorder.Entry)? in
            guard let result = try? DraftResult(json: entry.result) else {
                logger.error("content result unreadable", metadata: ["task": "\(entry.task.id)"])
                return nil
            }
            return (entry, DraftRecorder.Entry(task: entry.task, result: result, resultJSON: entry.result, usage: entry.usage))
        }
        guard !readable.isEmpty else { return }
        do {
            let recorded = try await drafts.record(readable.map(\.draft), owner: owner)
            var events: [(UUID, ProgressEvent)] = []
            for (entry, draft) in readable {
                guard let draftID = recorded[entry.task.id] else { continue }
                metrics?.recordTask(engine: entry.task.engine, outcome: "succeeded", duration: entry.duration)
                metrics?.recordDraft(provider: draft.result.provider, passed: draft.result.passed, flagged: draft.result.flagged)
                events.append((entry.task.tenantID, ProgressEvent.drafted(entry.task, draftID: draftID, flagged: draft.result.flagged)))
            }
            await publish(events)
        } catch  where readable.count > 1 {
            // One draft the database refuses must not hold back the others: each is tried alone.
            for (entry, _) in readable { await recordDrafts([entry]) }
        } catch {
            // As with any completion: the lease runs out and the task runs again, its effects single.
            logger.warning("draft not recorded", metadata: ["task": "\(readable[0].entry.task.id)", "error": "\(error)"])
        }
    }

    /// One message per tenant per batch, all tenants at once: a busy flusher pays one round
    /// trip for the whole batch, not one per task.
    func publish(_ batch: [(tenant: UUID, event: ProgressEvent)]) async {
        guard let events, !batch.isEmpty else { return }
        var byTenant: [UUID: [ProgressEvent]] = [:]
        for (tenant, event) in batch { byTenant[tenant, default: []].append(event) }
        await withTaskGroup(of: Void.self) { group in
            for (tenant, tenantEvents) in byTenant {
                group.addTask { await events.publish(tenantID: tenant, ProgressEvent.lines(tenantEvents)) }
            }
        }
    }

    /// Lets `run()` return once everything added so far is written.
    func finish() async {
        state.withLockedValue { $0.finishing = true }
        await bell.ring()
    }
}
