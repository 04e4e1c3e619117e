import Foundation
import LinkwrightCore

/// What every publishing engine settles before it touches a platform: the task's payload, the
/// draft while it is still approved, the desk, and the plan's placements left this month.
struct PublishingJob {
    let payload: PublishTaskPayload
    let draftID: UUID
    let draft: ApprovedDraft
    let desk: any PublishingDesk

    enum Opening {
        case ready(PublishingJob)
        /// The attempt ends here, with this outcome.
        case stop(EngineOutcome)
    }

    static func open(_ task: EngineTask, tools: EngineTools) async throws -> Opening {
        guard let payload = try? JSONDecoder().decode(PublishTaskPayload.self, from: Data(task.payload.utf8)),
            let draftID = UUID(uuidString: payload.draftID)
        else { return .stop(.failed(reason: "the publishing task's payload is not readable")) }
        guard let desk = tools.publishing else { return .stop(.failed(reason: "this worker has no access to drafts and accounts")) }
        guard let draft = try await desk.approvedDraft(tenantID: task.tenantID, id: draftID) else {
            return .stop(.gaveUp(reason: "the draft is no longer approved, so it is not published"))
        }
        // Checked before publishing, as a placed link cannot be taken back. The slot waits for the
        // next month (or a larger plan), never failing for it.
        let allowance = try await desk.placementAllowance(tenantID: task.tenantID, taskID: task.taskID)
        if allowance.left <= 0 {
            let wait = min(max(allowance.resetsAt.timeIntervalSince(tools.now()), 60), 6 * 3600)
            return .stop(
                .waiting(
                    reason:
                        "the plan's \(allowance.limit) placements for this month are used: publishing resumes next month or on a larger plan",
                    for: .seconds(wait)))
        }
        return .ready(PublishingJob(payload: payload, draftID: draftID, draft: draft, desk: desk))
    }

    /// What becomes of the slot when the platform did not take the post, the same for every
    /// engine that publishes with an account: a refused account is marked failing and the slot
    /// waits for a person to reconnect it; `Retry-After` is waited out; refused content goes back
    /// to review with the platform's words; a gone site ends the slot.
    func outcome(of failure: PublishFailure, account: ConnectedAccount, task: EngineTask) async throws -> EngineOutcome {
        switch failure {
        case .connectionBroken(let reason):
            try await desk.accountFailed(tenantID: task.tenantID, id: account.id, reason: reason)
            return .waiting(reason: reason, for: Web2Engine.accountWait)
        case .retryLater(let reason, let after):
            return after.map { .waiting(reason: reason, for: $0) } ?? .failed(reason: reason)
        case .contentRefused(let reason):
            // This task ends; the next approval (or a rewrite's) publishes the slot.
            try await desk.draftRefused(tenantID: task.tenantID, draftID: draftID, taskID: task.taskID, reason: reason)
            return .gaveUp(reason: reason)
        case .gone(let reason):
            return .gaveUp(reason: reason)
        }
    }
}
