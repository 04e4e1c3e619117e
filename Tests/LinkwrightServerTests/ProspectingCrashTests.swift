import Foundation
import HTTPTypes
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Worker processes killed with SIGKILL in the middle of a job, while it is paused and resumed:
/// the job still crawls every domain once, exactly as a run nobody interrupted.
/// Part of `ProspectingTests`, which runs one test at a time (worker processes and a whole
/// application each).
extension ProspectingTests {
    /// A worker process (`linkwright-prospect-worker`) crawling the test's farm.
    static func worker(_ endpoint: DatabaseEndpoint, farm: TestSiteFarm, log: URL) async throws -> Process {
        let binary = TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/linkwright-prospect-worker")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestDatabase.SQLFailed(description: "\(binary.path) is missing: build it (ops/test does) before this test")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["postgres://\(endpoint.username)@\(endpoint.tcpHost):\(endpoint.tcpPort)/\(endpoint.database)", String(farm.port)]
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        #expect(await LinkwrightProcess.waitForLog(log, "working"))
        return process
    }

    static func done(_ database: Database, job: String) async throws -> Int {
        try await database.withSystem { connection in
            try await connection.query(
                "SELECT domains_done + domains_failed FROM prospect_jobs WHERE id = \(UUID(uuidString: job)!)", logger: TestDatabase.logger
            ).collect().first!.decode(Int.self)
        }
    }

    @Test func workersKilledMidJobAndPausesInBetweenStillCrawlEveryDomainOnce() async throws {
        let directory = try TestDatabase.temporaryDirectory("prospect-crash")
        try await TestSiteFarm.run { farm in
            let domains = ProspectingTests.sites(farm, prefix: "crash", count: 24, pages: 2)
            // 100 ms an answer: four requests a domain, so a kill always finds domains in flight.
            farm.delay(.milliseconds(100))
            let endpoint = try await TestDatabase.create()
            try await TestApp.run(endpoint: endpoint) { api, database in
                let owner = try await api.signup()
                func create(_ name: String) async throws -> String {
                    let reply = try await api.call(
                        .post, "/api/v1/prospecting/jobs",
                        json: ["name": name, "domains": domains, "keywords": ["widgets", "crm"], "mode": "free-only"], token: owner.accessToken)
                    return try #require((reply["job"] as? [String: Any])?["id"] as? String)
                }
                let steadyWorker = try await Self.worker(endpoint, farm: farm, log: directory.appendingPathComponent("steady.log"))
                let steady = try await create("never interrupted")
                #expect(try await ProspectingTests.waitForState(database, job: steady, ["completed"]) == "completed")
                LinkwrightProcess.stop(steadyWorker)

                let interrupted = try await create("killed, paused and resumed")
                var first = try await Self.worker(endpoint, farm: farm, log: directory.appendingPathComponent("w1.log"))
                for round in 2...4 {
                    let before = try await Self.done(database, job: interrupted)
                    while try await Self.done(database, job: interrupted) < min(before + 3, domains.count - 4) {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    kill(first.processIdentifier, SIGKILL)  // mid-crawl, holding leases and results
                    first.waitUntilExit()
                    first = try await Self.worker(endpoint, farm: farm, log: directory.appendingPathComponent("w\(round).log"))
                    let paused = try await api.call(.post, "/api/v1/prospecting/jobs/\(interrupted)/pause", token: owner.accessToken)
                    if paused.status == .conflict { break }
                    #expect(try await ProspectingTests.waitForState(database, job: interrupted, ["paused"]) == "paused")
                    #expect(try await api.call(.post, "/api/v1/prospecting/jobs/\(interrupted)/resume", token: owner.accessToken).status == .ok)
                }
                #expect(try await ProspectingTests.waitForState(database, job: interrupted, ["completed"]) == "completed")
                LinkwrightProcess.stop(first)

                let (a, b, twice, reaped) = try await database.withSystem { connection in
                    func results(_ job: String) async throws -> [String] {
                        try await connection.query(
                            """
                            SELECT url || ' ' || keyword || ' ' || frequency FROM prospect_results WHERE job_id = \(UUID(uuidString: job)!) ORDER BY 1
                            """, logger: TestDatabase.logger
                        ).collect().map { try $0.decode(String.self) }
                    }
                    let twice = try await connection.query(
                        """
                        SELECT count(*)::int FROM prospect_domains WHERE job_id = \(UUID(uuidString: interrupted)!) AND state <> 'crawled'
                        """, logger: TestDatabase.logger
                    ).collect().first!.decode(Int.self)
                    // Tasks a killed worker held: their leases ran out and another worker ran them.
                    let reaped = try await connection.query(
                        """
                        SELECT count(*)::int FROM tasks WHERE engine = 'prospecting' AND payload->>'job_id' = \(interrupted)
                          AND (attempt > 1 OR last_error = 'lease expired')
                        """, logger: TestDatabase.logger
                    ).collect().first!.decode(Int.self)
                    return (try await results(steady), try await results(interrupted), twice, reaped)
                }
                #expect(reaped > 0, "the kills caught domains in the middle of their crawl")
                #expect(a.count == 24 * 2 * 2)
                #expect(a == b, "the same matches as the run never interrupted")
                #expect(twice == 0, "every domain crawled, none failed or left behind")
                let job = try await api.call(.get, "/api/v1/prospecting/jobs/\(interrupted)", token: owner.accessToken)
                #expect((job["progress"] as? [String: Any])?["crawled"] as? Int == 24, "each domain counted once: \(job.text)")
                #expect(job["matches"] as? Int == 96)
            }
        }
    }
}
