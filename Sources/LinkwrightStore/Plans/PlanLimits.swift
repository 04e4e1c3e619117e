/// A plan's limits, as the tenant sees them.
public struct PlanLimits: Sendable, Equatable {
    public let name: String
    public let activeCampaigns: Int
    public let placementsPerMonth: Int
    public let concurrentTasks: Int
    public let apiRequestsPerMinute: Int
}

/// A tenant's plan and what it has used of it.
public struct PlanUsage: Sendable, Equatable {
    public let limits: PlanLimits
    public let activeCampaigns: Int
    /// Placements created since the start of this calendar month (UTC).
    public let placementsThisMonth: Int
}
