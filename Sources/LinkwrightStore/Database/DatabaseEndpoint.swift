import Foundation
import NIOSSL
import PostgresNIO

/// Where PostgreSQL is and who to connect as: parsed from `LINKWRIGHT_DATABASE_URL`
/// (`postgres://user:password@host:port/database?sslmode=disable|require`, or
/// `?host=/socket/dir` for a Unix socket), or pointing at the embedded cluster.
public struct DatabaseEndpoint: Sendable, CustomStringConvertible {
    public enum Transport: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var transport: Transport
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(transport: Transport, username: String, password: String?, database: String, tls: TLSMode = .disable) {
        self.transport = transport
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    public struct InvalidURL: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "LINKWRIGHT_DATABASE_URL is not usable: \(reason)" }
    }

    public init(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else { throw InvalidURL(reason: "expected postgres://user:password@host:port/database") }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let database = String(components.path.drop { $0 == "/" })
        guard let user = components.user, !user.isEmpty else { throw InvalidURL(reason: "no user name") }
        if let socketDir = query["host"], socketDir.hasPrefix("/") {
            let port = components.port ?? 5432
            self.transport = .unixSocket(path: "\(socketDir)/.s.PGSQL.\(port)")
        } else {
            guard let host = components.host, !host.isEmpty else { throw InvalidURL(reason: "no host") }
            self.transport = .tcp(host: host, port: components.port ?? 5432)
        }
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.isEmpty ? self.username : database
        switch query["sslmode"] ?? "disable" {
        case "disable": self.tls = .disable
        case "allow", "prefer": self.tls = .prefer
        case "require", "verify-ca", "verify-full": self.tls = .require
        case let other: throw InvalidURL(reason: "sslmode \(other) is not supported")
        }
    }

    /// The same server, another database (used to create the embedded database and test databases).
    public func with(database: String) -> DatabaseEndpoint {
        var copy = self
        copy.database = database
        return copy
    }

    public var description: String {
        switch transport {
        case .tcp(let host, let port): "postgres://\(username)@\(host):\(port)/\(database)"
        case .unixSocket(let path): "postgres://\(username)@/\(database) (socket \(path))"
        }
    }

    /// Client configuration; `role` is sent as a startup parameter so that every statement on the
    /// connection runs as that role from the first byte.
    ///
    /// JIT compilation is off: it pays off for long analytical queries, and the application runs
    /// short ones. With accurate statistics for a 1,000,000-task backlog the queue's claim is
    /// estimated costly enough to be compiled, and compiling took 700 ms of a 0.7 ms statement,
    /// every time (caught by ops/bench/queue.sh once its backlog was analysed).
    func clientConfiguration(role: String?) -> PostgresClient.Configuration {
        var config: PostgresClient.Configuration
        switch transport {
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(Self.unverifiedTLS)
                case .require: .require(Self.unverifiedTLS)
                }
            config = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket(let path):
            config = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        config.options.additionalStartupParameters = [("jit", "off")]
        if let role { config.options.additionalStartupParameters.append(("role", role)) }
        return config
    }

    /// A single connection as the endpoint's own user, the schema's owner: what migrations and
    /// maintenance (VACUUM) need, and what the application's pools never run as.
    public func connectionConfiguration() -> PostgresConnection.Configuration {
        switch transport {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(try! .init(configuration: Self.unverifiedTLS))
                case .require: .require(try! .init(configuration: Self.unverifiedTLS))
                }
            return .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket(let path):
            return .init(unixSocketPath: path, username: username, password: password, database: database)
        }
    }

    /// libpq's `sslmode=require` encrypts without verifying the certificate; we match it.
    private static var unverifiedTLS: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return tls
    }
}
