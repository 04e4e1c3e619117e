import ArgumentParser
import Foundation
import LinkwrightStore

/// Rebuilds the hourly rollups for a range, a day at a time, saying how far it has got.
struct Rollup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the hourly campaign rollups for a range (backfill), a day at a time.")

    @OptionGroup var common: CommonOptions

    @Option(help: "First hour, RFC 3339 (e.g. 2026-11-01T00:00:00Z).")
    var from: String

    @Option(help: "End of the range, RFC 3339, exclusive. Default: the end of the current hour.")
    var to: String?

    func run() async throws {
        let formatter = ISO8601DateFormatter()
        guard let start = formatter.date(from: from) else { throw ValidationError("--from must be an RFC 3339 time, like 2026-11-01T00:00:00Z") }
        let end =
            try to.map { value in
                guard let date = formatter.date(from: value) else { throw ValidationError("--to must be an RFC 3339 time") }
                return date
            } ?? Date().addingTimeInterval(3600)
        guard start < end else { throw ValidationError("--from must be before --to") }
        let logger = try common.bootstrapLogging()
        let target = try await DatabaseTarget.open(common, joinRunningServer: true, logger: logger)
        let database = Database(endpoint: target.endpoint, maximumConnections: 2, logger: logger)
        let pools = Task { try await database.run() }
        do {
            let rollups = RollupRepository(database: database)
            let days = Int((end.timeIntervalSince(start) / 86_400).rounded(.up))
            var cursor = start
            var done = 0
            var rows = 0
            while cursor < end {
                let next = min(cursor.addingTimeInterval(86_400), end)
                rows += try await rollups.recompute(from: cursor, to: next)
                done += 1
                print("rolled up \(formatter.string(from: cursor)) to \(formatter.string(from: next)): day \(done) of \(days), \(rows) rows so far")
                cursor = next
            }
        } catch {
            pools.cancel()
            await target.shutdown()
            throw error
        }
        pools.cancel()
        await target.shutdown()
    }
}
