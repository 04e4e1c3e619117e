import Hummingbird
import LinkwrightCoordination
import LinkwrightStore
import Logging
import ServiceLifecycle

/// The application of a process that serves no API (`serve --role worker`): only `/healthz`,
/// `/readyz` and `/metrics`, so the task metrics its workers record (what the throughput and
/// success-rate alerts read) can be scraped from it, and an orchestrator can probe it.
public func buildOperationsApplication(
    configuration: ServerConfiguration,
    database: Database,
    metrics: AppMetrics,
    coordination: Coordination?,
    additionalServices: [any Service] = [],
    jobs: [any Service] = [],
    logger: Logger
) -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ErrorMiddleware())
    OperationsController(
        database: database, metrics: metrics, metricsToken: configuration.metricsToken,
        queue: QueueAdministration(database: database), coordination: coordination
    ).addRoutes(to: router)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "linkwright"),
        logger: logger)
    app.addServices(additionalServices)
    app.addServices(database)
    if let coordination { app.addServices(CoordinationProbe(coordination: coordination, interval: configuration.coordinationProbeInterval)) }
    app.addServices(jobs)
    return app
}
