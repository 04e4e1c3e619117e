import Foundation
import LinkwrightCoordination
import Logging
import NIOCore

/// The real redis-server `ops/test` starts (`LINKWRIGHT_TEST_REDIS_URL`), one database per test
/// that needs its keys to itself.
enum TestRedis {
    /// The test Redis with database `number` (channels are shared by every database; keys are
    /// not), emptied first: counts a previous run left (failed sign-ins last 15 minutes) must not
    /// decide this one.
    static func url(database number: Int) async throws -> String? {
        guard let url = ProcessInfo.processInfo.environment["LINKWRIGHT_TEST_REDIS_URL"], var components = URLComponents(string: url) else {
            return nil
        }
        components.path = "/\(number)"
        let client = RedisClient(endpoint: try RedisEndpoint(url: components.string!), timeout: .seconds(2), logger: Logger(label: "test"))
        _ = try await client.command("FLUSHDB")
        await client.shutdown()
        return components.string
    }
}
