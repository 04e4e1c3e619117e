import Foundation
import LinkwrightCore

/// The `web2` engine: publishes an approved article on a site the tenant connected (a WordPress
/// post through its REST API, a MediaWiki page through its Action API), and reports where the
/// link now lives; the runtime records that as a placement, which verification then confirms. A
/// retried task finds what its first attempt published (`PublishMarker`) instead of publishing
/// again.
public struct Web2Engine: Engine {
    public let name = "web2"
    let fetcher: Fetcher
    let observer: (any PublishObserver)?

    public init(fetcher: Fetcher, observer: (any PublishObserver)? = nil) {
        self.fetcher = fetcher
        self.observer = observer
    }

    /// One placement; the article's tokens were charged when it was written.
    public var estimatedUsage: [Usage] { [Usage(.placement, 1)] }

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        let job: PublishingJob
        switch try await PublishingJob.open(task, tools: tools) {
        case .ready(let opened): job = opened
        case .stop(let outcome): return outcome
        }
        let (payload, draft, desk) = (job.payload, job.draft, job.desk)
        guard
            let account = try await desk.account(
                tenantID: task.tenantID, platforms: [.wordpress, .mediawiki], ownedOnly: payload.ownedConnectionsOnly, spreadKey: task.idempotencyKey)
        else {
            let which = payload.ownedConnectionsOnly ? "a WordPress or MediaWiki site the tenant owns" : "a WordPress or MediaWiki site"
            // Waits for a person to connect or reconnect one; it does not use up its attempts.
            return .waiting(reason: "no active account to publish with: connect \(which)", for: Self.accountWait)
        }
        if let wait = await tools.actions?.wait(for: .publish, of: account, observer: observer) { return wait }
        let title = Self.title(of: draft)
        let mark = PublishMarker.mark(forTask: task.idempotencyKey)
        let published: (id: String, url: String, rel: String?)
        let started = ContinuousClock.now
        do {
            switch account.platform {
            case .mediawiki:
                let wiki = MediaWikiClient(fetcher: fetcher, wikiURL: account.baseURL, username: account.username, botPassword: account.secret)
                // A title someone else took gets the mark's tail, so the slot still gets its page.
                let page = try await wiki.publish(
                    titles: [title, "\(title) (\(mark.suffix(6)))"], wikitext: Wikitext.from(sanitizedHTML: draft.body), mark: mark)
                // MediaWiki marks every external link `nofollow`.
                published = (page.title, page.url, "nofollow")
            default:
                let blog = WordPressClient(
                    fetcher: fetcher, siteURL: account.baseURL, username: account.username, applicationPassword: account.secret)
                let post = try await blog.publish(title: title, html: draft.body, slug: mark)
                published = (String(post.id), post.link, nil)
            }
        } catch {
            observer?.attempted(engine: name, platform: account.platform, outcome: error.outcome, duration: ContinuousClock.now - started)
            return try await job.outcome(of: error, account: account, task: task)
        }
        observer?.attempted(engine: name, platform: account.platform, outcome: "published", duration: ContinuousClock.now - started)
        let result = PublishResult(
            draftID: payload.draftID, connectionID: account.id, platform: account.platform, platformID: published.id, sourceURL: published.url,
            targetURL: payload.targetURL, anchorText: payload.anchorText, expectedRel: published.rel)
        return .done(result: try result.json(), usage: estimatedUsage)
    }

    /// How long a slot whose account needs a person waits before it looks again.
    public static let accountWait: Duration = .seconds(15 * 60)

    /// The article's first heading, else the campaign's name.
    static func title(of draft: ApprovedDraft) -> String {
        guard let start = draft.body.range(of: "<h2>"), let end = draft.body.range(of: "</h2>", range: start.upperBound..<draft.body.endIndex)
        else { return draft.topic }
        let heading = HTMLSanitizer.text(ofSanitized: String(draft.body[start.upperBound..<end.lowerBound]), between: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return heading.isEmpty ? draft.topic : heading
    }
}
