import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import LinkwrightTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import PostgresNIO
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// A real `linkwright serve --role worker` process killed with SIGKILL after WordPress made the
/// post and before the worker could record it: a second worker process runs the slot again and
/// WordPress still has one post, Linkwright one placement.
///
/// The worker reaches WordPress through a loopback relay that, once WordPress has answered a
/// new post, holds that answer back: the kill lands in exactly the window the test is about.
@Suite struct PublishCrashTests {
    /// Forwards every request to WordPress; a created post's answer is held until the test lets
    /// go, and the relay says when it holds one.
    struct Relay {
        let port: Int
        let held: AsyncStream<Void>
    }

    static func relay<R: Sendable>(to upstream: String, _ body: @Sendable (Relay) async throws -> R) async throws -> R {
        let ports = AsyncStream<Int>.makeStream()
        let held = AsyncStream<Void>.makeStream()
        let router = Router()
        let forward: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var outbound = HTTPClientRequest(url: upstream + (request.uri.description))
            outbound.method = HTTPMethod(rawValue: request.method.rawValue)
            for field in request.headers where field.name.canonicalName != "host" {
                outbound.headers.add(name: field.name.rawName, value: field.value)
            }
            let body = try await request.body.collect(upTo: 1 << 22)
            if body.readableBytes > 0 { outbound.body = .bytes(body) }
            let answer = try await HTTPClient.shared.execute(outbound, timeout: .seconds(30))
            let bytes = try await answer.body.collect(upTo: 1 << 22)
            if request.method == .post, request.uri.path.hasSuffix("/wp-json/wp/v2/posts"), answer.status == .created {
                held.continuation.yield()
                try await Task.sleep(for: .seconds(10))  // the worker is killed meanwhile
            }
            var fields = HTTPFields()
            for header in answer.headers where !["transfer-encoding", "connection"].contains(header.name.lowercased()) {
                if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
            }
            return Response(status: .init(code: Int(answer.status.code)), headers: fields, body: .init(byteBuffer: bytes))
        }
        router.get("**", use: forward)
        router.post("**", use: forward)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { ports.continuation.yield($0.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var next = ports.stream.makeAsyncIterator()
            let port = await next.next() ?? 0
            let result = try await body(Relay(port: port, held: held.stream))
            group.cancelAll()
            return result
        }
    }

    func worker(_ endpoint: DatabaseEndpoint, _ dir: URL, _ name: String, key: SecretKeyring.Key) throws -> Process {
        try LinkwrightProcess.launch(
            ["serve", "--role", "worker", "--task-lease-seconds", "2", "--worker-concurrency", "0,4,0,0", "--allow-private-targets", "1"],
            endpoint: endpoint, dataDir: dir.appendingPathComponent(name), log: dir.appendingPathComponent("\(name).log"),
            environment: ["LINKWRIGHT_SECRET_KEY": key.base64])
    }

    func count(_ endpoint: DatabaseEndpoint, _ sql: String) async throws -> Int {
        try await TestDatabase.withConnection(endpoint) { c in
            try await c.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger).decode(Int.self).first { _ in true } ?? 0
        }
    }

    @Test func aWorkerKilledBetweenWordPresssAnswerAndTheCompletionLeavesOnePost() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let endpoint = try await TestDatabase.create()
        let dir = try TestDatabase.temporaryDirectory("lw-publish-crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = SecretKeyring.Key.generate()
        try await Self.relay(to: wordpress.url) { relay in
            // The API alone in this process: the worker processes do all the work.
            try await TestApp.run(endpoint: endpoint, secrets: SecretKeys(SecretKeyring([key])!)) { api, _ in
                let owner = try await api.signup()
                _ = try await PublishingTests.connect(
                    api, owner,
                    [
                        "platform": "wordpress", "base_url": "http://127.0.0.1:\(relay.port)", "username": wordpress.author,
                        "secret": wordpress.authorPassword, "owned": true,
                    ])
                let victim = try worker(endpoint, dir, "a", key: key)
                defer { LinkwrightProcess.stop(victim) }
                let campaign = try await DraftTests.campaign(api, owner, name: "Crash shoes", engines: ["web2"])
                _ = try await DraftTests.drafts(api, owner, campaign: campaign)
                try await PublishingTests.approve(api, owner, campaign: campaign)

                // WordPress has made the post; the worker has not heard. Kill it now.
                var holding = relay.held.makeAsyncIterator()
                let held: Void? = await holding.next()
                #expect(held != nil)
                kill(victim.processIdentifier, SIGKILL)
                for _ in 0..<50 where victim.isRunning { try await Task.sleep(for: .milliseconds(20)) }
                let slot = "SELECT count(*)::int FROM tasks WHERE engine = 'web2'"
                #expect(try await count(endpoint, slot + " AND state = 'running'") == 1, "the killed worker's lease is still held")
                #expect(try await count(endpoint, "SELECT count(*)::int FROM placements") == 0)

                let survivor = try worker(endpoint, dir, "b", key: key)
                defer { LinkwrightProcess.stop(survivor) }
                var placed = 0
                for _ in 0..<600 where placed == 0 {
                    try await Task.sleep(for: .milliseconds(100))
                    placed = try await count(endpoint, "SELECT count(*)::int FROM placements")
                }
                #expect(placed == 1, "see \(dir.path)")
                #expect(try await count(endpoint, slot + " AND state = 'succeeded' AND attempt = 2") == 1, "run again once, by the survivor")
                // One post for the slot: a second would have the mark's slug with "-2".
                let source = try #require(
                    try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.first?["source_url"]
                        as? String)
                let slug = try #require(source.split(separator: "/").last.map(String.init))
                let found = try await wordpress.fetcher.send(
                    "GET", wordpress.url + "/wp-json/wp/v2/posts?slug=\(slug),\(slug)-2&_fields=slug")
                let posts = try JSONSerialization.jsonObject(with: Data(found.body)) as? [[String: Any]] ?? []
                #expect(posts.map { $0["slug"] as? String } == [slug])
            }
        }
    }
}
