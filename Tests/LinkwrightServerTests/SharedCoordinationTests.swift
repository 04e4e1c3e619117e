import AsyncHTTPClient
import Foundation
import HTTPTypes
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
    import Glibc
#endif
import Testing
@testable import LinkwrightWorkers

/// Limits and live events shared by separate processes through the real redis-server `ops/test`
/// starts (`LINKWRIGHT_TEST_REDIS_URL`). Each test uses its own Redis database number so the
/// per-address allowance of one is not spent by another.
@Suite struct SharedCoordinationTests {
    static var redisURL: String? { ProcessInfo.processInfo.environment["LINKWRIGHT_TEST_REDIS_URL"] }
    let logger = Logger(label: "test")

    struct Answer: Sendable, CustomStringConvertible {
        let status: Int
        let json: [String: String]
        let text: String
        var description: String { "\(status): \(text)" }
    }

    func http(_ method: HTTPMethod, _ url: String, json: [String: Any]? = nil, token: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]) ?? [:]
        return Answer(status: Int(response.status.code), json: object.compactMapValues { $0 as? String }, text: String(buffer: body))
    }

    func waitUntilReady(_ port: Int, _ process: Process, log: URL) async throws {
        for _ in 0..<600 {
            if let ready = try? await http(.GET, "http://127.0.0.1:\(port)/readyz"), ready.status == 200 { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("API process on \(port) never became ready: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        throw CancellationError()
    }

    @Test func twoAPIProcessesSharingRedisEnforceOneCombinedLimit() async throws {
        guard let redisURL = try await TestRedis.url(database: 2) else { return }
        let endpoint = try await TestDatabase.create()
        let dir = try TestDatabase.temporaryDirectory("lw-two-api")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ports = [RedisServer.freePort(), RedisServer.freePort()]
        let processes = try ports.enumerated().map { index, port in
            try LinkwrightProcess.launch(
                ["serve", "--role", "api", "--port", String(port)], endpoint: endpoint,
                dataDir: dir.appendingPathComponent("d\(index)"), log: dir.appendingPathComponent("\(index).log"),
                environment: ["LINKWRIGHT_REDIS_URL": redisURL, "LINKWRIGHT_JWT_SECRET": TestApp.jwtSecret])
        }
        defer { processes.forEach(LinkwrightProcess.stop) }
        for (index, port) in ports.enumerated() { try await waitUntilReady(port, processes[index], log: dir.appendingPathComponent("\(index).log")) }

        let base = ports.map { "http://127.0.0.1:\($0)/api/v1" }
        let email = "two-\(UUID().uuidString.prefix(8).lowercased())@example.test"
        let signup = try await http(
            .POST, "\(base[0])/auth/signup", json: ["email": email, "password": "correct horse battery", "tenant_name": "Two"])
        let owner = try #require(signup.json["access_token"])
        let created = try await http(.POST, "\(base[1])/api-keys", json: ["name": "both", "scopes": ["read"]], token: owner)
        let key = try #require(created.json["key"], "creating a key on the other process: \(created); its log: \(Self.log(dir, 1))")

        // 140 requests with one key, alternating between the processes, eight at a time.
        let start = ContinuousClock.now
        let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            var results: [(Int, Int)] = []
            for i in 0..<140 {
                if i >= 8, let done = try await group.next() { results.append(done) }
                group.addTask { (i % 2, try await http(.GET, "\(base[i % 2])/queue", token: key).status) }
            }
            for try await done in group { results.append(done) }
            return results
        }
        let seconds = Double((ContinuousClock.now - start).components.seconds) + 1
        let allowed = statuses.filter { $0.1 == 200 }.count
        #expect(statuses.allSatisfy { $0.1 == 200 || $0.1 == 429 }, "\(Set(statuses.map(\.1)))")
        // The free plan's 60 a minute, plus one for each second the burst took: not 60 per process.
        #expect(allowed >= 60 && allowed <= 60 + Int(seconds) + 1, "\(allowed) allowed in about \(seconds) s")
        #expect(Set(statuses.filter { $0.1 == 429 }.map(\.0)) == [0, 1], "both processes refuse once the shared allowance is spent")
    }

    @Test func aWorkerProcessesEventsReachAStreamOnAnAPIProcessThroughRedis() async throws {
        guard let redisURL = try await TestRedis.url(database: 3) else { return }
        let endpoint = try await TestDatabase.create()
        let dir = try TestDatabase.temporaryDirectory("lw-fanout")
        defer { try? FileManager.default.removeItem(at: dir) }
        let coordination = Coordination(
            redis: RedisClient(endpoint: try RedisEndpoint(url: redisURL), timeout: .seconds(2), logger: logger), logger: logger)
        // The API here runs no workers: whatever reaches its stream came through Redis.
        try await TestApp.run(endpoint: endpoint, coordination: coordination) { api, database in
            let owner = try await api.signup()
            let stream = try await EventStream(port: try #require(api.port), path: "/api/v1/events/live", token: owner.accessToken)
            defer { stream.close() }
            #expect(await stream.waitFor(": connected"))
            let log = dir.appendingPathComponent("worker.log")
            let worker = try LinkwrightProcess.launch(
                ["serve", "--role", "worker", "--worker-concurrency", "0,4,0,0"], endpoint: endpoint,
                dataDir: dir.appendingPathComponent("w"), log: log, environment: ["LINKWRIGHT_REDIS_URL": redisURL])
            defer { LinkwrightProcess.stop(worker) }
            #expect(await LinkwrightProcess.waitForLog(log, "working"))
            try await TaskQueue(database: database).enqueue(
                tenantID: UUID(uuidString: owner.tenantID)!, [NewTask(lane: .normal, engine: "noop", idempotencyKey: "fan-out")])
            #expect(
                await stream.waitFor("event: task.succeeded"), "nothing arrived; worker log: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")"
            )
            #expect(stream.received.contains(#""engine":"noop""#))
        }
    }

    @Test func failedSignInsOnOneProcessSlowDownTheNextOnAnother() async throws {
        guard let url = try await TestRedis.url(database: 5) else { return }
        let endpoint = try await TestDatabase.create()
        func coordination() throws -> Coordination {
            Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: url), timeout: .seconds(2), logger: logger), logger: logger)
        }
        let first = try coordination()
        let second = try coordination()
        try await TestApp.run(endpoint: endpoint, coordination: first, loginThrottle: AuthTests.patientThrottle) { one, _ in
            try await TestApp.run(endpoint: endpoint, coordination: second, loginThrottle: AuthTests.patientThrottle) { other, _ in
                let owner = try await one.signup()
                for _ in 0..<5 {
                    let wrong = try await one.call(.post, "/api/v1/auth/login", json: ["email": owner.email, "password": "a wrong passphrase here"])
                    #expect(wrong.status == .unauthorized)
                }
                // Even the right password waits, on a process that saw none of the failures.
                let next = try await other.call(.post, "/api/v1/auth/login", json: ["email": owner.email, "password": owner.password])
                #expect(next.status == .tooManyRequests)
                #expect(next.string("detail")?.contains("failed sign-ins") == true)
            }
        }
    }

    @Test func redisKilledAndRestartedUnderLoadCausesNo5xxAndRecovers() async throws {
        guard Self.redisURL != nil else { return }
        let port = RedisServer.freePort()
        let server = try RedisServer(port: port)
        defer { server.kill() }
        let coordination = Coordination(
            redis: RedisClient(endpoint: try RedisEndpoint(url: "redis://127.0.0.1:\(port)/0"), timeout: .seconds(1), logger: logger),
            logger: logger)
        try await TestApp.run(coordination: coordination) { api, database in
            let owner = try await api.signup()
            _ = try await AccountRepository(database: database).setPlan(tenantID: UUID(uuidString: owner.tenantID)!, plan: "agency")
            let statuses = NIOLockedValueBox<[Int: Int]>([:])
            // 200s answered while Redis was gone, counted apart.
            let redisDown = NIOLockedValueBox(false)
            let servedWhileDown = NIOLockedValueBox(0)
            let running = NIOLockedValueBox(true)
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            while running.withLockedValue({ $0 }) {
                                let code = (try? await api.call(.get, "/api/v1/queue", token: owner.accessToken).status.code) ?? -1
                                statuses.withLockedValue { $0[code, default: 0] += 1 }
                                if code == 200, redisDown.withLockedValue({ $0 }) { servedWhileDown.withLockedValue { $0 += 1 } }
                                try? await Task.sleep(for: .milliseconds(20))
                            }
                        }
                    }
                }
            }
            func degraded() async throws -> Bool {
                // The sample line, not the HELP line (which also starts "…degraded 1 while").
                try await api.call(.get, "/metrics").text.split(separator: "\n").contains { $0.hasPrefix("linkwright_coordination_degraded 1") }
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await !degraded())
            server.kill()
            redisDown.withLockedValue { $0 = true }
            var sawDegraded = false
            for _ in 0..<100 where !sawDegraded {
                try await Task.sleep(for: .milliseconds(50))
                sawDegraded = try await degraded()
            }
            #expect(sawDegraded, "operators see that limits are local while Redis is gone")
            try await Task.sleep(for: .milliseconds(500))
            let servedDown = servedWhileDown.withLockedValue { $0 }
            redisDown.withLockedValue { $0 = false }
            try server.start()
            var recovered = false
            for _ in 0..<200 where !recovered {
                try await Task.sleep(for: .milliseconds(50))
                recovered = try await !degraded()
            }
            #expect(recovered, "back on Redis once it answers again")
            running.withLockedValue { $0 = false }
            await load.value
            let seen = statuses.withLockedValue { $0 }
            #expect(seen.keys.allSatisfy { $0 == 200 || $0 == 429 }, "no request failed because Redis was down: \(seen)")
            #expect(servedDown > 0, "requests were served while Redis was down")
        }
    }

    static func log(_ dir: URL, _ index: Int) -> String {
        String(((try? String(contentsOf: dir.appendingPathComponent("\(index).log"), encoding: .utf8)) ?? "").suffix(3000))
    }
}
