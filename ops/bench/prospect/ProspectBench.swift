import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import LinkwrightWorkers
import Logging
import PostgresNIO
import ServiceLifecycle

/// The prospecting crawl benchmark's driver (ops/bench/prospect.sh). Prints one JSON line.
///
///   linkwright-prospect-bench DOMAINS PAGES CONCURRENCY
///   linkwright-prospect-bench export DATABASE_URL TENANT_ID JOB_ID csv|json
///
/// The second form writes one export of an existing job's results to files in a temporary
/// directory, alone in its process, and reports the rows, bytes, seconds and the process's peak
/// RSS: what an export itself holds, apart from the API process around it.
///
/// A local farm of DOMAINS sites of PAGES pages each (every page in the sitemap) on loopback; a
/// fresh database (LINKWRIGHT_TEST_DATABASE_URL); the real queue, workers (CONCURRENCY on the
/// bulk lane), prospecting engine, recorder and one request per second per domain. First one
/// domain is crawled alone: the time it takes is the politeness bound's unit (a worker can finish
/// at most one domain in that time), so the bound is CONCURRENCY domains per that time. Then a
/// job of all DOMAINS runs to completion through the queue. Reports domains/hour, the bound, their
/// ratio, CPU per page (this process: workers, database client and the farm serving the pages) and
/// peak RSS.
@main
struct ProspectBench {
    static func main() async throws {
        let args = CommandLine.arguments
        if args.count == 6, args[1] == "export" { return try await export(url: args[2], tenant: args[3], job: args[4], format: args[5]) }
        guard args.count == 4, let domains = Int(args[1]), let pages = Int(args[2]), let concurrency = Int(args[3]) else {
            FileHandle.standardError.write(Data("usage: linkwright-prospect-bench DOMAINS PAGES CONCURRENCY\n".utf8))
            exit(2)
        }
        let logger = {
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            return logger
        }()
        try await TestSiteFarm.run { farm in
            // Each its own registrable domain (a name under .test is one, as example.com is), so each
            // has its own request a second, as real domains do.
            let names = (0..<domains).map { "site\($0).test" }
            for name in names + ["alone.test"] {
                farm.add(name, TestSiteFarm.site(pages: pages, text: "Widgets and CRM tools", origin: "http://\(name):\(farm.port)"))
            }
            let politeness = LocalPoliteness(suffixes: PublicSuffixList.load())
            let fetcher = Fetcher(
                userAgent: Fetcher.userAgent(version: "bench", homepage: "https://linkwright.test"), resolver: farm.resolver,
                policy: AddressPolicy(exempt: [AddressPolicy.Endpoint(address: IPAddress("127.0.0.1")!, port: farm.port)]),
                politeness: politeness)
            let crawler = ProspectCrawler(fetcher: fetcher, parsing: .singleton, origins: farm.origins)
            let spec = ProspectJobSpec(
                keywords: ["widgets", "crm"], mode: .freeOnly, maxPagesPerDomain: pages, fullCrawlThreshold: pages, clientDomain: nil)

            let aloneStart = ContinuousClock.now
            let alone = await crawler.crawl(domain: "alone.test", position: 0, jobID: UUID(), spec: spec)
            let unit = (ContinuousClock.now - aloneStart).inSeconds
            guard alone.pages == pages else { throw BenchFailure(description: "the lone domain read \(alone.pages) pages, not \(pages)") }

            let endpoint = try await TestDatabase.create()
            let tenantID = UUID()
            // The agency plan's tenant concurrency raised to the workers', so the plan is not what is measured.
            try await TestDatabase.execute("UPDATE plans SET concurrent_tasks = \(concurrency) WHERE name = 'agency'", on: endpoint)
            try await TestDatabase.execute(
                "INSERT INTO tenants (id, name, slug, plan) VALUES ('\(tenantID)', 'Bench', 'bench-\(tenantID)', 'agency')", on: endpoint)
            let database = Database(endpoint: endpoint, maximumConnections: 16, logger: logger)
            let configuration = WorkerConfiguration(concurrency: [.bulk: concurrency], batchSize: 25, pollInterval: .milliseconds(100))
            let workers = buildWorkers(
                database: database, configuration: configuration, engines: EngineRegistry([ProspectingEngine(crawler: crawler)]), logger: logger)
            let jobs = ProspectJobRepository(database: database)
            let measured: (seconds: Double, cpu: Double, record: ProspectJobRecord) = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await ServiceGroup(services: [database, workers], gracefulShutdownSignals: [], logger: logger).run()
                }
                let cpuStart = Self.cpuSeconds()
                let started = ContinuousClock.now
                let job = try await jobs.create(
                    tenantID: tenantID,
                    settings: ProspectJobSettings(
                        name: "bench", mode: .freeOnly, maxCredits: 0, maxPagesPerDomain: pages, fullCrawlThreshold: pages, clientDomain: nil),
                    domains: names, duplicatesRemoved: 0, keywords: spec.keywords, start: true)
                var record = job
                while record.state != .completed {
                    try await Task.sleep(for: .milliseconds(250))
                    record = try await jobs.find(tenantID: tenantID, id: job.id) ?? record
                }
                let elapsed = (ContinuousClock.now - started).inSeconds
                let cpu = Self.cpuSeconds() - cpuStart
                group.cancelAll()
                return (elapsed, cpu, record)
            }
            let (seconds, cpu, record) = measured
            let perHour = Double(domains) / seconds * 3600
            let bound = Double(concurrency) / unit * 3600
            let line: [String: Any] = [
                "domains": domains, "pages_per_domain": pages, "concurrency": concurrency, "seconds": seconds,
                "domains_per_hour": Int(perHour), "lone_domain_seconds": unit, "politeness_bound_per_hour": Int(bound),
                "ratio": perHour / bound, "pages": record.pagesFetched, "failed": record.domainsFailed, "matches": record.matches,
                "cpu_ms_per_page": cpu * 1000 / Double(max(record.pagesFetched, 1)), "peak_rss_mib": Self.peakRSSMiB(),
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
        }
    }

    static func export(url: String, tenant: String, job: String, format: String) async throws {
        guard let tenantID = UUID(uuidString: tenant), let jobID = UUID(uuidString: job) else { throw BenchFailure(description: "ids") }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let database = Database(endpoint: try DatabaseEndpoint(url: url), maximumConnections: 2, logger: logger)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prbench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let exports = ProspectExportRepository(database: database)
        let exporter = ProspectExporter(
            results: ProspectResultsRepository(database: database), exports: exports, storage: FileExportStorage(root: directory), logger: logger)
        let line: [String: Any] = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.run() }
            let record = try await exports.create(tenantID: tenantID, jobID: jobID, format: format, storage: "file")
            let started = ContinuousClock.now
            await exporter.run(record)
            let seconds = (ContinuousClock.now - started).inSeconds
            let done = try await exports.find(tenantID: tenantID, id: record.id)
            group.cancelAll()
            return [
                "format": format, "state": done?.state ?? "missing", "rows": done?.rows ?? 0, "bytes": done?.bytes ?? 0, "seconds": seconds,
                "peak_rss_mib": Self.peakRSSMiB(),
            ]
        }
        print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
}
