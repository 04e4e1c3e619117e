import Foundation
import Hummingbird
import LinkwrightCoordination
import LinkwrightEngines
import LinkwrightStore
import Logging
import ServiceLifecycle

/// Builds the HTTP application the binary serves and the tests drive: one function for both, so
/// tests exercise exactly what runs in production.
///
/// This module is HTTP only; the caller assembles the rest of its role. `additionalServices`
/// start before the database pools and stop after them (e.g. the embedded PostgreSQL
/// supervisor); `jobs` (queue workers, the scheduler, from `LinkwrightWorkers`) start after the
/// database pools and stop before them; the HTTP server is added last, so on SIGTERM it stops
/// first. `metrics` is passed in so the workers' `TaskMetrics` can share its registry.
public func buildApplication(
    configuration: ServerConfiguration,
    database: Database,
    jwtSecret: String,
    secrets: SecretKeys,
    probe: AccountProbe = AccountProbe(fetcher: .standard()),
    metrics: AppMetrics = AppMetrics(),
    coordination: Coordination? = nil,
    additionalServices: [any Service] = [],
    jobs: [any Service] = [],
    logger: Logger
) async throws -> some ApplicationProtocol {
    // Without Redis the in-process coordination serves both the API and any workers the caller
    // runs beside it (given the same instance), so live progress still reaches this process's streams.
    let coordination = coordination ?? Coordination(redis: nil, logger: logger)
    let hashing = PasswordHashing(threads: configuration.hashingThreads)
    let exports = ProspectExports(
        database: database, storage: configuration.exportStorage ?? FileExportStorage.temporary(), secret: jwtSecret, logger: logger)
    let router = buildRouter(
        database: database, tokens: try await AccessTokens(secret: jwtSecret), hashing: hashing, secrets: secrets, probe: probe,
        metrics: metrics, metricsToken: configuration.metricsToken, web: configuration.webDirectory.flatMap(WebApp.init(directory:)),
        coordination: coordination,
        rateLimits: configuration.enforceRateLimits
            ? RateLimits(limiter: coordination.rateLimiter, authRequestsPerMinute: configuration.authRequestsPerMinute)
            : nil,
        loginThrottle: configuration.loginThrottle, exports: exports)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "linkwright"),
        logger: logger)
    app.addServices(additionalServices)
    app.addServices(
        database, hashing, CoordinationProbe(coordination: coordination, interval: configuration.coordinationProbeInterval), exports.service)
    app.addServices(jobs)
    return app
}

