import Foundation
import LinkwrightCore
import Testing

@Suite struct CampaignPlanTests {
    let id = UUID()
    let monday = Date(timeIntervalSince1970: 1_795_392_000)  // 2026-11-23T00:00:00Z

    func settings(dailyLimit: Int = 4, days: Int = 3, engines: [PlacementEngine] = [.web2, .forums]) -> CampaignSettings {
        CampaignSettings(
            name: "c", targetURL: "https://t.example/", anchorTexts: ["a", "b", "c"], keywords: [],
            engines: engines, priority: .normal, dailyLimit: dailyLimit, budgetMicros: 0, minAuthority: 0,
            startsAt: monday, endsAt: monday.addingTimeInterval(Double(days) * 86_400))
    }

    @Test func everyDayGetsDailyLimitSlotsSpreadOverTheDay() {
        let plan = CampaignPlan(campaignID: id, settings: settings(), now: monday)
        #expect(plan.slots.count == 12)
        #expect(Set(plan.slots.map(\.idempotencyKey)).count == 12)
        let firstDay = plan.slots.prefix(4).map { $0.runAt.timeIntervalSince(monday) }
        #expect(firstDay == [0, 21_600, 43_200, 64_800])
        #expect(plan.slots.prefix(4).map(\.engine) == [.web2, .forums, .web2, .forums])
        #expect(plan.slots.prefix(4).map(\.anchorText) == ["a", "b", "c", "a"])
    }

    @Test func planningLaterNamesTheSameSlotsAndSkipsThePast() {
        let early = CampaignPlan(campaignID: id, settings: settings(), now: monday)
        let later = CampaignPlan(campaignID: id, settings: settings(), now: monday.addingTimeInterval(86_400 + 30_000))
        #expect(later.slots.count < early.slots.count)
        #expect(Set(later.slots.map(\.idempotencyKey)).isSubset(of: Set(early.slots.map(\.idempotencyKey))))
        #expect(later.slots.allSatisfy { $0.runAt >= monday.addingTimeInterval(86_400 + 30_000) })
        #expect(later.slots.first?.idempotencyKey.contains("day:2026-11-24:slot:1") == true)
    }

    @Test func aCampaignWithoutAnEndIsPlannedForThirtyDaysAndNeverBeyondTheCap() {
        var open = settings(dailyLimit: 2)
        open.endsAt = nil
        #expect(CampaignPlan(campaignID: id, settings: open, now: monday).slots.count == 60)
        var huge = settings(dailyLimit: 1000, days: 90)
        huge.endsAt = monday.addingTimeInterval(90 * 86_400)
        #expect(CampaignPlan(campaignID: id, settings: huge, now: monday).slots.count == CampaignPlan.maximumSlots)
    }
}
