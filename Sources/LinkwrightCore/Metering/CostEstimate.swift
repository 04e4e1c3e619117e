/// What a placement engine's task is expected to use, priced at list prices until the tenant
/// has history. Placement engines are not built yet; these are the planning figures the
/// estimate and the budget reservation start from (a placement and its drafted text).
extension PlacementEngine {
    public var estimatedUsage: [Usage] {
        switch self {
        case .comments: [Usage(.placement, 1), Usage(.llmTokens, 600)]
        case .web2: [Usage(.placement, 1), Usage(.llmTokens, 2500)]
        case .forums: [Usage(.placement, 1), Usage(.llmTokens, 1200)]
        case .social: [Usage(.placement, 1), Usage(.llmTokens, 400)]
        }
    }
}

/// What a tenant's placement tasks have actually cost per task, recently.
public struct TaskCostHistory: Sendable, Equatable {
    public let samples: Int
    public let p10: Int64
    public let mean: Int64
    public let p90: Int64

    public init(samples: Int, p10: Int64, mean: Int64, p90: Int64) {
        self.samples = samples
        self.p10 = p10
        self.mean = mean
        self.p90 = p90
    }
}

/// The expected cost range of a campaign's remaining placement tasks, in micro-dollars.
///
/// With at least `historyMinimum` costed tasks in the tenant's recent history the range is that
/// history's 10th to 90th percentile per task and the expectation its mean; otherwise list
/// prices, with the range 80 % to 150 % of the expectation (first runs vary, mostly upwards:
/// retries and longer drafts).
public struct CostEstimate: Sendable, Equatable {
    public enum Basis: String, Sendable {
        case history
        case listPrices = "list_prices"
    }

    public static let historyMinimum = 20

    public let tasks: Int
    public let lowMicros: Int64
    public let expectedMicros: Int64
    public let highMicros: Int64
    public let basis: Basis
    public let historySamples: Int

    public init(tasksByEngine: [PlacementEngine: Int], unitCosts: [CostKind: Int64], history: TaskCostHistory?) {
        let tasks = tasksByEngine.values.reduce(0, +)
        self.tasks = tasks
        historySamples = history?.samples ?? 0
        if let history, history.samples >= Self.historyMinimum {
            basis = .history
            lowMicros = Int64(tasks) * history.p10
            expectedMicros = Int64(tasks) * history.mean
            highMicros = Int64(tasks) * history.p90
        } else {
            basis = .listPrices
            let expected = tasksByEngine.reduce(Int64(0)) { total, entry in
                total + Int64(entry.value) * entry.key.estimatedUsage.reduce(0) { $0 + $1.quantity * (unitCosts[$1.kind] ?? 0) }
            }
            expectedMicros = expected
            lowMicros = expected * 4 / 5
            highMicros = expected * 3 / 2
        }
    }
}
