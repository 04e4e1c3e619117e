import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore
import NIOCore

/// Prospecting jobs: create (a multipart upload of the two files, or JSON arrays), list, status,
/// start, pause, resume, a new credit cap, the matches page by page, and the error and cost
/// reports as CSV.
struct ProspectingController: Sendable {
    let jobs: ProspectJobRepository
    let results: ProspectResultsRepository
    let metering: MeteringRepository
    let exportRecords: ProspectExportRepository
    let exports: ProspectExports

    /// A domain list of 50,000 URLs with its keywords fits with room to spare.
    static let uploadLimit = 32 * 1024 * 1024
    /// Problems listed in one error, by line; the count says how many there were in all.
    static let problemsShown = 20

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("prospecting/jobs", use: create)
        group.get("prospecting/jobs", use: list)
        group.get("prospecting/jobs/{id}", use: show)
        group.patch("prospecting/jobs/{id}", use: update)
        group.post("prospecting/jobs/{id}/start", use: start)
        group.post("prospecting/jobs/{id}/pause", use: pause)
        group.post("prospecting/jobs/{id}/resume", use: resume)
        group.get("prospecting/jobs/{id}/results", use: resultsPage)
        group.get("prospecting/jobs/{id}/errors", use: errors)
        group.get("prospecting/jobs/{id}/cost-report", use: costs)
        group.post("prospecting/jobs/{id}/exports", use: startExport)
        group.get("prospecting/jobs/{id}/exports", use: listExports)
        group.get("prospecting/jobs/{id}/exports/{export_id}", use: showExport)
    }

    func addDownloadRoute(to group: RouterGroup<AppRequestContext>) {
        group.get("prospecting/downloads/{token}", use: download)
    }

    /// Starts writing the job's results (`{"format": "csv"}` or `"json"`) in the background and
    /// answers at once; the export's status says when its file is ready to download.
    @Sendable func startExport(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<ProspectExportBody> {
        let actor = try context.tenant
        let job = try await find(context)
        struct Body: Decodable { var format: String? }
        let body = try await request.decodeJSON(as: Body.self, context: context)
        let format = (body.format ?? "csv").lowercased()
        guard ["csv", "json"].contains(format) else { throw APIError.validation("format", "must be csv or json, not \(format)") }
        guard job.state != .archived else {
            throw APIError.conflict("ARCHIVED", "the job's results were removed 90 days after it ended; nothing is left to export", field: "state")
        }
        let export = try await exportRecords.create(tenantID: actor.tenantID, jobID: job.id, format: format, storage: exports.storage.kind)
        context.state.describeForAudit(action: "prospecting_export.create", targetID: export.id.uuidString.lowercased())
        exports.service.start(export)
        return JSONResponse(status: .accepted, body: exportBody(export, job: job))
    }

    @Sendable func listExports(_ request: Request, context: AppRequestContext) async throws -> PageBody<ProspectExportBody> {
        let actor = try context.tenant
        let job = try await find(context)
        let records = try await exportRecords.list(tenantID: actor.tenantID, jobID: job.id)
        return PageBody(items: records.map { exportBody($0, job: job) }, nextCursor: nil)
    }

    @Sendable func showExport(_ request: Request, context: AppRequestContext) async throws -> ProspectExportBody {
        let actor = try context.tenant
        let job = try await find(context)
        guard let id = context.parameters.get("export_id").flatMap(UUID.init(uuidString:)),
            let export = try await exportRecords.find(tenantID: actor.tenantID, jobID: job.id, id: id)
        else { throw APIError.notFound("export") }
        return exportBody(export, job: job)
    }

    func exportBody(_ export: ProspectExportRecord, job: ProspectJobRecord) -> ProspectExportBody {
        var link: String?
        if export.state == "ready", let location = export.location {
            let filename = "\(job.settings.name.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == " " }.prefix(60))-results.\(export.format)"
            link =
                exports.storage.presignedURL(location: location, filename: filename, expires: export.expiresAt)
                ?? "/api/v1/prospecting/downloads/" + exports.links.token(tenantID: export.tenantID, exportID: export.id, expires: export.expiresAt)
        }
        return ProspectExportBody(export, downloadURL: link, resultsRemovedAt: job.retainUntil)
    }

    /// The file behind a signed link, to anyone holding the link until it expires (410 after; 403
    /// for a link that was changed).
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let claim: (tenantID: UUID, exportID: UUID)
        do {
            claim = try exports.links.verify(token)
        } catch .expired {
            throw APIError(.gone, code: "LINK_EXPIRED", detail: "this download link has expired: start a new export")
        } catch {
            throw APIError.forbidden("this download link is not valid")
        }
        guard let export = try await exportRecords.find(tenantID: claim.tenantID, id: claim.exportID), export.state == "ready",
            let location = export.location, let storage = exports.storage as? FileExportStorage, let path = storage.path(of: location),
            let handle = try? FileHandle(forReadingFrom: path)
        else {
            throw APIError(.gone, code: "LINK_EXPIRED", detail: "this export is no longer available: start a new export")
        }
        var headers = HTTPFields()
        headers[.contentType] = export.format == "csv" ? "text/csv; charset=utf-8" : "application/json"
        headers[.contentDisposition] = "attachment; filename=\"results.\(export.format)\""
        headers[.contentLength] = String(export.bytes)
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer { try? handle.close() }
                while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            })
    }

    /// Validates everything before anything is stored, and answers at once: the job is created
    /// (and its first batch issued unless `auto_start` is false) in one transaction.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<ProspectJobCreatedBody> {
        let actor = try context.tenant
        let input = try await Self.readInput(request)
        let settings = try ProspectJobSettings.validate(input.body.settings)
        let domains = input.domains
        if !domains.problems.isEmpty { throw Self.problems(domains.problems, field: "domains", noun: "domain list") }
        let keywords = KeywordList.parse(input.keywords)
        if !keywords.problems.isEmpty { throw Self.problems(keywords.problems, field: "keywords", noun: "keyword list") }
        let record = try await jobs.create(
            tenantID: actor.tenantID, settings: settings, domains: domains.domains, duplicatesRemoved: domains.duplicatesRemoved,
            keywords: keywords.keywords, start: input.body.autoStart ?? true)
        context.state.describeForAudit(action: "prospecting_job.create", targetID: record.id.uuidString.lowercased())
        let body = try await self.body(record, tenantID: actor.tenantID, estimate: true)
        return JSONResponse(
            status: .created, body: ProspectJobCreatedBody(job: body, summary: domains.summary, keywordsCount: keywords.keywords.count))
    }

    struct Input {
        var body: ProspectJobRequest
        var domains: DomainList
        var keywords: String
    }

    /// JSON with `domains` and `keywords` arrays, or `multipart/form-data` with the two files
    /// (`domains`, `keywords`) and the settings as fields.
    static func readInput(_ request: Request) async throws -> Input {
        let contentType = request.headers[.contentType] ?? ""
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: uploadLimit)
        } catch {
            throw APIError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", detail: "a job's files are at most 32 MiB together")
        }
        if let boundary = MultipartForm.boundary(contentType: contentType) {
            guard let form = MultipartForm.parse(Array(bytes.readableBytesView), boundary: boundary) else {
                throw APIError(.badRequest, code: "BAD_REQUEST", detail: "the multipart body could not be read")
            }
            guard let domains = form.part("domains") else {
                throw APIError.validation("domains", "is missing: upload the domain file (CSV or TXT, one domain per line) as the domains part")
            }
            guard let keywords = form.part("keywords") else {
                throw APIError.validation(
                    "keywords", "is missing: upload the keyword file (TXT, one keyword or phrase per line) as the keywords part")
            }
            func number<T: FixedWidthInteger>(_ name: String, _ type: T.Type) throws -> T? {
                guard let text = form.part(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
                guard let value = T(text) else { throw APIError.validation(name, "must be a whole number, not \(text)") }
                return value
            }
            var body = ProspectJobRequest()
            body.name = form.part("name")?.text
            body.mode = form.part("mode")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
            body.maxCredits = try number("max_credits", Int64.self)
            body.maxPagesPerDomain = try number("max_pages_per_domain", Int.self)
            body.fullCrawlThreshold = try number("full_crawl_threshold", Int.self)
            body.clientDomain = form.part("client_domain")?.text
            if let raw = form.part("auto_start")?.text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), !raw.isEmpty {
                guard ["true", "false", "1", "0"].contains(raw) else { throw APIError.validation("auto_start", "must be true or false") }
                body.autoStart = raw == "true" || raw == "1"
            }
            guard !domains.bytes.isEmpty else { throw APIError.validation("domains", "the domain file is empty: expected one domain per line") }
            guard let text = String(validating: keywords.bytes, as: UTF8.self) else {
                throw APIError.validation("keywords", "the keyword file is not UTF-8 text")
            }
            return Input(body: body, domains: DomainList.parse(domains.bytes), keywords: text)
        }
        let body: ProspectJobRequest
        do {
            body = try APIJSON.makeDecoder().decode(ProspectJobRequest.self, from: Data(bytes.readableBytesView))
        } catch {
            throw APIError(.badRequest, code: "BAD_REQUEST", detail: "the body must be a JSON object (or a multipart upload of the two files)")
        }
        guard let domains = body.domains else { throw APIError.validation("domains", "is required: an array of domains or URLs") }
        guard let keywords = body.keywords else { throw APIError.validation("keywords", "is required: an array of keywords or phrases") }
        if let line = keywords.firstIndex(where: { $0.contains("\n") || $0.contains("\r") }) {
            throw APIError.validation("keywords", "entry \(line + 1) holds a line break: one keyword or phrase per entry")
        }
        return Input(body: body, domains: DomainList.entries(domains), keywords: keywords.joined(separator: "\n"))
    }

    /// A 422 naming every problem by its line (the first few, and how many there were).
    static func problems(_ problems: [DomainList.LineProblem], field: String, noun: String) -> APIError {
        let shown = problems.prefix(problemsShown).map(\.message).joined(separator: "; ")
        let more = problems.count > problemsShown ? " (and \(problems.count - problemsShown) more)" : ""
        return APIError(.unprocessableContent, code: "VALIDATION_ERROR", detail: "the \(noun) has problems: \(shown)\(more)", field: field)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<ProspectJobBody> {
        let actor = try context.tenant
        let page = try PageQuery(request)
        let archived = request.uri.queryParameters["include_archived"].map { $0 == "true" || $0 == "1" } ?? false
        let result = try await jobs.list(tenantID: actor.tenantID, includeArchived: archived, limit: page.limit, after: page.cursor)
        let credit = try await creditMicros()
        return PageBody(items: result.items.map { ProspectJobBody($0, creditMicros: credit) }, nextCursor: result.nextCursor?.encoded)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ProspectJobBody {
        let actor = try context.tenant
        let job = try await find(context)
        return try await body(job, tenantID: actor.tenantID, estimate: job.state == .pending)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> ProspectJobBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "prospecting_job.update", targetID: id.uuidString.lowercased())
        let change = try await request.decodeJSON(as: ProspectJobChange.self, context: context)
        guard let credits = change.maxCredits else { throw APIError.validation("max_credits", "is required: the new credit cap") }
        guard (1...100_000_000).contains(credits) else { throw APIError.validation("max_credits", "must be between 1 and 100,000,000") }
        return try await answer(try await jobs.setMaxCredits(tenantID: actor.tenantID, id: id, maxCredits: credits), tenantID: actor.tenantID)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> ProspectJobBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "prospecting_job.start", targetID: id.uuidString.lowercased())
        return try await answer(try await jobs.start(tenantID: actor.tenantID, id: id), tenantID: actor.tenantID, verb: "started")
    }

    @Sendable func pause(_ request: Request, context: AppRequestContext) async throws -> ProspectJobBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "prospecting_job.pause", targetID: id.uuidString.lowercased())
        return try await answer(try await jobs.pause(tenantID: actor.tenantID, id: id), tenantID: actor.tenantID, verb: "paused")
    }

    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> ProspectJobBody {
        let actor = try context.tenant
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "prospecting_job.resume", targetID: id.uuidString.lowercased())
        return try await answer(try await jobs.resume(tenantID: actor.tenantID, id: id), tenantID: actor.tenantID, verb: "resumed")
    }

    func answer(_ change: ProspectJobRepository.Change, tenantID: UUID, verb: String = "changed") async throws -> ProspectJobBody {
        switch change {
        case .changed(let job): return try await body(job, tenantID: tenantID, estimate: false)
        case .notFound: throw APIError.notFound("prospecting job")
        case .conflict(let state): throw APIError.conflict("INVALID_STATE", "a \(state.rawValue) job cannot be \(verb)", field: "state")
        }
    }

    /// Matches in the order they were found; `?without_links=true` leaves out pages that already
    /// link to the client.
    @Sendable func resultsPage(_ request: Request, context: AppRequestContext) async throws -> PageBody<ProspectResultBody> {
        let actor = try context.tenant
        let job = try await find(context)
        let limit = try PageQuery.limit(request)
        let cursor = try PageQuery.sequenceCursor(request)
        let withoutLinks = request.uri.queryParameters["without_links"].map { $0 == "true" || $0 == "1" } ?? false
        let page = try await results.results(
            tenantID: actor.tenantID, jobID: job.id, after: cursor?.after, limit: limit + 1, withoutLinks: withoutLinks)
        let items = Array(page.prefix(limit))
        let next = page.count > limit ? items.last.map { SequenceCursor(after: $0.id).encoded } : nil
        return PageBody(items: items.map(ProspectResultBody.init), nextCursor: next)
    }

    /// The domains that failed or were disallowed, with a reason a person understands.
    @Sendable func errors(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.tenant
        let job = try await find(context)
        return csv(ProspectReports.errorsHeader, filename: "errors") { after in
            let page = try await results.domains(tenantID: actor.tenantID, jobID: job.id, after: after, limit: 1000, failedOnly: true)
            return (page.map(ProspectReports.error), page.last?.position)
        }
    }

    /// What each domain cost: requests by method, credits and dollars.
    @Sendable func costs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.tenant
        let job = try await find(context)
        return csv(ProspectReports.costsHeader, filename: "cost-report") { after in
            let page = try await results.domains(tenantID: actor.tenantID, jobID: job.id, after: after, limit: 1000, failedOnly: false)
            return (page.filter { $0.state != "waiting" && $0.state != "issued" }.map(ProspectReports.cost), page.last?.position)
        }
    }

    /// A CSV written as it is read, a page of rows at a time.
    func csv(
        _ header: [String], filename: String, next: @escaping @Sendable (Int?) async throws -> (rows: [[String]], last: Int?)
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename).csv\""
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: ProspectReports.line(header)))
                var after: Int?
                while true {
                    let (rows, last) = try await next(after)
                    if !rows.isEmpty { try await writer.write(ByteBuffer(string: rows.map(ProspectReports.line).joined())) }
                    guard let last else { break }
                    after = last
                }
                try await writer.finish(nil)
            })
    }

    func find(_ context: AppRequestContext) async throws -> ProspectJobRecord {
        let actor = try context.tenant
        guard let job = try await jobs.find(tenantID: actor.tenantID, id: try context.parameters.uuid()) else {
            throw APIError.notFound("prospecting job")
        }
        return job
    }

    func body(_ job: ProspectJobRecord, tenantID: UUID, estimate: Bool) async throws -> ProspectJobBody {
        let throughput = try await jobs.throughput(tenantID: tenantID, id: job.id)
        let estimated =
            estimate
            ? ProspectEstimate.of(domains: job.domainsTotal, settings: job.settings, history: try await jobs.history(tenantID: tenantID)) : nil
        return ProspectJobBody(job, throughput: throughput, estimate: estimated, creditMicros: try await creditMicros())
    }

    func creditMicros() async throws -> Int64 { try await metering.unitCosts()[.scrapeCredits] ?? 0 }
}
