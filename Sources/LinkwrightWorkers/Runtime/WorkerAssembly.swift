import LinkwrightCoordination
import LinkwrightEngines
import LinkwrightStore
import Logging

/// The queue workers of one process, for `serve --role worker` and `--role all`. Pass the
/// `Coordination` the API in the same process uses, so live progress reaches its streams
/// without Redis.
///
/// `secrets` open the connected accounts' secrets for the publishing engines; without them those
/// engines find no account to publish with.
public func buildWorkers(
    database: Database, configuration: WorkerConfiguration, engines: EngineRegistry = .standard, secrets: SecretKeys? = nil,
    metrics: TaskMetrics? = nil, coordination: Coordination? = nil, logger: Logger
) -> QueueWorkers {
    let drafts = DraftRepository(database: database)
    let desk = secrets.map {
        StoredPublishingDesk(
            drafts: drafts, connections: ConnectionRepository(database: database, secrets: $0), placements: PlacementRepository(database: database))
    }
    return QueueWorkers(
        database: database, queue: TaskQueue(database: database, retry: configuration.retry), registry: engines,
        configuration: configuration, metrics: metrics, coordination: coordination,
        tools: EngineTools(
            originality: DraftOriginality(drafts: drafts), publishing: desk, actions: coordination?.actionLimiter,
            prospecting: StoredProspectingDesk(jobs: ProspectJobRepository(database: database))), logger: logger)
}
