import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore
import NIOCore

/// Billing for owners and admins (and admin-scoped API keys): the month's running usage, past
/// months' frozen reports as JSON, CSV or a printable page; for operators, every tenant's report
/// of a month as one CSV.
struct BillingController: Sendable {
    let billing: BillingRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("billing/usage", use: usage)
        group.get("billing/reports", use: list)
        group.get("billing/reports/{period}", use: report)
    }

    func addAdminRoutes(to admin: RouterGroup<AppRequestContext>) {
        admin.get("billing/reports/{period}", use: allTenants)
    }

    /// `?period=YYYY-MM`, default the current month.
    @Sendable func usage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (actor, _) = try context.manager
        let period = try request.uri.queryParameters["period"].map { try Self.period($0) } ?? BillingPeriod.containing(Date())
        let report = try await billing.compute(tenantID: actor.tenantID, period: period)
        return Self.response(report.json(), type: "application/json")
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<ReportSummaryBody> {
        let (actor, _) = try context.manager
        let limit = try PageQuery.limit(request)
        let before = try request.uri.queryParameters["cursor"].map { try Self.period($0, field: "cursor").text }
        let page = try await billing.list(tenantID: actor.tenantID, limit: limit, before: before)
        return PageBody(items: page.items.map(ReportSummaryBody.init), nextCursor: page.next)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (actor, _) = try context.manager
        let period = try Self.period(context.parameters.get("period") ?? "", field: "period")
        guard period.isClosed(at: Date()) else {
            throw APIError.conflict(
                "MONTH_OPEN", "\(period.text) has not ended; its running totals are at /api/v1/billing/usage?period=\(period.text)")
        }
        let frozen = try await billing.frozen(tenantID: actor.tenantID, period: period)
        switch request.uri.queryParameters["format"].map(String.init) ?? ReportFormat.preferred(by: request.headers[.accept]) {
        case "json": return Self.response(frozen.json, type: "application/json")
        case "csv": return Self.response(frozen.csv, type: "text/csv; charset=utf-8", download: "linkwright-\(period.text).csv")
        case "html": return Self.response(frozen.html, type: "text/html; charset=utf-8")
        default: throw APIError.validation("format", "must be json, csv or html")
        }
    }

    @Sendable func allTenants(_ request: Request, context: AppRequestContext) async throws -> Response {
        let period = try Self.period(context.parameters.get("period") ?? "", field: "period")
        guard period.isClosed(at: Date()) else { throw APIError.conflict("MONTH_OPEN", "\(period.text) has not ended") }
        // Each stored report is the header line and its rows; the rows are taken whole, never
        // split on line breaks, which a quoted tenant name may contain.
        let header = BillingReport.csvHeader + "\r\n"
        var export = header
        for tenant in try await billing.tenants(existingBefore: period.end) {
            let frozen = try await billing.frozen(tenantID: tenant, period: period)
            export += frozen.csv.hasPrefix(header) ? String(frozen.csv.dropFirst(header.count)) : frozen.csv
        }
        return Self.response(export, type: "text/csv; charset=utf-8", download: "linkwright-all-\(period.text).csv")
    }

    static func period(_ text: some StringProtocol, field: String = "period") throws -> BillingPeriod {
        guard let period = BillingPeriod(text) else { throw APIError.validation(field, "must be a month written YYYY-MM, like 2026-11") }
        return period
    }

    static func response(_ text: String, type: String, download: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        if let download { headers[.contentDisposition] = "attachment; filename=\"\(download)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

struct ReportSummaryBody: Encodable, Sendable {
    let period: String
    let plan: String
    let totalCents: Int64
    let total: String
    let closedAt: Date

    init(_ r: FrozenReportSummary) {
        period = r.period
        plan = r.plan
        totalCents = r.totalCents
        total = Money.dollars(cents: r.totalCents)
        closedAt = r.closedAt
    }
}
