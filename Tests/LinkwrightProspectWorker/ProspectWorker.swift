import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import LinkwrightWorkers
import Logging
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// A worker process for the crash tests: the real queue workers with the prospecting engine,
/// crawling a test's site farm (every `.test` name is on loopback at the farm's port), so a test
/// can kill it with SIGKILL mid-crawl. Not shipped.
///
///   linkwright-prospect-worker DATABASE_URL FARM_PORT
@main
struct ProspectWorker {
    static func main() async throws {
        let args = CommandLine.arguments
        guard args.count == 3, let port = Int(args[2]) else {
            FileHandle.standardError.write(Data("usage: linkwright-prospect-worker DATABASE_URL FARM_PORT\n".utf8))
            exit(2)
        }
        var logger = Logger(label: "prospect-worker")
        logger.logLevel = .error
        let fetcher = Fetcher(
            userAgent: Fetcher.userAgent(version: "test", homepage: "https://linkwright.test"), resolver: FarmNames(),
            policy: AddressPolicy(exempt: [AddressPolicy.Endpoint(address: IPAddress("127.0.0.1")!, port: port)]))
        let crawler = ProspectCrawler(fetcher: fetcher, parsing: .singleton, origins: { ["http://\($0):\(port)"] })
        let database = Database(endpoint: try DatabaseEndpoint(url: args[1]), maximumConnections: 4, logger: logger)
        var configuration = WorkerConfiguration(
            concurrency: [.bulk: 4], batchSize: 4, lease: .seconds(2), pollInterval: .milliseconds(50), reapInterval: .milliseconds(500))
        configuration.retry = RetryPolicy(baseSeconds: 0.1, maximumSeconds: 0.2)
        let workers = buildWorkers(
            database: database, configuration: configuration, engines: EngineRegistry([ProspectingEngine(crawler: crawler)]), logger: logger)
        FileHandle.standardOutput.write(Data("working\n".utf8))
        try await ServiceGroup(services: [database, workers], gracefulShutdownSignals: [.sigterm], logger: logger).run()
    }
}

/// Every `.test` name is the farm, on loopback.
struct FarmNames: HostResolver {
    func addresses(of host: String) async throws -> [IPAddress] {
        guard host.hasSuffix(".test") else { throw Unknown() }
        return [IPAddress("127.0.0.1")!]
    }

    struct Unknown: Error {}
}
