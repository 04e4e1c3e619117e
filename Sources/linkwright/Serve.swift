import ArgumentParser
import Foundation
import Hummingbird
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightServer
import LinkwrightWorkers
import LinkwrightStore
import Logging
import ServiceLifecycle
import UnixSignals
import LinkwrightEngines

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the API (migrating the database first). Stops cleanly on SIGINT or SIGTERM.")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Address to listen on. (env: LINKWRIGHT_HOST, default: 127.0.0.1)")
    var host: String?

    @Option(name: .long, help: "Port to listen on. (env: LINKWRIGHT_PORT, default: 8080)")
    var port: Int?

    @Option(name: .customLong("redis-url"), help: "redis://[:password@]host:port/db shared by every process for API rate limits, per-domain politeness, concurrency caps and live events; without it all of these are kept in-process, correct for one node. (env: LINKWRIGHT_REDIS_URL)")
    var redisURL: String?

    @Option(name: .customLong("jwt-secret"), help: "HS256 secret for access tokens, at least 32 bytes; every API process must share it. Generated and kept in the data directory when unset. (env: LINKWRIGHT_JWT_SECRET)")
    var jwtSecret: String?

    @Option(name: .customLong("metrics-token"), help: "When set, GET /metrics requires it as a bearer token. (env: LINKWRIGHT_METRICS_TOKEN)")
    var metricsToken: String?

    @Option(name: .customLong("allow-private-targets"), help: "1 lets outbound fetches reach private and loopback addresses. For tests only. (env: LINKWRIGHT_ALLOW_PRIVATE_TARGETS, default: 0)")
    var allowPrivateTargets: String?

    @Option(name: .customLong("web-dir"), help: "The browser app's files, served at /. (env: LINKWRIGHT_WEB_DIR, default: ./web-static, else found next to the binary)")
    var webDir: String?

    @Option(name: .long, help: "all (API, workers and scheduler), api (HTTP only), worker (workers only) or scheduler (the periodic jobs: hourly rollups). (env: LINKWRIGHT_ROLE, default: all)")
    var role: String?

    @Option(name: .customLong("worker-concurrency"), help: "Tasks running at once per lane as high,normal,bulk,verification. (env: LINKWRIGHT_WORKER_CONCURRENCY, default: 16,16,8,16)")
    var workerConcurrency: String?

    @Option(name: .customLong("task-lease-seconds"), help: "How long a claimed task stays leased without a heartbeat. (env: LINKWRIGHT_TASK_LEASE_SECONDS, default: 60)")
    var taskLeaseSeconds: Int?

    @Option(name: .customLong("concurrency-caps"), help: "Most tasks of an engine running at once across every worker process, as engine=limit[,engine=limit], e.g. verification=200; shared through Redis when configured. (env: LINKWRIGHT_CONCURRENCY_CAPS, default: none)")
    var concurrencyCaps: String?

    @Option(name: .customLong("hashing-threads"), help: "Threads reserved for Argon2 password hashing. (env: LINKWRIGHT_HASHING_THREADS, default: the number of cores)")
    var hashingThreads: Int?

    func run() async throws {
        let logger = try common.bootstrapLogging()
        let migrations = try common.loadMigrations()
        let portText = setting(port.map(String.init), "LINKWRIGHT_PORT") ?? "8080"
        guard let port = Int(portText), (0...65535).contains(port) else { throw ValidationError("LINKWRIGHT_PORT must be a port number, not \(portText)") }
        // Redis coordinates rate limits, per-domain politeness and live events between processes
        // when configured; the client connects lazily, so a Redis that is down at start is a
        // degraded state, not a failure.
        var coordination: Coordination?
        if let url = setting(redisURL, "LINKWRIGHT_REDIS_URL") {
            coordination = Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: url), logger: logger), logger: logger)
        }
        let configuration = ServerConfiguration(
            host: setting(host, "LINKWRIGHT_HOST") ?? "127.0.0.1",
            port: port,
            metricsToken: setting(metricsToken, "LINKWRIGHT_METRICS_TOKEN"),
            hashingThreads: setting(hashingThreads.map(String.init), "LINKWRIGHT_HASHING_THREADS").flatMap(Int.init),
            webDirectory: setting(webDir, "LINKWRIGHT_WEB_DIR").map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? CommonOptions.findDirectory("web-static"))

        let role = setting(role, "LINKWRIGHT_ROLE") ?? "all"
        guard ["all", "api", "worker", "scheduler"].contains(role) else {
            throw ValidationError("--role must be all, api, worker or scheduler, not \(role)")
        }
        let workers = try workerConfiguration()
        let engines = EngineRegistry.standard(
            allowPrivateTargets: setting(allowPrivateTargets, "LINKWRIGHT_ALLOW_PRIVATE_TARGETS") == "1",
            politeness: coordination.map { SharedPoliteness(coordination: $0, suffixes: PublicSuffixList.load()) })

        let target = try await DatabaseTarget.open(common, logger: logger)
        do {
            try await Migrator(endpoint: target.endpoint, migrations: migrations, logger: logger).migrate()
            let secret = try JWTSecret.resolve(flag: jwtSecret, dataDirectory: common.resolvedDataDir)
            let database = Database(endpoint: target.endpoint, logger: logger)
            var services: [any Service] = []
            if let cluster = target.embedded { services.append(EmbeddedPostgresSupervisor(cluster: cluster, logger: logger)) }
            if role == "scheduler" {
                services += [database, Scheduler(database: database, logger: logger)]
                logger.info("scheduling", metadata: ["database": "\(target.endpoint)"])
                try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
            } else if role == "worker" {
                services += [database, buildWorkers(database: database, configuration: workers, engines: engines,
                                                    coordination: coordination, logger: logger)]
                logger.info("working", metadata: ["owner": "\(workers.owner)", "database": "\(target.endpoint)"])
                try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
            } else {
                // One coordination for the API and the workers beside it, so live progress reaches
                // this process's streams even without Redis; one registry for both their metrics.
                let coordination = coordination ?? Coordination(redis: nil, logger: logger)
                let metrics = AppMetrics()
                let jobs: [any Service] = role == "all" ? [
                    buildWorkers(database: database, configuration: workers, engines: engines,
                                 metrics: TaskMetrics(registry: metrics.registry), coordination: coordination, logger: logger),
                    Scheduler(database: database, logger: logger),
                ] : []
                let app = try await buildApplication(
                    configuration: configuration, database: database, jwtSecret: secret, metrics: metrics,
                    coordination: coordination, additionalServices: services, jobs: jobs, logger: logger)
                logger.info("serving", metadata: ["url": "http://\(configuration.host):\(configuration.port)", "role": "\(role)", "database": "\(target.endpoint)"])
                try await app.runService()
            }
        } catch {
            await target.shutdown()
            throw error
        }
        await target.shutdown()
    }
}

