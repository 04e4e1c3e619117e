import Foundation
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

/// Settings every application connection carries from its first statement.
@Suite struct ConnectionSettingsTests {
    /// JIT compilation turned a 0.7 ms queue claim into 700 ms once the statistics described a
    /// 1,000,000-task backlog; neither pool may compile.
    @Test func theApplicationsConnectionsNeverCompileQueriesJustInTime() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let system = try await database.withSystem { connection in
                try await connection.query("SHOW jit", logger: TestDatabase.logger).decode(String.self).first { _ in true }
            }
            let tenant = try await database.withTenant(UUID()) { connection in
                try await connection.query("SHOW jit", logger: TestDatabase.logger).decode(String.self).first { _ in true }
            }
            #expect(system == "off")
            #expect(tenant == "off")
        }
    }
}
