import ArgumentParser
import LinkwrightStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations and exit (serve also does this at start).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let logger = try common.bootstrapLogging()
        let migrations = try common.loadMigrations()
        let target = try await DatabaseTarget.open(common, logger: logger)
        do {
            let applied = try await Migrator(endpoint: target.endpoint, migrations: migrations, logger: logger).migrate()
            print(
                applied.isEmpty
                    ? "database is up to date (\(migrations.count) migrations)"
                    : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
        } catch {
            await target.shutdown()
            throw error
        }
        await target.shutdown()
    }
}
