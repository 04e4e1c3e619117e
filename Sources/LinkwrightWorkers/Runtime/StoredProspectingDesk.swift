import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import NIOConcurrencyHelpers

/// Jobs' settings for the prospecting engine, read once per job per process: they never change
/// while a job runs, and a job of 50,000 domains would otherwise read them 50,000 times.
final class StoredProspectingDesk: ProspectingDesk {
    let jobs: ProspectJobRepository
    private let cache = NIOLockedValueBox([UUID: ProspectJobSpec]())

    init(jobs: ProspectJobRepository) { self.jobs = jobs }

    func job(tenantID: UUID, id: UUID) async throws -> ProspectJobSpec? {
        if let spec = cache.withLockedValue({ $0[id] }) { return spec }
        guard let record = try await jobs.find(tenantID: tenantID, id: id) else { return nil }
        let spec = ProspectJobSpec(
            keywords: record.keywords, mode: record.settings.mode, maxPagesPerDomain: record.settings.maxPagesPerDomain,
            fullCrawlThreshold: record.settings.fullCrawlThreshold, clientDomain: record.settings.clientDomain)
        cache.withLockedValue { cache in
            // A long-lived worker sees many jobs: forget them all now and then rather than grow.
            if cache.count >= 1000 { cache.removeAll() }
            cache[id] = spec
        }
        return spec
    }

    func charge(tenantID: UUID, jobID: UUID, key: String, credits: Int) async throws {
        try await jobs.chargeCredits(tenantID: tenantID, jobID: jobID, key: key, credits: credits)
    }
}
