import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightEngines
import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import NIOCore
import ServiceLifecycle
@testable import LinkwrightWorkers

/// A response as the tests read it.
struct Reply: @unchecked Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    /// The JSON object body ([:] when the body is not an object).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    subscript(_ key: String) -> Any? { json[key] }
    func string(_ key: String) -> String? { json[key] as? String }
}

/// A client for one running application: real HTTP over loopback to the real server.
struct API: Sendable {
    let client: any TestClientProtocol
    /// The loopback port the application serves on, for clients other than this one.
    var port: Int? { client.port }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, json: [String: Any]? = nil, token: String? = nil, body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        } else if let body {
            buffer = ByteBuffer(string: body)
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: buffer)
        return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    /// A new tenant with its owner signed in.
    func signup(tenant: String = "Acme Agency", password: String = "correct horse battery") async throws -> Session {
        let email = "owner-\(UUID().uuidString.prefix(8).lowercased())@example.test"
        let reply = try await call(.post, "/api/v1/auth/signup", json: ["email": email, "password": password, "tenant_name": tenant])
        guard reply.status == .created else { throw Unexpected(reply: reply) }
        return Session(reply: reply, email: email, password: password)
    }

    /// A new user in the session's tenant, signed in.
    func addUser(to owner: Session, role: String) async throws -> Session {
        let email = "\(role)-\(UUID().uuidString.prefix(8).lowercased())@example.test"
        let password = "another long passphrase"
        let created = try await call(.post, "/api/v1/users", json: ["email": email, "password": password, "role": role], token: owner.accessToken)
        guard created.status == .created else { throw Unexpected(reply: created) }
        let login = try await call(.post, "/api/v1/auth/login", json: ["email": email, "password": password])
        guard login.status == .ok else { throw Unexpected(reply: login) }
        return Session(reply: login, email: email, password: password)
    }

    struct Unexpected: Error, CustomStringConvertible {
        let reply: Reply
        var description: String { "unexpected \(reply.status.code): \(reply.text)" }
    }
}

/// What sign-up or login returned.
struct Session: Sendable {
    let accessToken: String
    let refreshToken: String
    let tenantID: String
    let userID: String
    let email: String
    let password: String

    init(reply: Reply, email: String, password: String) {
        let json = reply.json
        accessToken = json["access_token"] as? String ?? ""
        refreshToken = json["refresh_token"] as? String ?? ""
        tenantID = (json["tenant"] as? [String: Any])?["id"] as? String ?? ""
        userID = (json["user"] as? [String: Any])?["id"] as? String ?? ""
        self.email = email
        self.password = password
    }
}

enum TestApp {
    static let jwtSecret = "test-secret-that-is-at-least-32-bytes-long"
    /// The key connection secrets are sealed with in tests: a fresh one per test run.
    static let secretKeys = SecretKeys(SecretKeyring([.generate()])!)

    /// Runs `body` against the real application on its own fresh database, served on a free
    /// loopback port.
    static func run(
        metricsToken: String? = nil,
        endpoint: DatabaseEndpoint? = nil,
        workers: WorkerConfiguration? = nil,
        engines: EngineRegistry = .standard,
        coordination: Coordination? = nil,
        authRequestsPerMinute: Int = 60,
        loginThrottle: LoginThrottle.Policy = .init(),
        coordinationProbeInterval: Duration = .seconds(5),
        secrets: SecretKeys = secretKeys,
        probe: AccountProbe = AccountProbe(fetcher: .standard()),
        exportStorage: (any ExportStorage)? = nil,
        _ body: @Sendable (API, Database) async throws -> Void
    ) async throws {
        let resolved = if let endpoint { endpoint } else { try await TestDatabase.create() }
        let database = Database(endpoint: resolved, maximumConnections: 8, logger: TestDatabase.logger)
        // Assembled as `serve --role all` does: the workers share the application's coordination
        // and metrics registry.
        let coordination = coordination ?? Coordination(redis: nil, logger: TestDatabase.logger)
        let metrics = AppMetrics()
        let jobs: [any Service] =
            workers.map {
                [
                    buildWorkers(
                        database: database, configuration: $0, engines: engines, secrets: secrets, metrics: TaskMetrics(registry: metrics.registry),
                        coordination: coordination, logger: TestDatabase.logger)
                ]
            } ?? []
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, metricsToken: metricsToken, hashingThreads: 2,
            webDirectory: TestDatabase.repositoryRoot.appendingPathComponent("web-static"),
            authRequestsPerMinute: authRequestsPerMinute, loginThrottle: loginThrottle)
        configuration.coordinationProbeInterval = coordinationProbeInterval
        configuration.exportStorage = exportStorage
        let app = try await buildApplication(
            configuration: configuration,
            database: database, jwtSecret: jwtSecret, secrets: secrets, probe: probe, metrics: metrics, coordination: coordination, jobs: jobs,
            logger: TestDatabase.logger)
        try await app.test(.live) { client in
            try await body(API(client: client), database)
        }
    }
}
