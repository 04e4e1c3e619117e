import AsyncHTTPClient
import Foundation
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightEngines
import Logging
import NIOCore
import NIOHTTP1

/// The publishing benchmark's driver (ops/bench/publish.sh). Prints one JSON line.
///
///   linkwright-publish-bench engine|engine-limited|plain|plain-post WORDPRESS_URL USER APP_PASSWORD POSTS CONCURRENCY
///     engine: POSTS approved articles published by the web2 engine (the guarded fetcher, the
///       exactly-once look-up, the post), CONCURRENCY at a time, as workers run them.
///     engine-limited: the same with every publish taken through the action limiter on the
///       Redis at BENCH_REDIS_URL (one Lua call each), as workers sharing Redis do; each post
///       is another account's, so the limits never hold one back and only their cost shows.
///     plain: the same two requests per post (look up the slug, create the post) from a plain
///       AsyncHTTPClient: the reference for the engine's own overhead.
///     plain-post: one request per post (create only): what a client that does not care about
///       publishing twice would do.
@main
struct PublishBench {
    static func main() async throws {
        let args = CommandLine.arguments
        guard args.count == 7, let posts = Int(args[5]), let concurrency = Int(args[6]) else {
            FileHandle.standardError.write(Data("usage: linkwright-publish-bench engine|plain|plain-post URL USER PASSWORD POSTS CONCURRENCY\n".utf8))
            exit(2)
        }
        let (mode, site, user, password) = (args[1], args[2], args[3], args[4])
        let run = UUID().uuidString.prefix(8).lowercased()
        let body = """
            <h2>Breaking in trail shoes</h2><p>Walk a week in them before the first long run, and see \
            <a href="https://client.example/shoes">best running shoes</a> for the rest.</p>
            """
        let started = ContinuousClock.now
        let failures: Int
        switch mode {
        case "engine", "engine-limited":
            let engine = Web2Engine(fetcher: .exempting(site))
            let account = ConnectedAccount(id: UUID(), platform: .wordpress, baseURL: site, username: user, secret: password)
            var limiter: (any ActionLimiter)?
            if mode == "engine-limited" {
                let logger = Logger(label: "bench")
                let url = ProcessInfo.processInfo.environment["BENCH_REDIS_URL"] ?? "redis://127.0.0.1:6379/0"
                limiter = Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: url), logger: logger), logger: logger).actionLimiter
            }
            let tools = EngineTools(publishing: Desk(account: account, body: body), actions: limiter)
            failures = await inParallel(posts, concurrency) { n in
                let payload = PublishTaskPayload(
                    draftID: UUID(), anchorText: "best running shoes", targetURL: "https://client.example/shoes", ownedConnectionsOnly: false)
                let task = EngineTask(
                    tenantID: UUID(), taskID: Int64(n), engine: "web2", attempt: 1, idempotencyKey: "bench-\(run)-\(n)", payload: payload.json())
                if case .done = (try? await engine.perform(task, tools: tools)) { return true }
                return false
            }
        case "plain", "plain-post":
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            failures = await inParallel(posts, concurrency) { n in
                let slug = "plain-\(run)-\(n)"
                do {
                    if mode == "plain" {
                        var lookup = HTTPClientRequest(
                            url: "\(site)/wp-json/wp/v2/posts?slug=\(slug)&status=publish,future,draft,pending,private&context=edit")
                        lookup.headers.add(name: "Authorization", value: authorization)
                        let found = try await client.execute(lookup, timeout: .seconds(30))
                        _ = try await found.body.collect(upTo: 5 << 20)
                    }
                    var create = HTTPClientRequest(url: "\(site)/wp-json/wp/v2/posts")
                    create.method = .POST
                    create.headers.add(name: "Authorization", value: authorization)
                    create.headers.add(name: "Content-Type", value: "application/json")
                    let json = try JSONEncoder().encode(["title": "Breaking in trail shoes", "content": body, "status": "publish", "slug": slug])
                    create.body = .bytes(ByteBuffer(bytes: json))
                    let response = try await client.execute(create, timeout: .seconds(30))
                    _ = try await response.body.collect(upTo: 5 << 20)
                    return response.status == .created
                } catch {
                    return false
                }
            }
            try await client.shutdown()
        default:
            exit(2)
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        print(
            #"{"mode": "\#(mode)", "posts": \#(posts), "failed": \#(failures), "seconds": \#(String(format: "%.2f", seconds)), "per_second": \#(String(format: "%.2f", Double(posts - failures) / seconds))}"#
        )
    }

    /// Runs `work` for 0..<count, `concurrency` at a time; returns how many failed.
    static func inParallel(_ count: Int, _ concurrency: Int, _ work: @escaping @Sendable (Int) async -> Bool) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            var next = 0
            var failed = 0
            while next < min(concurrency, count) {
                let n = next
                group.addTask { await work(n) }
                next += 1
            }
            for await ok in group {
                if !ok { failed += 1 }
                if next < count {
                    let n = next
                    group.addTask { await work(n) }
                    next += 1
                }
            }
            return failed
        }
    }

    /// The store's part, answered at once: the benchmark measures the engine and the platform.
    struct Desk: PublishingDesk {
        let account: ConnectedAccount
        let body: String
        func approvedDraft(tenantID: UUID, id: UUID) async throws -> ApprovedDraft? { ApprovedDraft(id: id, body: body, topic: "Bench") }
        /// A fresh account id each time, so action limits (when on) never hold a post back.
        func account(tenantID: UUID, platforms: [ConnectionPlatform], ownedOnly: Bool, spreadKey: String) async throws -> ConnectedAccount? {
            ConnectedAccount(id: UUID(), platform: account.platform, baseURL: account.baseURL, username: account.username, secret: account.secret)
        }
        func accountFailed(tenantID: UUID, id: UUID, reason: String) async throws {}
        func draftRefused(tenantID: UUID, draftID: UUID, taskID: Int64, reason: String) async throws {}
        func placementAllowance(tenantID: UUID, taskID: Int64) async throws -> (left: Int, limit: Int, resetsAt: Date) { (1000, 1000, Date()) }
        func claimPost(tenantID: UUID, pageURL: String, slotKey: String) async throws -> Bool { true }
    }
}

extension Fetcher {
    /// The guard with exactly this loopback site let through (as the tests do).
    static func exempting(_ url: String) -> Fetcher {
        let components = URLComponents(string: url)!
        return Fetcher(
            userAgent: Fetcher.userAgent(version: "bench", homepage: "https://linkwright.test"), resolver: StaticResolver([:]),
            policy: AddressPolicy(exempt: [AddressPolicy.Endpoint(address: IPAddress(components.host!)!, port: components.port ?? 80)]))
    }
}
