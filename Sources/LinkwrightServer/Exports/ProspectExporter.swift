import Foundation
import LinkwrightCore
import LinkwrightStore
import Logging
import ServiceLifecycle

/// Writes a job's results to a file, streaming: a page of rows is read from its partition,
/// written to storage, and let go, so a 50,000-domain export holds one page at a time. Progress
/// (rows and bytes, the export's heartbeat) is recorded after every page.
public struct ProspectExporter: Sendable {
    let results: ProspectResultsRepository
    let exports: ProspectExportRepository
    let storage: any ExportStorage
    let logger: Logger

    public init(results: ProspectResultsRepository, exports: ProspectExportRepository, storage: any ExportStorage, logger: Logger) {
        self.results = results
        self.exports = exports
        self.storage = storage
        self.logger = logger
    }
    static let pageSize = 2000
    /// Bytes gathered before each write to storage (S3 parts must be at least 5 MiB but the last).
    static let flushBytes = 8 * 1024 * 1024

    public func run(_ export: ProspectExportRecord) async {
        let key = "\(export.tenantID.uuidString.lowercased())/\(export.id.uuidString.lowercased()).\(export.format)"
        var upload: (any ExportUpload)?
        do {
            let file = try await storage.create(key: key, contentType: export.format == "csv" ? "text/csv; charset=utf-8" : "application/json")
            upload = file
            var writer = Writer(upload: file, exports: exports, export: export)
            if export.format == "csv" {
                try await writer.write(ProspectReports.line(ProspectReports.resultsHeader), rows: 0)
                var after: Int64?
                while true {
                    let page = try await results.results(tenantID: export.tenantID, jobID: export.jobID, after: after, limit: Self.pageSize)
                    guard let last = page.last else { break }
                    try await writer.write(page.map { ProspectReports.line(ProspectReports.result($0)) }.joined(), rows: page.count)
                    after = last.id
                }
            } else {
                var json = JSONResultsWriter()
                try await writer.write(json.start(), rows: 0)
                try await results.eachResultByDomain(tenantID: export.tenantID, jobID: export.jobID, pageSize: Self.pageSize) { page in
                    try await writer.write(page.map { json.add($0) }.joined(), rows: page.count)
                }
                try await writer.write(json.end(), rows: 0)
            }
            try await writer.flush()
            let location = try await file.finish()
            try await exports.finish(tenantID: export.tenantID, id: export.id, location: location, rows: writer.rows, bytes: writer.bytes)
        } catch {
            await upload?.abort()
            logger.warning("export failed", metadata: ["export": "\(export.id)", "error": "\(error)"])
            try? await exports.fail(tenantID: export.tenantID, id: export.id, error: "the export could not be written: \(error)")
        }
    }

    /// Gathers text into large writes and records progress as it goes.
    struct Writer {
        let upload: any ExportUpload
        let exports: ProspectExportRepository
        let export: ProspectExportRecord
        var buffer: [UInt8] = []
        var rows: Int64 = 0
        var bytes: Int64 = 0

        init(upload: any ExportUpload, exports: ProspectExportRepository, export: ProspectExportRecord) {
            self.upload = upload
            self.exports = exports
            self.export = export
        }

        mutating func write(_ text: String, rows added: Int) async throws {
            buffer.append(contentsOf: text.utf8)
            rows += Int64(added)
            if buffer.count >= ProspectExporter.flushBytes { try await flush() }
            if added > 0 { try await exports.progress(tenantID: export.tenantID, id: export.id, rows: rows, bytes: bytes + Int64(buffer.count)) }
        }

        mutating func flush() async throws {
            guard !buffer.isEmpty else { return }
            try await upload.append(buffer)
            bytes += Int64(buffer.count)
            buffer.removeAll(keepingCapacity: true)
        }
    }
}

/// `{"results": {domain: {keyword: [{url, frequency, context, crawl_method, timestamp,
/// http_status}]}}}` written as the rows come, in domain and keyword order.
struct JSONResultsWriter {
    var domain: String?
    var keyword: String?

    func start() -> String { #"{"results":{"# }

    mutating func add(_ record: ProspectResultRecord) -> String {
        var text = ""
        if record.domain != domain {
            if domain != nil { text += "]}," }
            text += Self.string(record.domain) + ":{" + Self.string(record.keyword) + ":["
            domain = record.domain
            keyword = record.keyword
        } else if record.keyword != keyword {
            text += "]," + Self.string(record.keyword) + ":["
            keyword = record.keyword
        } else {
            text += ","
        }
        return text
            + #"{"url":\#(Self.string(record.url)),"frequency":\#(record.frequency),"context":\#(Self.string(record.context)),"#
            + #""crawl_method":\#(Self.string(record.crawlMethod)),"timestamp":\#(Self.string(ProspectReports.timestamp(record.foundAt))),"#
            + #""http_status":\#(record.httpStatus)}"#
    }

    func end() -> String { domain == nil ? "}}" : "]}}}" }

    /// A JSON string literal (RFC 8259 escaping).
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Runs exports in the background of the API process and keeps prospecting tidy: an export left
/// running by a process that died is taken up again, files past their 7 days are removed, jobs 90
/// days past their end are archived (their results' partition dropped), and a domain whose task
/// died in the queue is failed so its job still finishes.
final class ProspectExportService: Service, Sendable {
    let exporter: ProspectExporter
    let jobs: ProspectJobRepository
    let interval: Duration
    private let (requests, continuation) = AsyncStream.makeStream(of: ProspectExportRecord.self)

    init(exporter: ProspectExporter, jobs: ProspectJobRepository, interval: Duration = .seconds(30)) {
        self.exporter = exporter
        self.jobs = jobs
        self.interval = interval
    }

    /// Starts writing `export` now, in the background.
    func start(_ export: ProspectExportRecord) { continuation.yield(export) }

    /// Until shutdown: exports cut short by it are claimed again by a process still running (or
    /// this one when it starts again) once their heartbeat is two minutes old.
    func run() async throws {
        let requests = self.requests
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while !Task.isCancelled {
                        await self.sweep()
                        try? await Task.sleep(for: self.interval)
                    }
                }
                // Ends when the shutdown cancels this task (a stream's iteration ends on cancellation).
                for await export in requests { group.addTask { await self.exporter.run(export) } }
            }
        }
        continuation.finish()
    }

    /// One round of upkeep; `now` lets tests look 90 days ahead.
    func sweep(now: Date = Date()) async {
        do {
            try await jobs.settleDeadDomains()
            for export in try await exporter.exports.claimAbandoned() { start(export) }
            var gone = try await exporter.exports.expire()
            gone += try await exporter.exports.archiveDue(now: now).files
            for export in gone {
                guard let location = export.location, export.storage == exporter.storage.kind else { continue }
                try? await exporter.storage.delete(location: location)
            }
        } catch {
            exporter.logger.warning("export upkeep failed", metadata: ["error": "\(error)"])
        }
    }
}
