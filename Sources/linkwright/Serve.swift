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

    @OptionGroup var content: ContentOptions

    @Option(name: Settings.host.name, help: Settings.host.help)
    var host: String?

    @Option(name: Settings.port.name, help: Settings.port.help)
    var port: Int?

    @Option(name: Settings.redisURL.name, help: Settings.redisURL.help)
    var redisURL: String?

    @Option(name: Settings.jwtSecret.name, help: Settings.jwtSecret.help)
    var jwtSecret: String?

    @Option(name: Settings.secretKey.name, help: Settings.secretKey.help)
    var secretKey: String?

    @Option(name: Settings.metricsToken.name, help: Settings.metricsToken.help)
    var metricsToken: String?

    @Option(name: Settings.allowPrivateTargets.name, help: Settings.allowPrivateTargets.help)
    var allowPrivateTargets: String?

    @Option(name: Settings.webDir.name, help: Settings.webDir.help)
    var webDir: String?

    @Option(name: Settings.role.name, help: Settings.role.help)
    var role: String?

    @Option(name: Settings.workerConcurrency.name, help: Settings.workerConcurrency.help)
    var workerConcurrency: String?

    @Option(name: Settings.taskLeaseSeconds.name, help: Settings.taskLeaseSeconds.help)
    var taskLeaseSeconds: Int?

    @Option(name: Settings.moderationWaitHours.name, help: Settings.moderationWaitHours.help)
    var moderationWaitHours: Int?

    @Option(name: Settings.concurrencyCaps.name, help: Settings.concurrencyCaps.help)
    var concurrencyCaps: String?

    @Option(name: Settings.hashingThreads.name, help: Settings.hashingThreads.help)
    var hashingThreads: Int?

    @Option(name: Settings.scrapingBeeKey.name, help: Settings.scrapingBeeKey.help)
    var scrapingBeeKey: String?

    @Option(name: Settings.scrapingBeeURL.name, help: Settings.scrapingBeeURL.help)
    var scrapingBeeURL: String?

    @Option(name: Settings.premiumConcurrency.name, help: Settings.premiumConcurrency.help)
    var premiumConcurrency: Int?

    @Option(name: Settings.exportS3Endpoint.name, help: Settings.exportS3Endpoint.help)
    var exportS3Endpoint: String?

    @Option(name: Settings.exportS3Bucket.name, help: Settings.exportS3Bucket.help)
    var exportS3Bucket: String?

    @Option(name: Settings.exportS3Region.name, help: Settings.exportS3Region.help)
    var exportS3Region: String?

    @Option(name: Settings.exportS3AccessKey.name, help: Settings.exportS3AccessKey.help)
    var exportS3AccessKey: String?

    @Option(name: Settings.exportS3SecretKey.name, help: Settings.exportS3SecretKey.help)
    var exportS3SecretKey: String?

    func run() async throws {
        let logger = try common.bootstrapLogging()
        let migrations = try common.loadMigrations()
        let portText = Settings.port.value(port.map(String.init))!
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("LINKWRIGHT_PORT must be a port number, not \(portText)")
        }
        // Redis coordinates rate limits, per-domain politeness and live events between processes
        // when configured; the client connects lazily, so a Redis that is down at start is a
        // degraded state, not a failure.
        var coordination: Coordination?
        if let url = Settings.redisURL.value(redisURL) {
            coordination = Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: url), logger: logger), logger: logger)
        }
        let configuration = ServerConfiguration(
            host: Settings.host.value(host)!,
            port: port,
            metricsToken: Settings.metricsToken.value(metricsToken),
            hashingThreads: Settings.hashingThreads.value(hashingThreads.map(String.init)).flatMap(Int.init),
            webDirectory: Settings.webDir.value(webDir).map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? CommonOptions.findDirectory("web-static"))

        let role = Settings.role.value(role)!
        guard ["all", "api", "worker", "scheduler"].contains(role) else {
            throw ValidationError("--role must be all, api, worker or scheduler, not \(role)")
        }
        let workers = try workerConfiguration()
        // One registry for the process: the API's request metrics and the workers' task and
        // content metrics are served together.
        let metrics = AppMetrics()
        let taskMetrics = TaskMetrics(registry: metrics.registry)
        let premiumText = Settings.premiumConcurrency.value(premiumConcurrency.map(String.init))!
        guard let premiumLimit = Int(premiumText), premiumLimit >= 1 else {
            throw ValidationError("--premium-concurrency must be a whole number of at least 1, not \(premiumText)")
        }
        // The premium provider's slots are shared by every process through Redis; a worker holds
        // one for at most a request's time, so a crashed one's comes back within two minutes.
        let premiumSlots = CappedPremiumSlots(
            cap: ConcurrencyCap(
                name: "premium:scrapingbee", limit: premiumLimit, lease: .seconds(120),
                coordination: coordination ?? Coordination(redis: nil, logger: logger)))
        let engines = EngineRegistry.standard(
            allowPrivateTargets: Settings.allowPrivateTargets.value(allowPrivateTargets) == "1",
            politeness: coordination.map { SharedPoliteness(coordination: $0, suffixes: PublicSuffixList.load()) },
            content: try content.generator(observer: taskMetrics), publishing: taskMetrics,
            scrapingBee: Settings.scrapingBeeKey.value(scrapingBeeKey).map { ($0, Settings.scrapingBeeURL.value(scrapingBeeURL)!) },
            premiumSlots: premiumSlots)

        let target = try await DatabaseTarget.open(common, logger: logger)
        do {
            try await Migrator(endpoint: target.endpoint, migrations: migrations, logger: logger).migrate()
            let secret = try JWTSecret.resolve(flag: jwtSecret, dataDirectory: common.resolvedDataDir)
            let secrets = try SecretKeys.resolve(configured: Settings.secretKey.value(secretKey), dataDirectory: common.resolvedDataDir)
            let database = Database(endpoint: target.endpoint, logger: logger)
            var configuration = configuration
            configuration.exportStorage = try exportStorage()
            var services: [any Service] = []
            if let cluster = target.embedded { services.append(EmbeddedPostgresSupervisor(cluster: cluster, logger: logger)) }
            if role == "scheduler" {
                services += [database, Scheduler(database: database, logger: logger)]
                logger.info("scheduling", metadata: ["database": "\(target.endpoint)"])
                try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
            } else if role == "worker" {
                // No API, but /healthz, /readyz and /metrics on the port: the task metrics these
                // workers record are only visible where they run.
                let queueWorkers = buildWorkers(
                    database: database, configuration: workers, engines: engines, secrets: secrets,
                    metrics: taskMetrics, coordination: coordination, logger: logger)
                let app = buildOperationsApplication(
                    configuration: configuration, database: database, metrics: metrics, coordination: coordination,
                    additionalServices: services, jobs: [queueWorkers], logger: logger)
                logger.info(
                    "working",
                    metadata: [
                        "owner": "\(workers.owner)", "database": "\(target.endpoint)",
                        "metrics": "http://\(configuration.host):\(configuration.port)/metrics",
                    ])
                try await app.runService()
            } else {
                // One coordination for the API and the workers beside it, so live progress reaches
                // this process's streams even without Redis; one registry for both their metrics.
                let coordination = coordination ?? Coordination(redis: nil, logger: logger)
                let jobs: [any Service] =
                    role == "all"
                    ? [
                        buildWorkers(
                            database: database, configuration: workers, engines: engines, secrets: secrets,
                            metrics: taskMetrics, coordination: coordination, logger: logger),
                        Scheduler(database: database, logger: logger),
                    ] : []
                let app = try await buildApplication(
                    configuration: configuration, database: database, jwtSecret: secret, secrets: secrets,
                    probe: AccountProbe(fetcher: .standard(allowPrivateTargets: Settings.allowPrivateTargets.value(allowPrivateTargets) == "1")),
                    metrics: metrics,
                    coordination: coordination, additionalServices: services, jobs: jobs, logger: logger)
                logger.info(
                    "serving",
                    metadata: ["url": "http://\(configuration.host):\(configuration.port)", "role": "\(role)", "database": "\(target.endpoint)"])
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
    /// Files in the data directory, or the S3-compatible store when its endpoint is set.
    func exportStorage() throws -> any ExportStorage {
        guard let endpoint = Settings.exportS3Endpoint.value(exportS3Endpoint) else {
            return FileExportStorage(root: common.resolvedDataDir.appendingPathComponent("exports", isDirectory: true))
        }
        guard let bucket = Settings.exportS3Bucket.value(exportS3Bucket), let access = Settings.exportS3AccessKey.value(exportS3AccessKey),
            let secret = Settings.exportS3SecretKey.value(exportS3SecretKey)
        else {
            throw ValidationError("--export-s3-endpoint needs --export-s3-bucket, --export-s3-access-key and --export-s3-secret-key")
        }
        return S3ExportStorage(
            configuration: .init(
                endpoint: endpoint, region: Settings.exportS3Region.value(exportS3Region)!, bucket: bucket, accessKey: access, secretKey: secret))
    }

    func workerConfiguration() throws -> WorkerConfiguration {
        var workers = WorkerConfiguration()
        if let raw = Settings.workerConcurrency.value(workerConcurrency) {
            let counts = raw.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard counts.count == 4, counts.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw ValidationError("--worker-concurrency must be four counts: high,normal,bulk,verification")
            }
            workers.concurrency = Dictionary(uniqueKeysWithValues: zip([Lane.high, .normal, .bulk, .verification], counts.map { $0! }))
        }
        if let raw = Settings.concurrencyCaps.value(concurrencyCaps) {
            workers.caps = try Self.caps(raw)
        }
        if let raw = Settings.taskLeaseSeconds.value(taskLeaseSeconds.map(String.init)) {
            guard let seconds = Int(raw), seconds >= 1 else { throw ValidationError("--task-lease-seconds must be a whole number of seconds") }
            workers.lease = .seconds(seconds)
        }
        if let raw = Settings.moderationWaitHours.value(moderationWaitHours.map(String.init)) {
            guard let hours = Int(raw), (1...8760).contains(hours) else {
                throw ValidationError("--moderation-wait-hours must be a whole number of hours from 1 to 8760")
            }
            workers.moderationWait = .seconds(hours * 3600)
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
        if let configured = Settings.jwtSecret.value(flag) {
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
