import ArgumentParser
import Foundation
import LinkwrightServer
import LinkwrightStore
import Logging

/// Where the data lives and how to log: shared by every command that touches the database.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory: the embedded PostgreSQL cluster and the generated JWT secret live here. (env: LINKWRIGHT_DATA_DIR, default: ./var)")
    var dataDir: String?

    @Option(name: .customLong("database-url"), help: "postgres://user:password@host:port/database of an existing server; without it an embedded cluster is run in the data directory. (env: LINKWRIGHT_DATABASE_URL)")
    var databaseURL: String?

    @Option(name: .customLong("migrations-dir"), help: "Directory of NNNN_name.sql migrations. (env: LINKWRIGHT_MIGRATIONS_DIR, default: ./migrations, else found next to the binary)")
    var migrationsDir: String?

    @Option(name: .customLong("log-format"), help: "json or text. (env: LINKWRIGHT_LOG_FORMAT, default: text)")
    var logFormat: String?

    var resolvedDataDir: URL {
        URL(fileURLWithPath: setting(dataDir, "LINKWRIGHT_DATA_DIR") ?? "./var", isDirectory: true).standardizedFileURL
    }

    var resolvedDatabaseURL: String? { setting(databaseURL, "LINKWRIGHT_DATABASE_URL") }

    func bootstrapLogging() throws -> Logger {
        let format = setting(logFormat, "LINKWRIGHT_LOG_FORMAT") ?? "text"
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
        if let explicit = setting(migrationsDir, "LINKWRIGHT_MIGRATIONS_DIR") {
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

    static func open(_ options: CommonOptions, logger: Logger) async throws -> DatabaseTarget {
        if let url = options.resolvedDatabaseURL {
            return DatabaseTarget(endpoint: try DatabaseEndpoint(url: url), embedded: nil, lock: nil)
        }
        let lock = try DataDirectoryLock(directory: options.resolvedDataDir)
        let cluster = try EmbeddedPostgres(dataDirectory: options.resolvedDataDir, logger: logger)
        try await cluster.start()
        return DatabaseTarget(endpoint: cluster.endpoint, embedded: cluster, lock: lock)
    }

    func shutdown() async {
        try? await embedded?.stop()
    }
}
