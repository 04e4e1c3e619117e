import Foundation

/// A calendar month in UTC, written `YYYY-MM`: the unit of billing.
public struct BillingPeriod: Sendable, Hashable, Comparable {
    public let year: Int
    public let month: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-")
        guard text.count == 7, parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), (2000...9999).contains(year), (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }

    init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public static func containing(_ date: Date) -> BillingPeriod {
        let c = utc.dateComponents([.year, .month], from: date)
        return BillingPeriod(year: c.year!, month: c.month!)
    }

    public var text: String { String(format: "%04d-%02d", year, month) }
    public var start: Date { Self.utc.date(from: DateComponents(year: year, month: month, day: 1))! }
    public var next: BillingPeriod { month == 12 ? BillingPeriod(year: year + 1, month: 1) : BillingPeriod(year: year, month: month + 1) }
    public var previous: BillingPeriod { month == 1 ? BillingPeriod(year: year - 1, month: 12) : BillingPeriod(year: year, month: month - 1) }
    public var end: Date { next.start }
    /// "November 2026", the same in every locale.
    public var name: String { "\(Self.monthNames[month - 1]) \(year)" }

    /// Closed once the month has ended: its report can be frozen.
    public func isClosed(at now: Date) -> Bool { now >= end }

    public static func < (a: BillingPeriod, b: BillingPeriod) -> Bool { (a.year, a.month) < (b.year, b.month) }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
