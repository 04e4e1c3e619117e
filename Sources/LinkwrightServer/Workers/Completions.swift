import Foundation
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
        let duration: Duration
    }

    private struct State {
        var pending: [Entry] = []
        var finishing = false
    }

    private let state = NIOLockedValueBox(State())
    private let bell = Doorbell()
    private let queue: TaskQueue
    private let owner: String
    private let metrics: AppMetrics?
    private let logger: Logger
    /// The most results one statement records.
    static let batchLimit = 500

    init(queue: TaskQueue, owner: String, metrics: AppMetrics?, logger: Logger) {
        self.queue = queue
        self.owner = owner
        self.metrics = metrics
        self.logger = logger
    }

    func add(_ task: ClaimedTask, result: String, duration: Duration) async {
        state.withLockedValue { $0.pending.append(Entry(task: task, result: result, duration: duration)) }
        await bell.ring()
    }

    /// Writes what has gathered until `finish()` is called and nothing is left.
    func run() async {
        while true {
            let (batch, finishing) = state.withLockedValue { state in
                let batch = Array(state.pending.prefix(Self.batchLimit))
                state.pending.removeFirst(batch.count)
                return (batch, state.finishing)
            }
            if batch.isEmpty {
                if finishing { return }
                await bell.wait(timeout: .seconds(1))
                continue
            }
            do {
                let recorded = try await queue.completeAll(batch.map { ($0.task, $0.result) }, owner: owner)
                for entry in batch where recorded.contains(entry.task.id) {
                    metrics?.recordTask(engine: entry.task.engine, outcome: "succeeded", duration: entry.duration)
                }
            } catch {
                // The leases run out and the reaper returns the tasks: nothing lost, nothing doubled.
                logger.warning("completions not recorded", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            }
        }
    }

    /// Lets `run()` return once everything added so far is written.
    func finish() async {
        state.withLockedValue { $0.finishing = true }
        await bell.ring()
    }
}
