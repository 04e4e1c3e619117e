import Foundation
import LinkwrightStore
import Logging
import PostgresNIO

/// Fresh, fully migrated databases on the PostgreSQL server `ops/test` starts.
///
/// The first request migrates a template database once per test process; every test then gets
/// its own copy (`CREATE DATABASE … TEMPLATE`), so tests run in parallel without sharing rows
/// and each starts from exactly the schema the migrations produce.
public enum TestDatabase {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "LINKWRIGHT_TEST_DATABASE_URL is not set: run the tests through ops/test, which starts PostgreSQL and Redis"
        }
    }

    /// Quiet: expected failures (a stopped database, refused connections) are what tests provoke.
    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// The server's admin endpoint (database `postgres`).
    public static func adminEndpoint() throws -> DatabaseEndpoint {
        guard let url = ProcessInfo.processInfo.environment["LINKWRIGHT_TEST_DATABASE_URL"] else { throw NotConfigured() }
        return try DatabaseEndpoint(url: url)
    }

    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    public static func migrations() throws -> [Migration] {
        try Migration.load(from: repositoryRoot.appendingPathComponent("migrations"))
    }

    private static let template = TemplateOnce()

    /// A fresh directory the `postgres` user can reach (for embedded clusters); the caller removes it.
    public static func temporaryDirectory(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        return dir
    }

    /// Runs `body` with a running `Database` (both pools) on a fresh migrated database.
    public static func withRunningDatabase(endpoint: DatabaseEndpoint? = nil, maximumConnections: Int = 8, _ body: (Database) async throws -> Void)
        async throws
    {
        let resolved = if let endpoint { endpoint } else { try await create() }
        let database = Database(endpoint: resolved, maximumConnections: maximumConnections, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.run() }
            defer { group.cancelAll() }
            try await body(database)
        }
    }

    /// A new migrated database, and its endpoint.
    public static func create() async throws -> DatabaseEndpoint {
        let admin = try adminEndpoint()
        let templateName = try await template.name(admin: admin)
        let name = "lw_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try await execute("CREATE DATABASE \(name) TEMPLATE \(templateName)", on: admin)
        return admin.with(database: name)
    }

    /// A new database with no migrations applied.
    public static func createEmpty() async throws -> DatabaseEndpoint {
        let admin = try adminEndpoint()
        let name = "lw_empty_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try await execute("CREATE DATABASE \(name)", on: admin)
        return admin.with(database: name)
    }

    public struct SQLFailed: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public static func execute(_ sql: String, on endpoint: DatabaseEndpoint) async throws {
        do {
            try await withConnection(endpoint) { try await $0.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
        } catch {
            throw SQLFailed(description: "\(sql): \(PostgresErrorDescription.describe(error))")
        }
    }

    /// A plain connection as the endpoint's own user (the superuser in tests), for assertions
    /// that must look past row-level security.
    @discardableResult
    public static func withConnection<T>(_ endpoint: DatabaseEndpoint, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let config = PostgresConnection.Configuration(
            host: endpoint.tcpHost, port: endpoint.tcpPort, username: endpoint.username,
            password: endpoint.password, database: endpoint.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: config, id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Migrates the template database exactly once per process. One shared task, because an actor
/// alone would let every concurrent caller in while the first is still migrating.
actor TemplateOnce {
    private var task: Task<String, any Error>?

    func name(admin: DatabaseEndpoint) async throws -> String {
        if task == nil {
            task = Task {
                let name = "lw_template_\(ProcessInfo.processInfo.processIdentifier)"
                try await TestDatabase.execute("DROP DATABASE IF EXISTS \(name)", on: admin)
                try await TestDatabase.execute("CREATE DATABASE \(name)", on: admin)
                try await Migrator(endpoint: admin.with(database: name), migrations: TestDatabase.migrations(), logger: TestDatabase.logger).migrate()
                return name
            }
        }
        return try await task!.value
    }
}

extension DatabaseEndpoint {
    public var tcpHost: String {
        if case .tcp(let host, _) = transport { return host }
        return "127.0.0.1"
    }

    public var tcpPort: Int {
        if case .tcp(_, let port) = transport { return port }
        return 5432
    }
}
