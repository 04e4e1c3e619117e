import Foundation
import LinkwrightCore
import Testing

@Suite struct BillingReportTests {
    static let pro = PlanPricing(
        plan: "pro", baseMicros: 49_000_000,
        tiers: [
            .placement: [PriceTier(fromQuantity: 0, microsPerUnit: 1_500_000), PriceTier(fromQuantity: 500, microsPerUnit: 1_200_000)],
            .llmTokens: [PriceTier(fromQuantity: 0, microsPerUnit: 3)],
        ])

    @Test func graduatedTiersSplitTheMonthsUnitsExactly() {
        let report = BillingReport(
            tenantName: "T", period: BillingPeriod("2026-10")!, pricing: Self.pro, usage: [.placement: 620, .llmTokens: 1, .fetch: 9])
        #expect(report.lines.map(\.quantity) == [1, 500, 120, 1], "base, two placement bands, tokens; unpriced requests omitted")
        #expect(report.lines.map(\.description) == ["Pro plan, October 2026", "Placements 1–500", "Placements from 501", "LLM tokens"])
        #expect(report.subtotalMicros == 49_000_000 + 500 * 1_500_000 + 120 * 1_200_000 + 3)
        #expect(report.totalCents == 94_300, "$943.000003 rounds once to $943.00")
    }

    @Test func theTotalIsRoundedOnceHalfUpToTheCent() {
        #expect(
            Money.cents(roundingHalfUp: 5_000) == 1 && Money.cents(roundingHalfUp: 4_999) == 0
                && Money.cents(roundingHalfUp: 1_234_565_000) == 123_457)
        #expect(Money.dollars(micros: 3) == "$0.000003" && Money.dollars(micros: 1_200_000_000) == "$1,200.00")
        #expect(Money.dollars(cents: 188_503) == "$1,885.03" && Money.dollars(cents: 5) == "$0.05")
    }

    @Test func periodsAreMonthsInUTC() throws {
        let october = try #require(BillingPeriod("2026-10"))
        #expect(october.start == ISO8601DateFormatter().date(from: "2026-10-01T00:00:00Z"))
        #expect(october.end == ISO8601DateFormatter().date(from: "2026-11-01T00:00:00Z"))
        #expect(BillingPeriod("2026-12")!.next.text == "2027-01" && BillingPeriod("2026-01")!.previous.text == "2025-12")
        #expect(BillingPeriod("2026-13") == nil && BillingPeriod("26-10") == nil && BillingPeriod("2026-1") == nil)
    }
}
