import Foundation

/// The placement tasks a campaign's settings call for.
///
/// Every day of the campaign has `daily_limit` slots, spread evenly over the day through
/// `run_at`; slot `i` goes to engine `i mod engines` and anchor text `i mod anchors`, so work is
/// shared out between engines and anchors rather than bunched. A slot's idempotency key names
/// the campaign, the day and the slot, so planning the same slot twice enqueues it once, and a
/// re-plan after an edit skips slots that already ran. Days are named by their UTC date, never
/// by an index from "today", so a plan made tomorrow names the same slots.
public struct CampaignPlan: Sendable, Equatable {
    public struct Slot: Sendable, Equatable {
        public let idempotencyKey: String
        public let engine: PlacementEngine
        public let anchorText: String
        public let runAt: Date
    }

    /// Without an end date, this many days are planned; re-planning later extends the horizon.
    public static let defaultHorizonDays = 30
    /// A campaign never has more planned slots than this at once.
    public static let maximumSlots = 10_000

    public let slots: [Slot]

    /// Slots from the campaign's first day (or `now`, if later) to its end, skipping any that
    /// would run before `now`.
    public init(campaignID: UUID, settings: CampaignSettings, now: Date) {
        let calendar = Self.utcCalendar
        let start = max(settings.startsAt ?? now, now)
        let firstDay = calendar.startOfDay(for: settings.startsAt ?? now)
        let end = settings.endsAt ?? calendar.date(byAdding: .day, value: Self.defaultHorizonDays, to: start)!
        let perSlot = 86_400.0 / Double(settings.dailyLimit)
        var slots: [Slot] = []
        // A campaign starting later gets no slot before its start; one already running keeps the
        // slot in progress now.
        let earliest = (settings.startsAt.map { $0 > now } ?? false) ? start : now.addingTimeInterval(-perSlot)
        var day = firstDay
        outer: while day < end {
            let date = calendar.dateComponents([.year, .month, .day], from: day)
            let dayName = String(format: "%04d-%02d-%02d", date.year!, date.month!, date.day!)
            for i in 0..<settings.dailyLimit {
                let runAt = day.addingTimeInterval(perSlot * Double(i))
                if runAt >= end || slots.count >= Self.maximumSlots { break outer }
                guard runAt >= earliest else { continue }
                slots.append(
                    Slot(
                        idempotencyKey: "campaign:\(campaignID.uuidString.lowercased()):day:\(dayName):slot:\(i)",
                        engine: settings.engines[i % settings.engines.count],
                        anchorText: settings.anchorTexts[i % settings.anchorTexts.count],
                        runAt: max(runAt, now)))
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        self.slots = slots
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
