import Foundation

/// What the HTTP side needs to know; the CLI resolves it from flags and environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// When set, `/metrics` requires it as a bearer token.
    public var metricsToken: String?
    /// Threads reserved for Argon2. Defaults to the core count: hashing then competes with the
    /// event loop for CPU but never blocks it (measured in ops/bench).
    public var hashingThreads: Int
    /// The browser app's files (`web-static/`); nil serves the API alone.
    public var webDirectory: URL?
    /// Requests a minute one client address may make to sign-up and login: enough for
    /// an office behind one address, too few to guess passwords or mass-create tenants.
    public var authRequestsPerMinute: Int
    /// How failed sign-ins slow down the next attempt (per account and per client address).
    public var loginThrottle: LoginThrottle.Policy
    /// False only where the limiter's own cost is measured (ops/bench/api); the CLI always enforces.
    public var enforceRateLimits: Bool
    /// How often Redis is pinged so the degraded gauge follows it on a quiet system.
    public var coordinationProbeInterval: Duration = .seconds(5)
    /// Where prospecting exports are written: files under the data directory (`serve`) or an
    /// S3-compatible store; nil writes them to a temporary directory (tests).
    public var exportStorage: (any ExportStorage)?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, metricsToken: String? = nil, hashingThreads: Int? = nil,
        webDirectory: URL? = nil, authRequestsPerMinute: Int = 60, loginThrottle: LoginThrottle.Policy = .init(),
        enforceRateLimits: Bool = true
    ) {
        self.loginThrottle = loginThrottle
        self.authRequestsPerMinute = authRequestsPerMinute
        self.enforceRateLimits = enforceRateLimits
        self.webDirectory = webDirectory
        self.host = host
        self.port = port
        self.metricsToken = metricsToken
        self.hashingThreads = hashingThreads ?? System.coreCount
    }
}

import NIOCore
