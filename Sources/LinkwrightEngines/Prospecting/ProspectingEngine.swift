import Foundation
import LinkwrightCore

/// What the prospecting engine asks of the store: a job's keywords and settings. The worker
/// runtime provides it (and keeps it, since a job's settings never change while it runs).
public protocol ProspectingDesk: Sendable {
    /// Nil when the job is gone (deleted with its tenant).
    func job(tenantID: UUID, id: UUID) async throws -> ProspectJobSpec?
}

/// The prospecting engine: one task per domain of a job. Its result (`ProspectDomainResult`) is
/// recorded with the task's completion: the matches, the domain's outcome and what it cost. A
/// site that fails is a result too (with its reason), never a failed task: the job goes on.
public struct ProspectingEngine: Engine {
    public let name = "prospecting"
    let crawler: ProspectCrawler

    public init(crawler: ProspectCrawler) { self.crawler = crawler }

    struct Payload: Decodable {
        let job_id: UUID
        let position: Int
        let domain: String
    }

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(task.payload.utf8)) else {
            return .gaveUp(reason: "prospecting payload is not a job's domain")
        }
        guard let desk = tools.prospecting else { return .failed(reason: "no prospecting desk in this process") }
        guard let spec = try await desk.job(tenantID: task.tenantID, id: payload.job_id) else {
            return .gaveUp(reason: "the prospecting job is gone")
        }
        let result = await crawler.crawl(domain: payload.domain, position: payload.position, jobID: payload.job_id, spec: spec)
        return .done(result: try result.json(), usage: Self.usage(of: result))
    }

    /// Requests that reached a site, and the provider's credits: DNS failures and refused targets
    /// cost nothing.
    static func usage(of result: ProspectDomainResult) -> [Usage] {
        [Usage(.fetch, Int64(result.directRequests)), Usage(.scrapeCredits, Int64(result.credits))].filter { $0.quantity > 0 }
    }
}
