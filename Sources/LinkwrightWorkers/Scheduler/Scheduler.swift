import Foundation
import LinkwrightCore
import LinkwrightStore
import Logging
import ServiceLifecycle

/// Periodic jobs: every `interval`, the hourly rollups of the current and the two previous hours
/// are recomputed (so late events land in their hour), and once a month has ended every
/// tenant's report of it is frozen. Safe to run in several processes: the recompute takes an
/// advisory lock and running it twice changes nothing; a report is frozen once, first come.
public struct Scheduler: Service {
    let rollups: RollupRepository
    let billing: BillingRepository
    let interval: Duration
    let logger: Logger

    public init(database: Database, interval: Duration = .seconds(60), logger: Logger) {
        self.rollups = RollupRepository(database: database)
        self.billing = BillingRepository(database: database)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            // The last closed month whose reports are all frozen: no tenant can join a month
            // that has ended, so it is not looked at again until the next month closes.
            var frozenThrough: BillingPeriod?
            while !Task.isCancelled {
                frozenThrough = await tick(now: Date(), frozenThrough: frozenThrough)
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// The window of one tick: from two hours before the current hour to the end of it.
    public static func window(now: Date) -> (from: Date, to: Date) {
        let hour = RollupRepository.hourStart(now)
        return (hour.addingTimeInterval(-2 * 3600), hour.addingTimeInterval(3600))
    }

    /// One tick. Returns the closed month whose reports are now all frozen (`frozenThrough`
    /// when that month was already done, nil when freezing failed and must be tried again).
    func tick(now: Date, frozenThrough: BillingPeriod?) async -> BillingPeriod? {
        let window = Self.window(now: now)
        do {
            try await rollups.recompute(from: window.from, to: window.to)
        } catch {
            logger.warning("rollup failed; the next tick retries", metadata: ["error": "\(error)"])
        }
        let closed = BillingPeriod.containing(now).previous
        guard closed != frozenThrough else { return frozenThrough }
        do {
            for tenant in try await billing.unfrozenTenants(period: closed) {
                _ = try await billing.frozen(tenantID: tenant, period: closed)
            }
            return closed
        } catch {
            logger.warning("freezing \(closed.text) reports failed; the next tick retries", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
