import Foundation

/// A price for the units of a month from `fromQuantity` on (graduated tiers).
public struct PriceTier: Sendable, Equatable {
    public let fromQuantity: Int64
    public let microsPerUnit: Int64
    public init(fromQuantity: Int64, microsPerUnit: Int64) {
        self.fromQuantity = fromQuantity
        self.microsPerUnit = microsPerUnit
    }
}

/// What a plan charges: a monthly base and per-unit prices by ledger kind.
public struct PlanPricing: Sendable, Equatable {
    public let plan: String
    public let baseMicros: Int64
    public let tiers: [CostKind: [PriceTier]]
    public init(plan: String, baseMicros: Int64, tiers: [CostKind: [PriceTier]]) {
        self.plan = plan
        self.baseMicros = baseMicros
        self.tiers = tiers
    }
}

/// One tenant's bill for one month: line items priced exactly in micro-dollars, and a total
/// rounded once to the cent. Rendered as JSON, CSV and a printable HTML page, each
/// deterministic, so a frozen report can be compared byte for byte.
public struct BillingReport: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let description: String
        public let kind: String
        public let quantity: Int64
        public let unit: String
        public let unitPriceMicros: Int64
        public let amountMicros: Int64
    }

    public static let roundingRule =
        "Line amounts are exact in micro-dollars (millionths of a dollar); only the total is rounded, once, half up, to the cent."

    public let tenantName: String
    public let period: BillingPeriod
    public let plan: String
    public let lines: [Line]
    public let subtotalMicros: Int64
    public let totalCents: Int64

    static let units: [CostKind: (singular: String, label: String)] = [
        .placement: ("placement", "Placements"), .verification: ("check", "Verification checks"), .llmTokens: ("token", "LLM tokens"),
        .scrapeCredits: ("credit", "Scrape credits"), .fetch: ("request", "Requests"),
    ]

    public init(tenantName: String, period: BillingPeriod, pricing: PlanPricing, usage: [CostKind: Int64]) {
        self.tenantName = tenantName
        self.period = period
        plan = pricing.plan
        var lines = [
            Line(
                description: "\(pricing.plan.capitalized) plan, \(period.name)", kind: "base", quantity: 1, unit: "month",
                unitPriceMicros: pricing.baseMicros, amountMicros: pricing.baseMicros)
        ]
        for kind in CostKind.allCases {
            guard let quantity = usage[kind], quantity > 0, let tiers = pricing.tiers[kind]?.sorted(by: { $0.fromQuantity < $1.fromQuantity }),
                !tiers.isEmpty
            else { continue }
            let (unit, label) = Self.units[kind]!
            for (index, tier) in tiers.enumerated() where quantity > tier.fromQuantity {
                let upTo = index + 1 < tiers.count ? min(quantity, tiers[index + 1].fromQuantity) : quantity
                let band = upTo - tier.fromQuantity
                guard band > 0 else { continue }
                let range =
                    tiers.count == 1
                    ? ""
                    : index + 1 < tiers.count
                        ? " \(tier.fromQuantity + 1)–\(tiers[index + 1].fromQuantity)" : " from \(tier.fromQuantity + 1)"
                lines.append(
                    Line(
                        description: label + range, kind: kind.rawValue, quantity: band, unit: unit,
                        unitPriceMicros: tier.microsPerUnit, amountMicros: band * tier.microsPerUnit))
            }
        }
        self.lines = lines
        subtotalMicros = lines.reduce(0) { $0 + $1.amountMicros }
        totalCents = Money.cents(roundingHalfUp: subtotalMicros)
    }

    // MARK: Renderings

    public func json() -> String {
        struct Body: Encodable {
            struct Item: Encodable {
                let description: String, kind: String, quantity: Int64, unit: String
                let unit_price_micros: Int64, amount_micros: Int64, amount: String
            }
            let tenant: String, period: String, plan: String, currency: String
            let lines: [Item]
            let subtotal_micros: Int64, total_cents: Int64, total: String, rounding: String
        }
        let body = Body(
            tenant: tenantName, period: period.text, plan: plan, currency: "USD",
            lines: lines.map {
                Body.Item(
                    description: $0.description, kind: $0.kind, quantity: $0.quantity, unit: $0.unit,
                    unit_price_micros: $0.unitPriceMicros, amount_micros: $0.amountMicros,
                    amount: Money.dollars(micros: $0.amountMicros))
            },
            subtotal_micros: subtotalMicros, total_cents: totalCents, total: Money.dollars(cents: totalCents), rounding: Self.roundingRule)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Strings and integers only: encoding cannot fail, and a report must never be half written.
        return String(decoding: try! encoder.encode(body), as: UTF8.self) + "\n"
    }

    public static let csvHeader = "period,tenant,plan,line,kind,quantity,unit,unit_price_micros,amount_micros"

    /// Rows without the header, so operators' all-tenant export can concatenate them.
    public func csvRows() -> [String] {
        let prefix = [period.text, Self.csvField(tenantName), Self.csvField(plan)]
        var rows = lines.map {
            (prefix + [
                Self.csvField($0.description), $0.kind, String($0.quantity), $0.unit, String($0.unitPriceMicros),
                String($0.amountMicros),
            ]).joined(separator: ",")
        }
        rows.append((prefix + ["Subtotal", "subtotal", "", "", "", String(subtotalMicros)]).joined(separator: ","))
        rows.append(
            (prefix + [
                Self.csvField("Total, \(Money.dollars(cents: totalCents)) (rounded once, half up, to the cent)"), "total", "", "", "",
                String(totalCents * 10_000),
            ]).joined(separator: ","))
        return rows
    }

    public func csv() -> String { ([Self.csvHeader] + csvRows()).joined(separator: "\r\n") + "\r\n" }

    static func csvField(_ text: String) -> String { CSV.field(text) }

    public func html() -> String {
        let e = Self.escape
        let rows = lines.map {
            "<tr><td>\(e($0.description))</td><td class=\"n\">\($0.quantity)</td><td>\(e($0.unit))</td>"
                + "<td class=\"n\">\(Money.dollars(micros: $0.unitPriceMicros))</td><td class=\"n\">\(Money.dollars(micros: $0.amountMicros))</td></tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Linkwright bill, \(e(tenantName)), \(period.name)</title>
            <link rel="stylesheet" href="/report.css">
            </head>
            <body>
            <main class="report">
            <h1>Bill for \(period.name)</h1>
            <p>\(e(tenantName)) · \(e(plan.capitalized)) plan · amounts in US dollars</p>
            <table>
            <thead><tr><th>Item</th><th class="n">Quantity</th><th>Unit</th><th class="n">Unit price</th><th class="n">Amount</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            <tfoot>
            <tr><th colspan="4">Subtotal</th><td class="n">\(Money.dollars(micros: subtotalMicros))</td></tr>
            <tr><th colspan="4">Total</th><td class="n"><strong>\(Money.dollars(cents: totalCents))</strong></td></tr>
            </tfoot>
            </table>
            <p class="rule">\(e(Self.roundingRule))</p>
            </main>
            </body>
            </html>

            """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
