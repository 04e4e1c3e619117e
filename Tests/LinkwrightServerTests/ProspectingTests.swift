import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import LinkwrightTestSupport
import LinkwrightWorkers
import PostgresNIO
import Testing

@testable import LinkwrightServer

/// Prospecting jobs through the API, crawled by the real workers against the local site farm:
/// creating from uploaded files, running to completion with results, reports and costs in the
/// ledger, pausing and resuming without losing or repeating a domain, the credit cap, and
/// another tenant seeing none of it. One test at a time: each runs a whole application with its
/// workers and pools, and the full suite's many applications at once ran PostgreSQL out of
/// connections.
@Suite(.serialized) struct ProspectingTests {
    static let workers = WorkerConfiguration(concurrency: [.bulk: 6], pollInterval: .milliseconds(50))

    static func engines(_ farm: TestSiteFarm) -> EngineRegistry {
        let fetcher = farm.fetcher
        return EngineRegistry([
            ProspectingEngine(
                crawler: ProspectCrawler(
                    fetcher: fetcher, parsing: .singleton, premium: ScrapingBee(fetcher: fetcher, apiKey: TestSiteFarm.apiKey, baseURL: farm.origin),
                    origins: farm.origins, backoff: [.milliseconds(1), .milliseconds(2), .milliseconds(4)]))
        ])
    }

    /// `count` small sites named `<prefix><n>.test`, every page mentioning the keywords.
    static func sites(_ farm: TestSiteFarm, prefix: String, count: Int, pages: Int = 3) -> [String] {
        (0..<count).map { index in
            let domain = "\(prefix)\(index).test"
            farm.add(
                domain, TestSiteFarm.site(pages: pages, text: "Widgets and CRM tools for site \(index)", origin: "http://\(domain):\(farm.port)"))
            return domain
        }
    }