/// Every route and middleware. Middleware order matters: the request id wraps everything (errors
/// included), metrics see the final status, errors are rendered before metrics and audit see
/// them, and authentication applies only to the routes that need it.
func buildRouter(
    database: Database,
    tokens: AccessTokens,
    hashing: PasswordHashing,
    secrets: SecretKeys,
    probe: AccountProbe = AccountProbe(fetcher: .standard()),
    metrics: AppMetrics,
    metricsToken: String?,
    web: WebApp? = nil,
    coordination: Coordination,
    rateLimits: RateLimits? = nil,
    loginThrottle: LoginThrottle.Policy = .init(),
    exports: ProspectExports? = nil
) -> Router<AppRequestContext> {
    let accounts = AccountRepository(database: database)
    let refreshTokens = RefreshTokenRepository(database: database)
    let apiKeys = APIKeyRepository(database: database)
    let audit = AuditRepository(database: database)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware())
    if let web { router.add(middleware: WebAppMiddleware(app: web)) }
    router.add(middleware: AuditMiddleware(audit: audit))

    OperationsController(
        database: database, metrics: metrics, metricsToken: metricsToken,
        queue: QueueAdministration(database: database), coordination: coordination
    ).addRoutes(to: router)

    let api = router.group("api/v1")
    api.get("openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(bytes: OpenAPIDocument.bytes)))
    }
    let auth = AuthController(
        accounts: accounts, refreshTokens: refreshTokens, tokens: tokens, hashing: hashing,
        throttle: LoginThrottle(policy: loginThrottle, coordination: coordination))
    let allowances = PlanAllowances(accounts: accounts)
    let credentials = api.group("auth")
    let authenticated = api.group().add(middleware: AuthenticationMiddleware(tokens: tokens, apiKeys: apiKeys))
    if let rateLimits {
        credentials.add(
            middleware: RateLimitMiddleware(
                scope: .clientAddress(requestsPerMinute: rateLimits.authRequestsPerMinute), limiter: rateLimits.limiter, metrics: metrics))
        authenticated.add(middleware: RateLimitMiddleware(scope: .plan(allowances), limiter: rateLimits.limiter, metrics: metrics))
    }
    auth.addCredentialRoutes(to: credentials)
    auth.addTokenRoutes(to: api.group("auth"))
    auth.addAuthenticatedRoutes(to: authenticated)

    // Who may call a route is decided here, by the group it joins (see Authorization.swift).
    let tenant = authenticated.group().add(middleware: TenantAccessMiddleware())
    let managers = tenant.group().add(middleware: ManagerAccessMiddleware(accounts: accounts))
    let admin = authenticated.group("admin").add(middleware: OperatorAccessMiddleware())

    UsersController(accounts: accounts, refreshTokens: refreshTokens, hashing: hashing).addRoutes(to: managers)
    APIKeysController(accounts: accounts, apiKeys: apiKeys).addRoutes(to: tenant)
    AuditController(audit: audit).addRoutes(to: managers)
    CampaignsController(campaigns: CampaignRepository(database: database), metering: MeteringRepository(database: database))
        .addRoutes(to: tenant)
    AnalyticsController(rollups: RollupRepository(database: database), campaigns: CampaignRepository(database: database)).addRoutes(to: tenant)
    PlacementsController(placements: PlacementRepository(database: database)).addRoutes(to: tenant)
    StoredEventsController(placements: PlacementRepository(database: database)).addRoutes(to: tenant)
    ConnectionsController(
        connections: ConnectionRepository(database: database, secrets: secrets), probe: probe, actions: coordination.actionLimiter
    ).addRoutes(to: tenant)
    DraftsController(drafts: DraftRepository(database: database), campaigns: CampaignRepository(database: database)).addRoutes(to: tenant)
    ReviewController(review: ReviewRepository(database: database)).addRoutes(to: tenant)
    let prospecting = ProspectingController(
        jobs: ProspectJobRepository(database: database), results: ProspectResultsRepository(database: database),
        metering: MeteringRepository(database: database), exportRecords: ProspectExportRepository(database: database),
        exports: exports
            ?? ProspectExports(
                database: database, storage: FileExportStorage.temporary(), secret: UUID().uuidString, logger: Logger(label: "linkwright.exports")))
    prospecting.addRoutes(to: tenant)
    // Signed download links work without signing in: the link is the permission.
    prospecting.addDownloadRoute(to: api)
    LiveEventsController(events: coordination.events).addRoutes(to: tenant)
    let tasks = TaskRepository(database: database)
    let taskQueue = TaskQueue(database: database)
    QueueController(tasks: tasks, taskQueue: taskQueue).addRoutes(to: tenant)
    let billing = BillingController(billing: BillingRepository(database: database))
    billing.addRoutes(to: managers)
    billing.addAdminRoutes(to: admin)
    AdminController(accounts: accounts, allowances: allowances).addRoutes(to: admin)
    AdminQueueController(queue: QueueAdministration(database: database), tasks: tasks, taskQueue: taskQueue).addRoutes(to: admin)
    return router
}

/// The limiter API requests go through and the per-address allowance of the public auth
/// endpoints; absent, nothing is limited (only the limiter benchmark builds that).
struct RateLimits: Sendable {
    let limiter: any RateLimiter
    let authRequestsPerMinute: Int
}
