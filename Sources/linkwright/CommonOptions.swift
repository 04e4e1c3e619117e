import ArgumentParser
import Foundation
import LinkwrightServer
import LinkwrightStore
import Logging

/// Where the data lives and how to log: shared by every command that touches the database.
struct CommonOptions: ParsableArguments {
    @Option(name: Settings.dataDir.name, help: Settings.dataDir.help)
    var dataDir: String?

    @Option(name: Settings.databaseURL.name, help: Settings.databaseURL.help)
    var databaseURL: String?

    @Option(name: Settings.migrationsDir.name, help: Settings.migrationsDir.help)
    var migrationsDir: String?

    @Option(name: Settings.logFormat.name, help: Settings.logFormat.help)
    var logFormat: String?

    var resolvedDataDir: URL {
        URL(fileURLWithPath: Settings.dataDir.value(dataDir)!, isDirectory: true).standardizedFileURL
    }

    var resolvedDatabaseURL: String? { Settings.databaseURL.value(databaseURL) }

    func bootstrapLogging() throws -> Logger {
        let format = Settings.logFormat.value(logFormat)!
        switch format {
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        case "text": LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        default: throw ValidationError("--log-format must be json or text, not \(format)")
        }
        return Logger(label: "linkwright")
    }

    /// The migrations: from the flag or variable, else `./migrations`, else the nearest
    /// `migrations/` above the executable (a build inside the source tree).
    func loadMigrations() throws -> [Migration] {
        if let explicit = Settings.migrationsDir.value(migrationsDir) {
            return try Migration.load(from: URL(fileURLWithPath: explicit, isDirectory: true))
        }
        guard let found = Self.findDirectory("migrations") else {
            throw ValidationError("no migrations directory found; pass --migrations-dir or set LINKWRIGHT_MIGRATIONS_DIR")
        }
        return try Migration.load(from: found)
    }

    /// `name` in the working directory, else beside the binary or in `share/linkwright/` up to six
    /// levels above it (a build folder or an installed prefix).
    static func findDirectory(_ name: String) -> URL? {
        var candidates = [URL(fileURLWithPath: name, isDirectory: true)]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent(name, isDirectory: true))
            candidates.append(dir.appendingPathComponent("share/linkwright/\(name)", isDirectory: true))
            dir.deleteLastPathComponent()
        }
        return candidates.first { candidate in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}

/// The database a command works on: the configured server, or the embedded cluster (started,
/// with the data directory locked, until `shutdown`).
struct DatabaseTarget {
    let endpoint: DatabaseEndpoint
    let embedded: EmbeddedPostgres?
    let lock: DataDirectoryLock?

    /// The configured database, or the embedded cluster in the data directory.
    ///
    /// `serve` owns the embedded cluster and holds the data directory's lock. Short commands
    /// (`admin`, `rollup`) pass `joinRunningServer`: when a `serve` already holds the lock, they
    /// use its running cluster through the same Unix socket and leave starting and stopping it
    /// to that server, so an operator can be added to a live system without downtime.
    static func open(_ options: CommonOptions, joinRunningServer: Bool = false, logger: Logger) async throws -> DatabaseTarget {
        if let url = options.resolvedDatabaseURL {
            return DatabaseTarget(endpoint: try DatabaseEndpoint(url: url), embedded: nil, lock: nil)
        }
        let cluster = try EmbeddedPostgres(dataDirectory: options.resolvedDataDir, logger: logger)
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(directory: options.resolvedDataDir)
        } catch let locked as DataDirectoryLock.AlreadyLocked where joinRunningServer {
            guard try await cluster.isRunning() else { throw locked }
            logger.info("using the embedded PostgreSQL of the running server", metadata: ["dir": "\(cluster.clusterDirectory.path)"])
            return DatabaseTarget(endpoint: cluster.endpoint, embedded: nil, lock: nil)
        }
        try await cluster.start()
        return DatabaseTarget(endpoint: cluster.endpoint, embedded: cluster, lock: lock)
    }

    func shutdown() async {
        try? await embedded?.stop()
    }
}
