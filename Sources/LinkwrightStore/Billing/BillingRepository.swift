import Foundation
import LinkwrightCore
import PostgresNIO

/// What a list of a tenant's reports shows of each: the stored bodies stay unread.
public struct FrozenReportSummary: Sendable, Equatable {
    public let period: String
    public let plan: String
    public let totalCents: Int64
    public let closedAt: Date
}

/// A frozen report as stored.
public struct FrozenReport: Sendable, Equatable {
    public let period: String
    public let plan: String
    public let totalCents: Int64
    public let json: String
    public let csv: String
    public let html: String
    public let closedAt: Date
}

/// Billing: prices, a month's usage from the cost ledger, and frozen reports.
///
/// A closed month's report is computed once (by the scheduler's first tick after the month
/// ends, or by the first request for it) and stored as rendered; every later read returns
/// those bytes, whatever prices or plans say by then. The month's plan is the tenant's plan
/// when the report is frozen.
public struct BillingRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public func pricing(plan: String, on connection: PostgresConnection) async throws -> PlanPricing {
        let base =
            try await connection.query("SELECT base_micros FROM plan_prices WHERE plan = \(plan)", logger: database.logger)
            .decode(Int64.self).first { _ in true } ?? 0
        var tiers: [CostKind: [PriceTier]] = [:]
        let rows = try await connection.query(
            "SELECT kind, from_quantity, micros_per_unit FROM plan_unit_prices WHERE plan = \(plan)", logger: database.logger)
        for try await (kind, from, micros) in rows.decode((String, Int64, Int64).self) {
            if let kind = CostKind(rawValue: kind) { tiers[kind, default: []].append(PriceTier(fromQuantity: from, microsPerUnit: micros)) }
        }
        return PlanPricing(plan: plan, baseMicros: base, tiers: tiers)
    }

    /// The report of `period` as the ledger says now (running totals for the current month).
    public func compute(tenantID: UUID, period: BillingPeriod) async throws -> BillingReport {
        try await database.withTenant(tenantID) { connection in try await compute(tenantID: tenantID, period: period, on: connection) }
    }

    func compute(tenantID: UUID, period: BillingPeriod, on connection: PostgresConnection) async throws -> BillingReport {
        guard
            let (name, plan) = try await connection.query("SELECT name, plan FROM tenants WHERE id = \(tenantID)", logger: database.logger)
                .decode((String, String).self).first(where: { _ in true })
        else { throw StoreError.notFound }
        var usage: [CostKind: Int64] = [:]
        let rows = try await connection.query(
            """
            SELECT kind, sum(quantity)::bigint FROM cost_ledger
            WHERE tenant_id = \(tenantID) AND occurred_at >= \(period.start) AND occurred_at < \(period.end) GROUP BY kind
            """, logger: database.logger)
        for try await (kind, quantity) in rows.decode((String, Int64).self) { if let kind = CostKind(rawValue: kind) { usage[kind] = quantity } }
        return BillingReport(tenantName: name, period: period, pricing: try await pricing(plan: plan, on: connection), usage: usage)
    }

    /// The frozen report of a closed month, freezing it now if nobody has yet.
    public func frozen(tenantID: UUID, period: BillingPeriod) async throws -> FrozenReport {
        try await database.withTenant(tenantID) { connection in
            if let stored = try await Self.stored(tenantID: tenantID, period: period, on: connection, logger: database.logger) { return stored }
            let report = try await compute(tenantID: tenantID, period: period, on: connection)
            try await connection.query(
                """
                INSERT INTO billing_reports (tenant_id, period, plan, total_cents, json, csv, html)
                VALUES (\(tenantID), \(period.text), \(report.plan), \(report.totalCents), \(report.json()), \(report.csv()), \(report.html()))
                ON CONFLICT (tenant_id, period) DO NOTHING
                """, logger: database.logger)
            guard let stored = try await Self.stored(tenantID: tenantID, period: period, on: connection, logger: database.logger) else {
                throw StoreError.notFound
            }
            return stored
        }
    }

    static func stored(tenantID: UUID, period: BillingPeriod, on connection: PostgresConnection, logger: Logger) async throws -> FrozenReport? {
        let rows = try await connection.query(
            """
            SELECT period, plan, total_cents, json, csv, html, closed_at FROM billing_reports WHERE tenant_id = \(tenantID) AND period = \(period.text)
            """, logger: logger)
        for try await r in rows.decode((String, String, Int64, String, String, String, Date).self) {
            return FrozenReport(period: r.0, plan: r.1, totalCents: r.2, json: r.3, csv: r.4, html: r.5, closedAt: r.6)
        }
        return nil
    }

    /// The tenant's frozen reports, newest month first.
    public func list(tenantID: UUID, limit: Int, before: String?) async throws -> (items: [FrozenReportSummary], next: String?) {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT period, plan, total_cents, closed_at FROM billing_reports
                WHERE (\(before)::text IS NULL OR period < \(before)) ORDER BY period DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var items: [FrozenReportSummary] = []
            for try await r in rows.decode((String, String, Int64, Date).self) {
                items.append(FrozenReportSummary(period: r.0, plan: r.1, totalCents: r.2, closedAt: r.3))
            }
            let more = items.count > limit
            if more { items.removeLast() }
            return (items, more ? items.last?.period : nil)
        }
    }

    /// Tenants that existed in `period` and have no frozen report of it yet.
    public func unfrozenTenants(period: BillingPeriod) async throws -> [UUID] {
        try await database.withSystem { connection in
            try await connection.query(
                """
                SELECT t.id FROM tenants t WHERE t.created_at < \(period.end)
                  AND NOT EXISTS (SELECT 1 FROM billing_reports b WHERE b.tenant_id = t.id AND b.period = \(period.text))
                ORDER BY t.id
                """, logger: database.logger
            ).decode(UUID.self).reduce(into: []) { $0.append($1) }
        }
    }

    /// Every tenant that existed before `period` ended, for freezing and the operators' export.
    public func tenants(existingBefore date: Date) async throws -> [UUID] {
        try await database.withSystem { connection in
            try await connection.query("SELECT id FROM tenants WHERE created_at < \(date) ORDER BY id", logger: database.logger)
                .decode(UUID.self).reduce(into: []) { $0.append($1) }
        }
    }
}
