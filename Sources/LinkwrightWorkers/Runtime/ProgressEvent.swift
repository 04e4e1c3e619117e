import Foundation
import LinkwrightCore
import LinkwrightStore

/// One thing a person watching their tenant sees happen, as streamed at
/// `GET /api/v1/events/live`: a task finished, failed or died; a placement was checked.
struct ProgressEvent: Encodable, Sendable {
    let type: String
    let taskID: Int64
    /// Ids as the API writes them everywhere else: lower-case (a `UUID` would encode upper-case,
    /// and a page comparing an event's id with the ids it shows would never match).
    let campaignID: String?
    let engine: String
    let lane: String
    var placementID: String?
    var draftID: String?
    /// The public page a link was published on.
    var sourceURL: String?
    var state: String?
    var error: String?
    /// Prospecting: the job, the domain and what it found.
    var jobID: String?
    var domain: String?
    var matches: Int?
    let at: Date

    init(_ type: String, _ task: ClaimedTask, at: Date = Date()) {
        self.type = type
        taskID = task.id
        campaignID = task.campaignID?.uuidString.lowercased()
        engine = task.engine
        lane = task.lane.rawValue
        self.at = at
    }

    /// Each event as one line of JSON (the fan-out separates events by line breaks, which JSON
    /// escapes inside strings).
    static func lines(_ events: [ProgressEvent]) -> [String] {
        let encoder = APIJSON.makeEncoder()
        return events.compactMap { try? String(decoding: encoder.encode($0), as: UTF8.self) }
    }

    static func succeeded(_ task: ClaimedTask) -> ProgressEvent { ProgressEvent("task.succeeded", task) }

    static func failed(_ task: ClaimedTask, state: TaskState, error: String) -> ProgressEvent {
        var event = ProgressEvent(state == .dead ? "task.dead" : "task.retrying", task)
        event.error = String(error.prefix(500))
        return event
    }

    /// The campaign could not afford its next task and was paused.
    static func budgetExhausted(_ task: ClaimedTask) -> ProgressEvent {
        var event = ProgressEvent("campaign.budget_exhausted", task)
        event.state = "paused"
        return event
    }

    /// A content task wrote its slot's draft, now ready for review.
    static func drafted(_ task: ClaimedTask, draftID: UUID, flagged: Bool) -> ProgressEvent {
        var event = ProgressEvent("draft.ready", task)
        event.draftID = draftID.uuidString.lowercased()
        event.state = flagged ? "flagged" : "ready"
        return event
    }

    /// A publishing task placed its link: the placement is verified next.
    static func published(_ task: ClaimedTask, placementID: UUID, sourceURL: String) -> ProgressEvent {
        var event = ProgressEvent("link.published", task)
        event.placementID = placementID.uuidString.lowercased()
        event.sourceURL = sourceURL
        return event
    }

    /// A prospecting job finished one of its domains.
    static func prospected(_ task: ClaimedTask, result: ProspectDomainResult, matches: Int) -> ProgressEvent {
        var event = ProgressEvent("prospect.domain", task)
        event.jobID = result.jobID.uuidString.lowercased()
        event.domain = result.domain
        event.state = result.outcome.rawValue
        event.error = result.failureReason
        event.matches = matches
        return event
    }

    /// A prospecting job changed state as work finished: completed, or paused by its budget.
    static func prospectJob(_ task: ClaimedTask, jobID: UUID, state: ProspectJobState) -> ProgressEvent {
        var event = ProgressEvent("prospect.job", task)
        event.jobID = jobID.uuidString.lowercased()
        event.state = state.rawValue
        return event
    }

    static func checked(_ task: ClaimedTask, placementID: UUID, state: PlacementState, lost: Bool) -> ProgressEvent {
        var event = ProgressEvent(lost ? "link.lost" : "placement.checked", task)
        event.placementID = placementID.uuidString.lowercased()
        event.state = state.rawValue
        return event
    }
}
