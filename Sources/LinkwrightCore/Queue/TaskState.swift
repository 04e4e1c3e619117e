/// Where a task is in the queue.
public enum TaskState: String, Sendable, Codable, CaseIterable {
    case scheduled, available, running, succeeded
    case failedRetryable = "failed_retryable"
    case dead, cancelled

    /// Not yet started: re-planning may replace it, archiving cancels it.
    public var isPending: Bool { self == .scheduled || self == .available || self == .failedRetryable }
}

/// Lanes, each with its own worker pool. Campaign priority chooses the placement lane.
public enum Lane: String, Sendable, Codable, CaseIterable {
    case high, normal, bulk, verification

    public init(_ priority: CampaignPriority) {
        switch priority {
        case .high: self = .high
        case .normal: self = .normal
        case .bulk: self = .bulk
        }
    }
}
