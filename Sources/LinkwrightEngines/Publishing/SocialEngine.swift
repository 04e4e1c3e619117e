import Foundation
import LinkwrightCore

/// The `social` engine: posts an approved short post with its link from a Mastodon or Bluesky
/// account the tenant connected, and reports the post's public page as the placement. Exactly
/// once through each platform's own means (Mastodon's `Idempotency-Key`, a Bluesky record key
/// derived from the task). A platform's rate-limit headers saying nothing is left hold the
/// account until their reset.
public struct SocialEngine: Engine {
    public let name = "social"
    let fetcher: Fetcher
    let observer: (any PublishObserver)?

    public init(fetcher: Fetcher, observer: (any PublishObserver)? = nil) {
        self.fetcher = fetcher
        self.observer = observer
    }

    public var estimatedUsage: [Usage] { [Usage(.placement, 1)] }

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        let job: PublishingJob
        switch try await PublishingJob.open(task, tools: tools) {
        case .ready(let opened): job = opened
        case .stop(let outcome): return outcome
        }
        let (payload, desk) = (job.payload, job.desk)
        guard
            let account = try await desk.account(
                tenantID: task.tenantID, platforms: [.mastodon, .bluesky], ownedOnly: payload.ownedConnectionsOnly, spreadKey: task.idempotencyKey)
        else {
            return .waiting(reason: "no active account to post with: connect a Mastodon or Bluesky account", for: Web2Engine.accountWait)
        }
        if let wait = await tools.actions?.wait(for: .publish, of: account, observer: observer) { return wait }
        let started = ContinuousClock.now
        let published: (id: String, url: String)
        do {
            switch account.platform {
            case .bluesky:
                let client = BlueskyClient(fetcher: fetcher, serviceURL: account.baseURL, identifier: account.username, appPassword: account.secret)
                let post = try await client.post(job.draft.body, linkURL: payload.targetURL, mark: PublishMarker.mark(forTask: task.idempotencyKey))
                published = (post.uri, post.url)
            default:
                let client = MastodonClient(fetcher: fetcher, instanceURL: account.baseURL, accessToken: account.secret)
                let posted = try await client.post(job.draft.body, idempotencyKey: task.idempotencyKey)
                if let until = posted.exhaustedUntil { await tools.actions?.hold(connectionID: account.id, until: until) }
                published = (posted.status.id, posted.status.url)
            }
        } catch {
            observer?.attempted(engine: name, platform: account.platform, outcome: error.outcome, duration: ContinuousClock.now - started)
            // The platform's `Retry-After` holds the account for every slot, not just this one.
            if case .retryLater(_, let after?) = error {
                await tools.actions?.hold(connectionID: account.id, until: tools.now().addingTimeInterval(after.inSeconds))
            }
            return try await job.outcome(of: error, account: account, task: task)
        }
        observer?.attempted(engine: name, platform: account.platform, outcome: "published", duration: ContinuousClock.now - started)
        // Mastodon marks links in posts `nofollow noopener noreferrer`.
        let result = PublishResult(
            draftID: payload.draftID, connectionID: account.id, platform: account.platform, platformID: published.id, sourceURL: published.url,
            targetURL: payload.targetURL, anchorText: payload.targetURL, expectedRel: account.platform == .mastodon ? "nofollow" : nil)
        return .done(result: try result.json(), usage: estimatedUsage)
    }
}
