import Foundation
import Hummingbird
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightServer
import LinkwrightStore
import Logging
import ServiceLifecycle
import UnixSignals

/// Driver of ops/bench/api.sh.
///
/// `serve DATABASE_URL REDIS_URL LIMITED_PORT OPEN_PORT`: the real application twice, on one
/// database, one port with the Redis-backed limiter and one with limits off, so the shell script
/// can load both with wrk in the same run; prints "ready" and serves until SIGTERM.
///
/// `decisions REDIS_URL SECONDS CONCURRENCY`: limiter decisions per second, through Redis and in
/// process, as one JSON line.
@main
struct APIBench {
    static func main() async throws {
        let args = CommandLine.arguments
        var logger = Logger(label: "api-bench")
        logger.logLevel = .warning
        switch args.count > 1 ? args[1] : "" {
        case "serve" where args.count == 6:
            try await serve(databaseURL: args[2], redisURL: args[3], limitedPort: Int(args[4])!, openPort: Int(args[5])!, logger: logger)
        case "decisions" where args.count == 5:
            try await decisions(redisURL: args[2], seconds: Int(args[3])!, concurrency: Int(args[4])!, logger: logger)
        default:
            print("usage: linkwright-api-bench serve DATABASE_URL REDIS_URL LIMITED_PORT OPEN_PORT | decisions REDIS_URL SECONDS CONCURRENCY")
            exit(2)
        }
    }

    static func serve(databaseURL: String, redisURL: String, limitedPort: Int, openPort: Int, logger: Logger) async throws {
        let secret = "api-bench-secret-that-is-at-least-32-bytes"
        let coordination = Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: redisURL), logger: logger), logger: logger)
        func app(port: Int, limits: Bool) async throws -> some ApplicationProtocol {
            try await buildApplication(
                configuration: ServerConfiguration(host: "127.0.0.1", port: port, enforceRateLimits: limits),
                database: Database(endpoint: try DatabaseEndpoint(url: databaseURL), maximumConnections: 8, logger: logger),
                jwtSecret: secret, secrets: SecretKeys(SecretKeyring([.generate()])!), coordination: coordination, logger: logger)
        }
        let limited = try await app(port: limitedPort, limits: true)
        let open = try await app(port: openPort, limits: false)
        let group = ServiceGroup(services: [limited, open], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        Task {
            try await Task.sleep(for: .seconds(1))
            FileHandle.standardOutput.write(Data("ready\n".utf8))
        }
        try await group.run()
    }

    static func decisions(redisURL: String, seconds: Int, concurrency: Int, logger: Logger) async throws {
        let redis = RedisClient(endpoint: try RedisEndpoint(url: redisURL), logger: logger)
        let limit = RateLimit(limit: 1_000_000_000, period: .seconds(60))
        func measure(_ limiter: any RateLimiter) async -> Double {
            let deadline = ContinuousClock.now + .seconds(seconds)
            let count = await withTaskGroup(of: Int.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var made = 0
                        while ContinuousClock.now < deadline {
                            _ = await limiter.decide(key: "bench-\(worker)-\(made % 100)", limit: limit)
                            made += 1
                        }
                        return made
                    }
                }
                return await group.reduce(0, +)
            }
            return Double(count) / Double(seconds)
        }
        let shared = Coordination(redis: redis, logger: logger)
        let throughRedis = await measure(shared.rateLimiter)
        let inProcess = await measure(LocalRateLimiter())
        print(
            #"{"redis_decisions_per_second": \#(Int(throughRedis)), "local_decisions_per_second": \#(Int(inProcess)), "degraded": \#(shared.degraded)}"#
        )
        await redis.shutdown()
    }
}
