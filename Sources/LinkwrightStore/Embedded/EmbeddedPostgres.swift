import Foundation
import Logging
#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL cluster that Linkwright creates and runs itself under `<data dir>/postgres`,
/// so `serve` needs nothing installed or started beforehand.
///
/// The server listens on a Unix socket inside the cluster directory only (no TCP), with
/// `unix_socket_permissions = 0700`, so only the account running it can connect; trust
/// authentication is therefore safe. PostgreSQL refuses to run as root, so as root the binaries
/// run as the `postgres` system user, who owns the cluster directory.
public struct EmbeddedPostgres: Sendable {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public static let databaseName = "linkwright"
    public static let superuser = "postgres"

    public let clusterDirectory: URL
    let binDirectory: URL
    let systemUser: String?
    let logger: Logger

    public init(dataDirectory: URL, logger: Logger) throws {
        self.clusterDirectory = dataDirectory.appendingPathComponent("postgres", isDirectory: true)
        self.binDirectory = try Self.findBinaries()
        self.systemUser = getuid() == 0 ? "postgres" : nil
        self.logger = logger
    }

    public var endpoint: DatabaseEndpoint {
        DatabaseEndpoint(
            transport: .unixSocket(path: clusterDirectory.appendingPathComponent(".s.PGSQL.5432").path),
            username: Self.superuser, password: nil, database: Self.databaseName)
    }

    var logFile: String { clusterDirectory.appendingPathComponent("server.log").path }

    /// Creates the cluster on first use, starts it, and creates the application database.
    public func start() async throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: clusterDirectory.appendingPathComponent("PG_VERSION").path) {
            try await initialise()
        }
        if try await isRunning() { return }
        logger.info("starting embedded PostgreSQL", metadata: ["dir": "\(clusterDirectory.path)"])
        do {
            try await pg(
                "pg_ctl",
                [
                    "start", "-w", "-t", "60", "-D", clusterDirectory.path, "-l", logFile,
                    "-o", "-c listen_addresses='' -k \(clusterDirectory.path) -c unix_socket_permissions=0700",
                ])
        } catch {
            let tail = (try? String(contentsOfFile: logFile, encoding: .utf8))?.split(separator: "\n").suffix(10).joined(separator: "\n") ?? ""
            throw Unavailable(description: "embedded PostgreSQL did not start: \(error)\n\(tail)")
        }
        try await createDatabaseIfMissing()
    }

    /// Fast shutdown: running transactions are rolled back, committed data is safe on disk.
    public func stop() async throws {
        guard try await isRunning() else { return }
        logger.info("stopping embedded PostgreSQL")
        try await pg("pg_ctl", ["stop", "-w", "-t", "60", "-m", "fast", "-D", clusterDirectory.path])
    }

    public func isRunning() async throws -> Bool {
        let result = try await pg("pg_ctl", ["status", "-D", clusterDirectory.path], check: false)
        return result.status == 0
    }

    private func initialise() async throws {
        let fm = FileManager.default
        try fm.createDirectory(at: clusterDirectory, withIntermediateDirectories: true)
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: clusterDirectory.path)
        if let systemUser {
            try await ChildProcess.run("/bin/chown", [systemUser, clusterDirectory.path])
            // The postgres user must be able to reach the directory through its parents.
            let reachable = try await ChildProcess.run("/usr/bin/test", ["-w", clusterDirectory.path], asUser: systemUser, check: false)
            guard reachable.status == 0 else {
                throw Unavailable(
                    description: "the \(systemUser) system user cannot reach \(clusterDirectory.path); "
                        + "choose a LINKWRIGHT_DATA_DIR whose parent directories it may enter")
            }
        }
        logger.info("creating embedded PostgreSQL cluster", metadata: ["dir": "\(clusterDirectory.path)"])
        try await pg(
            "initdb",
            [
                "-D", clusterDirectory.path, "-U", Self.superuser, "-E", "UTF8", "--locale=C.UTF-8",
                "--auth-local=trust", "--auth-host=reject",
            ])
    }

    private func createDatabaseIfMissing() async throws {
        let socketDir = clusterDirectory.path
        let exists = try await pg(
            "psql",
            [
                "-h", socketDir, "-U", Self.superuser, "-d", "postgres", "-tAc",
                "SELECT 1 FROM pg_database WHERE datname = '\(Self.databaseName)'",
            ])
        if exists.output.trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
            try await pg("createdb", ["-h", socketDir, "-U", Self.superuser, Self.databaseName])
        }
    }

    @discardableResult
    private func pg(_ tool: String, _ arguments: [String], check: Bool = true) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(binDirectory.appendingPathComponent(tool).path, arguments, asUser: systemUser, check: check)
    }

    /// `pg_config --bindir` when it names a directory with the server binaries (Debian's
    /// pg_config may come from a client-only package), else the newest /usr/lib/postgresql/*/bin.
    static func findBinaries() throws -> URL {
        let fm = FileManager.default
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["LINKWRIGHT_PG_BINDIR"] { candidates.append(env) }
        let pgConfig = Process()
        pgConfig.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        pgConfig.arguments = ["pg_config", "--bindir"]
        let pipe = Pipe()
        pgConfig.standardOutput = pipe
        pgConfig.standardError = FileHandle.nullDevice
        if (try? pgConfig.run()) != nil {
            pgConfig.waitUntilExit()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if pgConfig.terminationStatus == 0 { candidates.append(out.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let versions = (try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) { candidates.append("/usr/lib/postgresql/\(v)/bin") }
        for dir in candidates where fm.isExecutableFile(atPath: dir + "/initdb") && fm.isExecutableFile(atPath: dir + "/pg_ctl") {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        throw Unavailable(
            description: "PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package or set LINKWRIGHT_DATABASE_URL")
    }
}
