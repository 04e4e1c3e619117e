import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore
import NIOCore

/// Placements: add one or import many, list and filter, read one and its check history, check
/// again now, delete. Lost-link events are listed at `/events`.
struct PlacementsController: Sendable {
    let placements: PlacementRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("placements", use: create)
        group.post("placements/import", use: importCSV)
        group.get("placements", use: list)
        group.get("placements/{id}", use: show)
        group.get("placements/{id}/checks", use: checks)
        group.post("placements/{id}/verify", use: verify)
        group.delete("placements/{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<PlacementBody> {
        let actor = try context.tenant
        let input = try await request.decodeJSON(as: PlacementRequest.self, context: context).validated()
        let result = try await placements.create(tenantID: actor.tenantID, [input])
        guard let record = result.created.first else {
            throw APIError.conflict("DUPLICATE", "this source page is already placed for this target", field: "source_url")
        }
        context.state.describeForAudit(action: "placement.create", targetID: record.id.uuidString.lowercased())
        return JSONResponse(status: .created, body: PlacementBody(record))
    }

    /// Up to this many data rows; a larger file is refused whole, before anything is written.
    static let importRowLimit = 50_000
    static let importByteLimit = 32 * 1024 * 1024

    /// `text/csv` with `source_url,target_url,expected_anchor` (a header row is optional), read as
    /// it streams in. Every row is validated; the valid ones are created in one transaction and
    /// each invalid or duplicate row is reported by its line number.
    @Sendable func importCSV(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<ImportBody> {
        let actor = try context.tenant
        var reader = CSVReader()
        var valid: [(row: Int, input: NewPlacement)] = []
        var errors: [ImportRowError] = []
        var row = 0
        var bytes = 0
        func take(_ fields: [String]) throws {
            row += 1
            if row == 1, fields.first?.lowercased().trimmingWhitespace() == "source_url" { return }  // header
            if fields.count == 1, fields[0].trimmingWhitespace().isEmpty { return }  // blank line
            guard valid.count + errors.count < Self.importRowLimit else {
                throw APIError(.contentTooLarge, code: "TOO_MANY_ROWS", detail: "an import holds at most \(Self.importRowLimit) rows")
            }
            guard (2...3).contains(fields.count) else {
                errors.append(
                    ImportRowError(row: row, field: nil, message: "expected source_url,target_url[,expected_anchor], got \(fields.count) fields"))
                return
            }
            do {
                valid.append(
                    (
                        row,
                        try PlacementInput.validate(source: fields[0], target: fields[1], anchor: fields.count > 2 ? fields[2] : nil, campaign: nil)
                    ))
            } catch let error as FieldError {
                errors.append(ImportRowError(row: row, field: error.field, message: "\(error.field) \(error.detail)"))
            }
        }
        for try await chunk in request.body {
            bytes += chunk.readableBytes
            guard bytes <= Self.importByteLimit else {
                throw APIError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", detail: "an import is at most 32 MiB")
            }
            for fields in reader.feed(Array(chunk.readableBytesView)) { try take(fields) }
        }
        for fields in reader.finish() { try take(fields) }

        let result = try await placements.create(tenantID: actor.tenantID, valid.map(\.input))
        for index in result.duplicates {
            errors.append(ImportRowError(row: valid[index].row, field: "source_url", message: "this source page is already placed for this target"))
        }
        context.state.describeForAudit(action: "placement.import")
        return JSONResponse(
            status: .ok,
            body: ImportBody(
                rows: valid.count + errors.count - result.duplicates.count, created: result.created.count,
                duplicates: result.duplicates.count, errors: errors.sorted { $0.row < $1.row }))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<PlacementBody> {
        let actor = try context.tenant
        let page = try PageQuery(request)
        let query = request.uri.queryParameters
        let state = try request.filter("state", as: PlacementState.self)
        var campaignID: UUID?
        if let raw = query["campaign_id"], !raw.isEmpty {
            guard let id = UUID(uuidString: String(raw)) else { throw APIError.validation("campaign_id", "is not a campaign id") }
            campaignID = id
        }
        let result = try await placements.list(tenantID: actor.tenantID, state: state, campaignID: campaignID, limit: page.limit, after: page.cursor)
        return PageBody(items: result.items.map(PlacementBody.init), nextCursor: result.nextCursor?.encoded)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> PlacementBody {
        let actor = try context.tenant
        guard let record = try await placements.placement(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("placement")
        }
        return PlacementBody(record)
    }

    @Sendable func checks(_ request: Request, context: AppRequestContext) async throws -> PageBody<LinkCheckResult> {
        let actor = try context.tenant
        let limit = try PageQuery.limit(request)
        let cursor = try PageQuery.sequenceCursor(request)
        guard
            let page = try await placements.checks(tenantID: actor.tenantID, placementID: try context.parameters.uuid(), limit: limit, after: cursor)
        else {
            throw APIError.notFound("placement")
        }
        return PageBody(items: page.items, nextCursor: page.next?.encoded)
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<PlacementBody> {
        let actor = try context.tenant
        context.state.describeForAudit(action: "placement.verify")
        guard let record = try await placements.verifyNow(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("placement")
        }
        return JSONResponse(status: .accepted, body: PlacementBody(record))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let actor = try context.tenant
        context.state.describeForAudit(action: "placement.delete")
        guard try await placements.delete(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("placement")
        }
        return .noContent
    }

}