extension Serve {
    func workerConfiguration() throws -> WorkerConfiguration {
        var workers = WorkerConfiguration()
        if let raw = setting(workerConcurrency, "LINKWRIGHT_WORKER_CONCURRENCY") {
            let counts = raw.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard counts.count == 4, counts.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw ValidationError("--worker-concurrency must be four counts: high,normal,bulk,verification")
            }
            workers.concurrency = Dictionary(uniqueKeysWithValues: zip([Lane.high, .normal, .bulk, .verification], counts.map { $0! }))
        }
        if let raw = setting(concurrencyCaps, "LINKWRIGHT_CONCURRENCY_CAPS") {
            workers.caps = try Self.caps(raw)
        }
        if let raw = setting(taskLeaseSeconds.map(String.init), "LINKWRIGHT_TASK_LEASE_SECONDS") {
            guard let seconds = Int(raw), seconds >= 1 else { throw ValidationError("--task-lease-seconds must be a whole number of seconds") }
            workers.lease = .seconds(seconds)
        }
        return workers
    }

    static func caps(_ raw: String) throws -> [String: Int] {
        var caps: [String: Int] = [:]
        for entry in raw.split(separator: ",") {
            let parts = entry.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let limit = Int(parts[1]), limit >= 1 else {
                throw ValidationError("--concurrency-caps must be engine=limit[,engine=limit] with whole limits of at least 1, not \(raw)")
            }
            caps[parts[0]] = limit
        }
        return caps
    }
}

/// The access-token secret: configured, or generated once and kept (mode 0600) in the data dir
/// so tokens survive restarts.
enum JWTSecret {
    static func resolve(flag: String?, dataDirectory: URL) throws -> String {
        if let configured = setting(flag, "LINKWRIGHT_JWT_SECRET") {
            guard configured.utf8.count >= 32 else { throw ValidationError("LINKWRIGHT_JWT_SECRET must be at least 32 bytes") }
            return configured
        }
        let file = dataDirectory.appendingPathComponent("jwt-secret")
        if let existing = try? String(contentsOf: file, encoding: .utf8).trimmingWhitespace(), existing.utf8.count >= 32 {
            return existing
        }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let secret = OpaqueToken.generate().secret + OpaqueToken.generate().secret
        guard FileManager.default.createFile(atPath: file.path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(file.path)")
        }
        return secret
    }
}
