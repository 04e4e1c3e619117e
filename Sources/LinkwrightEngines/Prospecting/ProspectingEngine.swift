import Foundation
import LinkwrightCore
import NIOConcurrencyHelpers

/// What the prospecting engine asks of the store: a job's keywords and settings. The worker
/// runtime provides it (and keeps it, since a job's settings never change while it runs).
public protocol ProspectingDesk: Sendable {
    /// Nil when the job is gone (deleted with its tenant).
    func job(tenantID: UUID, id: UUID) async throws -> ProspectJobSpec?
    /// Charges one premium request's credits to the ledger and the job as soon as the provider
    /// answered, once per `key` (the task's key, its attempt and the request's number): a request
    /// the provider billed is charged even if this worker dies before the domain is recorded.
    func charge(tenantID: UUID, jobID: UUID, key: String, credits: Int) async throws
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
        let charges = ChargeCounter()
        let result = await crawler.crawl(domain: payload.domain, position: payload.position, jobID: payload.job_id, spec: spec) { credits in
            let number = charges.next()
            try await desk.charge(
                tenantID: task.tenantID, jobID: payload.job_id, key: "\(task.idempotencyKey):a\(task.attempt):r\(number):scrape_credits",
                credits: credits)
        }
        return .done(result: try result.json(), usage: Self.usage(of: result))
    }

    /// Requests that reached a site, charged with the task's completion (DNS failures and refused
    /// targets cost nothing); the provider's credits were charged request by request.
    static func usage(of result: ProspectDomainResult) -> [Usage] {
        [Usage(.fetch, Int64(result.directRequests))].filter { $0.quantity > 0 }
    }
}

/// Numbers a task's premium requests, for their ledger keys.
final class ChargeCounter: Sendable {
    private let count = NIOLockedValueBox(0)

    func next() -> Int {
        count.withLockedValue { count in
            count += 1
            return count
        }
    }
}
