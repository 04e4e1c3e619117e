import LinkwrightCore
import Testing

@Suite struct CostEstimateTests {
    static let prices: [CostKind: Int64] = [.placement: 250_000, .llmTokens: 2, .verification: 200, .fetch: 50, .scrapeCredits: 1000]

    @Test func withoutHistoryListPricesGiveTheRange() {
        // web2: 250,000 + 2,500 tokens × 2; comments: 250,000 + 600 × 2.
        let estimate = CostEstimate(tasksByEngine: [.web2: 3, .comments: 2], unitCosts: Self.prices, history: nil)
        #expect(estimate.tasks == 5)
        #expect(estimate.basis == .listPrices)
        #expect(estimate.expectedMicros == 3 * 255_000 + 2 * 251_200)
        #expect(estimate.lowMicros == estimate.expectedMicros * 4 / 5 && estimate.highMicros == estimate.expectedMicros * 3 / 2)
    }

    @Test func enoughHistoryReplacesListPrices() {
        let history = TaskCostHistory(samples: 40, p10: 200_000, mean: 260_000, p90: 400_000)
        let estimate = CostEstimate(tasksByEngine: [.forums: 10], unitCosts: Self.prices, history: history)
        #expect(estimate.basis == .history)
        #expect([estimate.lowMicros, estimate.expectedMicros, estimate.highMicros] == [2_000_000, 2_600_000, 4_000_000])
        let thin = CostEstimate(
            tasksByEngine: [.forums: 10], unitCosts: Self.prices,
            history: TaskCostHistory(samples: 3, p10: 1, mean: 1, p90: 1))
        #expect(thin.basis == .listPrices && thin.historySamples == 3, "three tasks are not a history")
    }
}
