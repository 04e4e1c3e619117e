import Foundation
import LinkwrightCore

/// The `web2` engine: publishes an approved article as a post on a site the tenant connected
/// (WordPress, through its REST API), and reports where the link now lives; the runtime records
/// that as a placement, which verification then confirms. A retried task finds the post its
/// first attempt made (`WordPressClient.publish`) instead of publishing again.
public struct Web2Engine: Engine {
    public let name = "web2"
    let fetcher: Fetcher

    public init(fetcher: Fetcher) { self.fetcher = fetcher }

    /// One placement; the article's tokens were charged when it was written.
    public var estimatedUsage: [Usage] { [Usage(.placement, 1)] }

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        guard let payload = try? JSONDecoder().decode(PublishTaskPayload.self, from: Data(task.payload.utf8)),
            let draftID = UUID(uuidString: payload.draftID)
        else { return .failed(reason: "the publishing task's payload is not readable") }
        guard let desk = tools.publishing else { return .failed(reason: "this worker has no access to drafts and accounts") }
        guard let draft = try await desk.approvedDraft(tenantID: task.tenantID, id: draftID) else {
            return .failed(reason: "the draft is no longer approved, so it is not published")
        }
        guard
            let account = try await desk.account(
                tenantID: task.tenantID, platforms: [.wordpress], ownedOnly: payload.ownedConnectionsOnly, spreadKey: task.idempotencyKey)
        else {
            let which = payload.ownedConnectionsOnly ? "an active WordPress site the tenant owns" : "an active WordPress connection"
            return .failed(reason: "no account to publish with: connect \(which)")
        }
        let client = WordPressClient(fetcher: fetcher, siteURL: account.baseURL, username: account.username, applicationPassword: account.secret)
        let post: WordPressClient.Post
        do {
            post = try await client.publish(title: Self.title(of: draft), html: draft.body, slug: WordPressClient.slug(forTask: task.idempotencyKey))
        } catch {
            if case .connectionBroken(let reason) = error {
                try await desk.accountFailed(tenantID: task.tenantID, id: account.id, reason: reason)
            }
            return .failed(reason: error.description)
        }
        let result = PublishResult(
            draftID: payload.draftID, connectionID: account.id, platform: account.platform, platformID: String(post.id), sourceURL: post.link,
            targetURL: payload.targetURL, anchorText: payload.anchorText)
        return .done(result: try result.json(), usage: estimatedUsage)
    }

    /// The article's first heading, else the campaign's name.
    static func title(of draft: ApprovedDraft) -> String {
        guard let start = draft.body.range(of: "<h2>"), let end = draft.body.range(of: "</h2>", range: start.upperBound..<draft.body.endIndex)
        else { return draft.topic }
        let heading = HTMLSanitizer.text(ofSanitized: String(draft.body[start.upperBound..<end.lowerBound]), between: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return heading.isEmpty ? draft.topic : heading
    }
}
