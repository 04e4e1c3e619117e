import LinkwrightCoordination
import LinkwrightEngines
import LinkwrightStore
import Logging

/// The queue workers of one process, for `serve --role worker` and `--role all`. Pass the
/// `Coordination` the API in the same process uses, so live progress reaches its streams
/// without Redis.
public func buildWorkers(
    database: Database, configuration: WorkerConfiguration, engines: EngineRegistry = .standard,
    metrics: TaskMetrics? = nil, coordination: Coordination? = nil, logger: Logger
) -> QueueWorkers {
    QueueWorkers(
        database: database, queue: TaskQueue(database: database, retry: configuration.retry), registry: engines,
        configuration: configuration, metrics: metrics, coordination: coordination,
        tools: EngineTools(originality: DraftOriginality(drafts: DraftRepository(database: database))), logger: logger)
}
