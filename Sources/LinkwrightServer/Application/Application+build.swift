import Hummingbird
import LinkwrightStore
import Logging
import ServiceLifecycle

/// Builds the application the binary serves and the tests drive: one function for both, so
/// tests exercise exactly what runs in production.
///
/// `additionalServices` start before the database pools and stop after them (e.g. the embedded
/// PostgreSQL supervisor); the HTTP server is added last, so on SIGTERM it stops first.
public func buildApplication(
    configuration: ServerConfiguration,
    database: Database,
    jwtSecret: String,
    additionalServices: [any Service] = [],
    logger: Logger
) async throws -> some ApplicationProtocol {
    let accounts = AccountRepository(database: database)
    let refreshTokens = RefreshTokenRepository(database: database)
    let apiKeys = APIKeyRepository(database: database)
    let audit = AuditRepository(database: database)
    let tokens = try await AccessTokens(secret: jwtSecret)
    let hashing = PasswordHashing(threads: configuration.hashingThreads)
    let metrics = HTTPMetrics()

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: AuditMiddleware(audit: audit))

    OperationsController(database: database, metrics: metrics, metricsToken: configuration.metricsToken)
        .addRoutes(to: router)

    let api = router.group("api/v1")
    let auth = AuthController(
        accounts: accounts, refreshTokens: refreshTokens, tokens: tokens, hashing: hashing, throttle: LoginThrottle())
    auth.addPublicRoutes(to: api.group("auth"))

    let authenticated = api.group().add(middleware: AuthenticationMiddleware(tokens: tokens, apiKeys: apiKeys))
    auth.addAuthenticatedRoutes(to: authenticated)
    UsersController(accounts: accounts, refreshTokens: refreshTokens, hashing: hashing).addRoutes(to: authenticated)
    APIKeysController(accounts: accounts, apiKeys: apiKeys).addRoutes(to: authenticated)
    AuditController(accounts: accounts, audit: audit).addRoutes(to: authenticated)
    AdminController(accounts: accounts).addRoutes(to: authenticated.group("admin"))

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "linkwright"),
        logger: logger)
    app.addServices(additionalServices)
    app.addServices(database, hashing)
    return app
}
