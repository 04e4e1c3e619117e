import Foundation
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

@Suite struct EmbeddedPostgresTests {
    @Test func theEmbeddedClusterKeepsItsDataAcrossRestarts() async throws {
        let dir = try TestDatabase.temporaryDirectory("lw-embedded")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = try EmbeddedPostgres(dataDirectory: dir, logger: TestDatabase.logger)
        try await cluster.start()
        do {
            try await Migrator(endpoint: cluster.endpoint, migrations: TestDatabase.migrations(), logger: TestDatabase.logger).migrate()
            try await cluster.stop()
            #expect(try await cluster.isRunning() == false)
            try await cluster.start()
            let applied = try await Migrator(endpoint: cluster.endpoint, migrations: TestDatabase.migrations(), logger: TestDatabase.logger).migrate()
            #expect(applied.isEmpty, "the schema must survive the restart")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("postgres/.s.PGSQL.5432").path))
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
    }

    @Test func theSupervisorRestartsAClusterThatDiedAndStopsItOnShutdown() async throws {
        let dir = try TestDatabase.temporaryDirectory("lw-supervised")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = try EmbeddedPostgres(dataDirectory: dir, logger: TestDatabase.logger)
        try await cluster.start()
        let supervisor = EmbeddedPostgresSupervisor(cluster: cluster, checkInterval: .milliseconds(200), logger: TestDatabase.logger)
        let supervising = Task { try await supervisor.run() }
        try await cluster.stop()  // as if PostgreSQL had died under us
        var running = false
        for _ in 0..<50 where !running {
            try await Task.sleep(for: .milliseconds(200))
            running = try await cluster.isRunning()
        }
        #expect(running, "the supervisor did not bring PostgreSQL back")
        supervising.cancel()
        try? await supervising.value
        #expect(try await cluster.isRunning() == false, "shutting the supervisor down must stop PostgreSQL")
    }

    @Test func aSecondProcessCannotTakeTheSameDataDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lw-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try DataDirectoryLock(directory: dir)
        // flock is per open file description, so a second open in this process conflicts just as
        // another process would.
        let error = #expect(throws: DataDirectoryLock.AlreadyLocked.self) { try DataDirectoryLock(directory: dir) }
        #expect(error?.description.contains("already serving from the data directory") == true)
        _ = first
    }
}