    /// A multipart upload of the two files, as a browser or `curl -F` sends it.
    static func upload(_ api: API, token: String, fields: [String: String], domains: String, keywords: String) async throws -> Reply {
        let boundary = "lw-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"domains\"; filename=\"domains.csv\"\r\nContent-Type: text/csv\r\n\r\n\(domains)\r\n"
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"keywords\"; filename=\"keywords.txt\"\r\nContent-Type: text/plain\r\n\r\n\(keywords)\r\n"
        body += "--\(boundary)--\r\n"
        return try await api.call(
            .post, "/api/v1/prospecting/jobs", token: token, body: body, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"])
    }

    /// The job's state as stored, polled from the database (the API's rate limit would refuse a
    /// poll this long).
    static func waitForState(_ database: Database, job: String, _ states: Set<String>, seconds: Int = 60) async throws -> String {
        var state = ""
        for _ in 0..<(seconds * 20) {
            state = try await database.withSystem { connection in
                try await connection.query("SELECT state FROM prospect_jobs WHERE id = \(UUID(uuidString: job)!)", logger: TestDatabase.logger)
                    .collect().first.map { try $0.decode(String.self) } ?? ""
            }
            if states.contains(state) { return state }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("job \(job) stayed \(state), waiting for \(states)")
        return state
    }

    @Test func anUploadedJobIsCrawledToCompletionWithResultsReportsAndCosts() async throws {
        try await TestSiteFarm.run { farm in
            let domains = Self.sites(farm, prefix: "shop", count: 8)
            var closed = TestSiteFarm.site(pages: 1, origin: "")
            closed.robots = "User-agent: *\nDisallow: /\n"
            farm.add("closed.test", closed)
            try await TestApp.run(workers: Self.workers, engines: Self.engines(farm)) { api, database in
                let owner = try await api.signup()
                // A CSV with a header, URLs, a duplicate in another spelling, a dead and a closed site.
                let file =
                    "name,domain\n" + domains.enumerated().map { "site \($0.offset),http://\($0.element)/about" }.joined(separator: "\n")
                    + "\ndup,WWW.\(domains[0].uppercased())\ndead,gone-\(UUID().uuidString.prefix(6)).test\nclosed,closed.test\n"
                let created = try await Self.upload(
                    api, token: owner.accessToken, fields: ["name": "Friday list", "mode": "hybrid", "max_credits": "500"], domains: file,
                    keywords: "widgets\ncrm\nWidgets\n")
                #expect(created.status == .created, "\(created.text)")
                #expect(created.string("summary") == "removed 1 duplicate, 10 unique domains")
                #expect(created["keywords_count"] as? Int == 2)
                let job = try #require(created["job"] as? [String: Any])
                let id = try #require(job["id"] as? String)
                #expect(job["mode"] as? String == "smart-hybrid")
                #expect((job["estimate"] as? [String: Any])?["credits_high"] as? Int ?? 0 > 0)

                #expect(try await Self.waitForState(database, job: id, ["completed"]) == "completed")
                let status = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)", token: owner.accessToken)
                let progress = try #require(status["progress"] as? [String: Any])
                #expect(progress["done"] as? Int == 10 && progress["total"] as? Int == 10 && progress["percent"] as? Double == 100)
                #expect(progress["crawled"] as? Int == 8 && progress["failed"] as? Int == 2)
                #expect(status["matches"] as? Int == 8 * 3 * 2, "three pages a site, two keywords a page")
                #expect(status["retain_until"] as? String != nil)

                var seen: [[String: Any]] = []
                var cursor: String?
                repeat {
                    let page = try await api.call(
                        .get, "/api/v1/prospecting/jobs/\(id)/results?limit=20" + (cursor.map { "&cursor=\($0)" } ?? ""), token: owner.accessToken)
                    seen += page.items
                    cursor = page["next_cursor"] as? String
                } while cursor != nil
                #expect(seen.count == 48)
                #expect(Set(seen.map { "\($0["url"]!) \($0["keyword"]!)" }).count == 48, "no duplicate (URL, keyword)")
                #expect(seen.allSatisfy { ($0["context_snippet"] as? String)?.contains("Widgets and CRM tools") == true })

                let errors = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)/errors", token: owner.accessToken)
                #expect(errors.headers[.contentType]?.hasPrefix("text/csv") == true)
                let errorRows = errors.text.split(separator: "\r\n").map(String.init)
                #expect(errorRows.first == "domain,failure_reason,http_status,retry_count,last_attempt_timestamp")
                #expect(errorRows.contains { $0.hasPrefix("gone-") && $0.contains(",DNS resolution failed,,3,") })
                #expect(errorRows.contains { $0.hasPrefix("closed.test,robots.txt disallowed,") })

                let costs = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)/cost-report", token: owner.accessToken)
                let costRows = costs.text.split(separator: "\r\n").map(String.init)
                #expect(costRows.count == 11)
                let shop = try #require(costRows.first { $0.hasPrefix(domains[0] + ",") })
                #expect(shop.hasPrefix("\(domains[0]),3,"), "three pages read: \(shop)")

                // Every direct request reached the ledger once, priced from unit_costs.
                let charged = try await database.withSystem { connection in
                    try await connection.query(
                        "SELECT coalesce(sum(quantity), 0)::bigint FROM cost_ledger WHERE kind = 'fetch' AND idempotency_key LIKE 'prospect-%'",
                        logger: TestDatabase.logger
                    ).collect().first!.decode(Int64.self)
                }
                let requests = try #require(status["requests"] as? [String: Any])
                #expect(charged == Int64(requests["direct"] as? Int ?? -1))
                #expect(charged > 0)

                // Operators see it with bounded labels only.
                let metrics = try await api.call(.get, "/metrics").text
                #expect(
                    metrics.contains(#"linkwright_prospect_domains_total{outcome="crawled"} 8"#),
                    "\(metrics.split(separator: "\n").filter { $0.contains("prospect") })")
                #expect(metrics.contains(#"linkwright_prospect_domains_total{outcome="failed"} 1"#))
                #expect(metrics.contains(#"linkwright_prospect_domains_total{outcome="disallowed"} 1"#))
                #expect(metrics.contains(#"linkwright_prospect_jobs{state="completed"} 1"#))
                #expect(metrics.contains("linkwright_prospect_result_write_seconds_bucket"))
                #expect(!metrics.contains(id), "never a job id in a label")
            }
        }
    }

    @Test func badFilesAreRefusedByLineAndNothingIsCreated() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            let bad = try await Self.upload(
                api, token: owner.accessToken, fields: ["name": "Broken"], domains: "example.com\nnot a domain\n\nexample..org\n", keywords: "seo\n")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.string("field") == "domains")
            let detail = bad.string("detail") ?? ""
            #expect(detail.contains("line 2") && detail.contains("line 4"), "\(detail)")
            let noKeywords = try await api.call(
                .post, "/api/v1/prospecting/jobs", json: ["name": "x", "domains": ["example.com"], "keywords": []], token: owner.accessToken)
            #expect(noKeywords.status == .unprocessableContent && noKeywords.string("field") == "keywords")
            let badMode = try await api.call(
                .post, "/api/v1/prospecting/jobs", json: ["name": "x", "domains": ["example.com"], "keywords": ["a"], "mode": "fast"],
                token: owner.accessToken)
            #expect(badMode.status == .unprocessableContent && badMode.string("field") == "mode")
            let missing = try await Self.upload(api, token: owner.accessToken, fields: [:], domains: "example.com", keywords: "a")
            #expect(missing.status == .unprocessableContent && missing.string("field") == "name")
            let count = try await database.withSystem { connection in
                try await connection.query("SELECT count(*)::int FROM prospect_jobs", logger: TestDatabase.logger).collect().first!.decode(Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test func pausingAndResumingRepeatedlyWithAWorkerDeadCrawlsEveryDomainOnceLikeARunNeverInterrupted() async throws {
        try await TestSiteFarm.run { farm in
            let domains = Self.sites(farm, prefix: "pr", count: 40, pages: 2)
            try await TestApp.run(workers: Self.workers, engines: Self.engines(farm)) { api, database in
                let owner = try await api.signup()
                func create(_ name: String) async throws -> String {
                    let reply = try await api.call(
                        .post, "/api/v1/prospecting/jobs",
                        json: ["name": name, "domains": domains, "keywords": ["widgets", "crm"], "mode": "free-only"], token: owner.accessToken)
                    #expect(reply.status == .created, "\(reply.text)")
                    return try #require((reply["job"] as? [String: Any])?["id"] as? String)
                }
                let steady = try await create("never interrupted")
                #expect(try await Self.waitForState(database, job: steady, ["completed"]) == "completed")

                let interrupted = try await create("paused and resumed")
                // A worker that dies holding domains: it claims some and is never heard from again; its
                // leases run out and the reaper hands the domains back to the living workers.
                let queue = TaskQueue(database: database)
                var killed: [ClaimedTask] = []
                for _ in 0..<40 where killed.count < 3 {
                    killed += try await queue.claim(
                        lane: .bulk, engines: ["prospecting"], owner: "killed-worker", batch: 3 - killed.count, perTenant: 3, lease: .seconds(1)
                    ).tasks
                }
                #expect(!killed.isEmpty, "the dead worker held some domains")
                for _ in 0..<4 {
                    try await Task.sleep(for: .milliseconds(60))
                    let paused = try await api.call(.post, "/api/v1/prospecting/jobs/\(interrupted)/pause", token: owner.accessToken)
                    if paused.status == .conflict { break }  // it finished meanwhile
                    #expect(paused.status == .ok, "\(paused.text)")
                    #expect(["pausing", "paused"].contains(paused.string("state")))
                    #expect(try await Self.waitForState(database, job: interrupted, ["paused"]) == "paused")
                    let resumed = try await api.call(.post, "/api/v1/prospecting/jobs/\(interrupted)/resume", token: owner.accessToken)
                    #expect(resumed.status == .ok, "\(resumed.text)")
                }
                #expect(try await Self.waitForState(database, job: interrupted, ["completed"]) == "completed")

                let (a, b, again) = try await database.withSystem { connection in
                    func results(_ job: String) async throws -> [String] {
                        try await connection.query(
                            "SELECT url || ' ' || keyword || ' ' || frequency FROM prospect_results WHERE job_id = \(UUID(uuidString: job)!) ORDER BY 1",
                            logger: TestDatabase.logger
                        ).collect().map { try $0.decode(String.self) }
                    }
                    let crawledTwice = try await connection.query(
                        """
                        SELECT count(*)::int FROM tasks WHERE engine = 'prospecting' AND state = 'succeeded'
                          AND payload->>'job_id' = \(interrupted) GROUP BY payload->>'position' HAVING count(*) > 1
                        """, logger: TestDatabase.logger
                    ).collect().count
                    return (try await results(steady), try await results(interrupted), crawledTwice)
                }
                #expect(a.count == 40 * 2 * 2)
                #expect(a == b)
                #expect(again == 0, "no domain crawled twice")
            }
        }
    }

    @Test func aJobPausesAtItsCreditCapAndContinuesWhenTheCapIsRaised() async throws {
        try await TestSiteFarm.run { farm in
            let domains = (0..<12).map { index -> String in
                let domain = "js\(index).test"
                var site = TestSiteFarm.site(pages: 1, origin: "")
                site.pages["/"] = .javascriptOnly("<p>Widgets rendered for site \(index)</p>")
                farm.add(domain, site)
                return domain
            }
            let workers = WorkerConfiguration(concurrency: [.bulk: 1], pollInterval: .milliseconds(50))
            try await TestApp.run(workers: workers, engines: Self.engines(farm)) { api, database in
                let owner = try await api.signup()
                // Each domain costs 6 credits (the empty page plain, then rendered): 10 pass 12 after two.
                let reply = try await api.call(
                    .post, "/api/v1/prospecting/jobs",
                    json: ["name": "capped", "domains": domains, "keywords": ["widgets"], "mode": "smart-hybrid", "max_credits": 10],
                    token: owner.accessToken)
                let id = try #require((reply["job"] as? [String: Any])?["id"] as? String)
                #expect(try await Self.waitForState(database, job: id, ["paused"]) == "paused")
                let paused = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)", token: owner.accessToken)
                #expect(paused.string("status_reason") == "budget_exhausted")
                let used = paused["credits_used"] as? Int ?? 0
                // With one worker, past the cap are at most the domain running and the one whose result
                // was being recorded as it started (the worker frees its slot before the write).
                #expect(used >= 10 && used <= 10 + 6 * 2, "\(used) credits: \(paused.text)")
                let done = (paused["progress"] as? [String: Any])?["done"] as? Int ?? 0
                #expect(done < 12)
                let events = try await api.call(.get, "/api/v1/events?type=prospect_budget_exhausted", token: owner.accessToken)
                #expect(events.items.count == 1, "\(events.text)")

                let stillCapped = try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/resume", token: owner.accessToken)
                #expect(stillCapped.string("state") == "paused", "the cap still holds it")
                let raised = try await api.call(.patch, "/api/v1/prospecting/jobs/\(id)", json: ["max_credits": 1000], token: owner.accessToken)
                #expect(raised.status == .ok)
                let resumed = try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/resume", token: owner.accessToken)
                #expect(resumed.status == .ok)
                #expect(try await Self.waitForState(database, job: id, ["completed"]) == "completed")
                let final = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)", token: owner.accessToken)
                #expect(final["matches"] as? Int == 12)
                #expect(final["credits_used"] as? Int == 72)
                #expect(final["credits_cost_micros"] as? Int == 72 * 1000, "priced from unit_costs")
                // Each premium request is in the ledger once, as the provider answered it (so a request a
                // worker made before dying is still charged).
                let (rows, credits) = try await database.withSystem { connection in
                    try await connection.query(
                        "SELECT count(*)::int, coalesce(sum(quantity), 0)::int FROM cost_ledger WHERE kind = 'scrape_credits'",
                        logger: TestDatabase.logger
                    ).collect().first!.decode((Int, Int).self)
                }
                #expect(rows == 24 && credits == 72, "two requests a domain (plain, then rendered): \(rows) rows, \(credits) credits")
            }
        }
    }

    @Test func anotherTenantGetsNotFoundForEveryProspectingEndpoint() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let other = try await api.signup(tenant: "Other Agency")
            let reply = try await api.call(
                .post, "/api/v1/prospecting/jobs", json: ["name": "mine", "domains": ["example.com"], "keywords": ["seo"], "auto_start": false],
                token: owner.accessToken)
            #expect(reply.status == .created)
            let job = try #require(reply["job"] as? [String: Any])
            #expect(job["state"] as? String == "pending")
            let id = try #require(job["id"] as? String)
            let calls: [(HTTPRequest.Method, String)] = [
                (.get, ""), (.patch, ""), (.post, "/start"), (.post, "/pause"), (.post, "/resume"), (.get, "/results"), (.get, "/errors"),
                (.get, "/cost-report"),
            ]
            for (method, suffix) in calls {
                let answer = try await api.call(
                    method, "/api/v1/prospecting/jobs/\(id)\(suffix)", json: method == .patch ? ["max_credits": 5] : nil, token: other.accessToken)
                #expect(answer.status == .notFound, "\(method) \(suffix): \(answer.status)")
            }
            let list = try await api.call(.get, "/api/v1/prospecting/jobs", token: other.accessToken)
            #expect(list.items.isEmpty)
            let mine = try await api.call(.get, "/api/v1/prospecting/jobs", token: owner.accessToken)
            #expect(mine.items.count == 1)
            let started = try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/start", token: owner.accessToken)
            #expect(started.status == .ok && started.string("state") == "running")
            let twice = try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/start", token: owner.accessToken)
            #expect(twice.status == .conflict)
        }
    }

    /// Waits for an export to be ready, through the API (a few polls).
    static func waitForExport(_ api: API, token: String, job: String, export: String) async throws -> Reply {
        for _ in 0..<100 {
            let reply = try await api.call(.get, "/api/v1/prospecting/jobs/\(job)/exports/\(export)", token: token)
            if reply.string("state") != "running" { return reply }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("export \(export) still running")
        return try await api.call(.get, "/api/v1/prospecting/jobs/\(job)/exports/\(export)", token: token)
    }

    @Test func exportsAreWrittenInTheBackgroundAndReadBackExactlyThroughASignedLinkUntilRetentionRemovesThem() async throws {
        let directory = try TestDatabase.temporaryDirectory("exports")
        let storage = FileExportStorage(root: directory)
        try await TestSiteFarm.run { farm in
            let domains = Self.sites(farm, prefix: "ex", count: 6)
            try await TestApp.run(workers: Self.workers, engines: Self.engines(farm), exportStorage: storage) { api, database in
                let owner = try await api.signup()
                let created = try await api.call(
                    .post, "/api/v1/prospecting/jobs",
                    json: ["name": "Export me", "domains": domains, "keywords": ["widgets", "crm"], "mode": "free-only"], token: owner.accessToken)
                let id = try #require((created["job"] as? [String: Any])?["id"] as? String)
                #expect(try await Self.waitForState(database, job: id, ["completed"]) == "completed")
                let stored = try await database.withSystem { connection in
                    try await connection.query(
                        """
                        SELECT domain, url, keyword, frequency, context, crawl_method, http_status FROM prospect_results
                        WHERE job_id = \(UUID(uuidString: id)!) ORDER BY domain, url, keyword
                        """, logger: TestDatabase.logger
                    ).collect().map { row -> [String] in
                        let (d, u, k, f, c, m, h) = try row.decode((String, String, String, Int, String, String, Int).self)
                        return [d, u, k, String(f), c, m, String(h)]
                    }
                }
                #expect(stored.count == 6 * 3 * 2)

                let started = try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/exports", json: ["format": "csv"], token: owner.accessToken)
                #expect(started.status == .accepted, "\(started.text)")
                let csvExport = try await Self.waitForExport(api, token: owner.accessToken, job: id, export: started.string("id")!)
                #expect(csvExport.string("state") == "ready", "\(csvExport.text)")
                #expect(csvExport["rows"] as? Int == stored.count)
                #expect(csvExport.string("warning")?.contains("90 days") == true)
                let link = try #require(csvExport.string("download_url"))
                // No sign-in needed: the link is the permission.
                let csv = try await api.call(.get, link)
                #expect(csv.status == .ok)
                var reader = CSVReader()
                let records = reader.feed(Array(csv.text.utf8)) + reader.finish()
                #expect(records.first == ["domain", "url", "keyword", "frequency", "context_snippet", "crawl_method", "timestamp", "http_status"])
                let fromCSV = records.dropFirst().map { [$0[0], $0[1], $0[2], $0[3], $0[4], $0[5], $0[7]] }.sorted {
                    $0.lexicographicallyPrecedes($1)
                }
                #expect(fromCSV == stored.sorted { $0.lexicographicallyPrecedes($1) })

                let json = try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/exports", json: ["format": "json"], token: owner.accessToken)
                let jsonExport = try await Self.waitForExport(api, token: owner.accessToken, job: id, export: json.string("id")!)
                let document = try await api.call(.get, try #require(jsonExport.string("download_url")))
                let results = try #require(document["results"] as? [String: [String: [[String: Any]]]])
                var fromJSON: [[String]] = []
                for (domain, keywords) in results {
                    for (keyword, matches) in keywords {
                        for m in matches {
                            fromJSON.append([
                                domain, m["url"] as! String, keyword, String(m["frequency"] as! Int), m["context"] as! String,
                                m["crawl_method"] as! String, String(m["http_status"] as! Int),
                            ])
                        }
                    }
                }
                #expect(fromJSON.sorted { $0.lexicographicallyPrecedes($1) } == stored.sorted { $0.lexicographicallyPrecedes($1) })

                // A changed link is refused; another tenant cannot see the export at all.
                let tampered = link.replacingOccurrences(of: "downloads/", with: "downloads/x")
                #expect(try await api.call(.get, tampered).status == .forbidden)
                let other = try await api.signup(tenant: "Other")
                let hidden = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)/exports/\(started.string("id")!)", token: other.accessToken)
                #expect(hidden.status == .notFound)
                #expect(
                    try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/exports", json: ["format": "csv"], token: other.accessToken).status
                        == .notFound)
                let badFormat = try await api.call(
                    .post, "/api/v1/prospecting/jobs/\(id)/exports", json: ["format": "xlsx"], token: owner.accessToken)
                #expect(badFormat.status == .unprocessableContent && badFormat.string("field") == "format")

                // 91 days later: the partition is dropped, the files removed, the job archived.
                let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter {
                    $0.hasSuffix(".csv") || $0.hasSuffix(".json")
                }
                #expect(files.count == 2)
                let upkeep = ProspectExportService(
                    exporter: ProspectExporter(
                        results: ProspectResultsRepository(database: database), exports: ProspectExportRepository(database: database),
                        storage: storage, logger: TestDatabase.logger), jobs: ProspectJobRepository(database: database))
                await upkeep.sweep(now: Date().addingTimeInterval(91 * 86_400))
                let left = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter {
                    $0.hasSuffix(".csv") || $0.hasSuffix(".json")
                }
                #expect(left.isEmpty)
                let partitions = try await database.withSystem { connection in
                    try await connection.query(
                        "SELECT count(*)::int FROM pg_class WHERE relname = \("prospect_results_" + id.replacingOccurrences(of: "-", with: ""))",
                        logger: TestDatabase.logger
                    ).collect().first!.decode(Int.self)
                }
                #expect(partitions == 0)
                let archived = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)", token: owner.accessToken)
                #expect(archived.string("state") == "archived")
                #expect(archived["matches"] as? Int == stored.count, "the job's counters are kept")
                #expect(try await api.call(.get, link).status == .gone)
                #expect(try await api.call(.get, "/api/v1/prospecting/jobs", token: owner.accessToken).items.isEmpty)
                #expect(try await api.call(.get, "/api/v1/prospecting/jobs?include_archived=true", token: owner.accessToken).items.count == 1)
                let again = try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/exports", json: ["format": "csv"], token: owner.accessToken)
                #expect(again.status == .conflict)
            }
        }
    }

    @Test func aSignedLinkExpiresAndCannotBeAlteredOrReused() throws {
        let links = ExportLinks(secret: "a server secret of enough length for tests")
        let tenant = UUID()
        let export = UUID()
        let now = Date()
        let token = links.token(tenantID: tenant, exportID: export, expires: now.addingTimeInterval(60))
        let claim = try links.verify(token, now: now)
        #expect(claim.tenantID == tenant && claim.exportID == export)
        #expect(throws: ExportLinks.Refusal.expired) { try links.verify(token, now: now.addingTimeInterval(61)) }
        // Another export's claim under this signature, or another key, is refused.
        let parts = token.split(separator: ".")
        let forged = Base64URL.encode(
            Array("\(tenant.uuidString.lowercased()):\(UUID().uuidString.lowercased()):\(Int(now.timeIntervalSince1970) + 60)".utf8))
        #expect(throws: ExportLinks.Refusal.invalid) { try links.verify(forged + "." + parts[1], now: now) }
        #expect(throws: ExportLinks.Refusal.invalid) { try ExportLinks(secret: "another secret").verify(token, now: now) }
        #expect(throws: ExportLinks.Refusal.invalid) { try links.verify("nonsense", now: now) }
    }

    @Test func aDomainWhoseTaskDiedIsFailedSoItsJobStillFinishes() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            let reply = try await api.call(
                .post, "/api/v1/prospecting/jobs", json: ["name": "dies", "domains": ["a.example", "b.example"], "keywords": ["seo"]],
                token: owner.accessToken)
            let id = try #require((reply["job"] as? [String: Any])?["id"] as? String)
            // No workers here: both tasks wait; one dies as a task whose worker crashed every time.
            try await database.withSystem { connection in
                try await connection.query(
                    """
                    UPDATE tasks SET state = 'dead', finished_at = now(), last_error = 'lease expired 3 times'
                    WHERE engine = 'prospecting' AND payload->>'position' = '0'
                    """, logger: TestDatabase.logger)
            }
            let jobs = ProspectJobRepository(database: database)
            #expect(try await jobs.settleDeadDomains() == 1)
            #expect(try await jobs.settleDeadDomains() == 0, "settled once")
            let status = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)", token: owner.accessToken)
            let progress = try #require(status["progress"] as? [String: Any])
            #expect(progress["failed"] as? Int == 1 && progress["in_flight"] as? Int == 1)
            let errors = try await api.call(.get, "/api/v1/prospecting/jobs/\(id)/errors", token: owner.accessToken)
            #expect(errors.text.contains("a.example,Could not be crawled: lease expired 3 times"))
        }
    }

    @Test func eachDomainAndTheJobsEndAreStreamedLiveToItsTenantOnly() async throws {
        try await TestSiteFarm.run { farm in
            let domains = Self.sites(farm, prefix: "live", count: 2)
            try await TestApp.run(workers: Self.workers, engines: Self.engines(farm)) { api, _ in
                let port = try #require(api.port)
                let owner = try await api.signup()
                let other = try await api.signup(tenant: "Other")
                let mine = try await EventStream(port: port, path: "/api/v1/events/live", token: owner.accessToken)
                let theirs = try await EventStream(port: port, path: "/api/v1/events/live", token: other.accessToken)
                defer {
                    mine.close()
                    theirs.close()
                }
                #expect(await mine.waitFor(": connected"))
                #expect(await theirs.waitFor(": connected"))
                let reply = try await api.call(
                    .post, "/api/v1/prospecting/jobs", json: ["name": "live", "domains": domains, "keywords": ["widgets"], "mode": "free-only"],
                    token: owner.accessToken)
                let id = try #require((reply["job"] as? [String: Any])?["id"] as? String)
                #expect(await mine.waitFor(#""domain":"\#(domains[0])""#), "\(mine.received)")
                #expect(await mine.waitFor(#""domain":"\#(domains[1])""#))
                #expect(await mine.waitFor("event: prospect.job"))
                #expect(mine.received.contains(#""job_id":"\#(id)""#) && mine.received.contains(#""matches":3"#))
                #expect(mine.received.contains(#""state":"completed""#))
                #expect(!theirs.received.contains("prospect."), "another tenant hears nothing of it")
            }
        }
    }
}
