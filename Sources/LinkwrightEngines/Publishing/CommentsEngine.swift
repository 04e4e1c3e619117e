import Foundation
import LinkwrightCore
import NIOPosix

/// The `comments` engine: posts an approved comment through a blog's own comment form, signed
/// with a `commenter` identity the tenant connected (name and email; the website field carries
/// the campaign's link, which the blog shows on the name).
///
/// What the blog did decides the outcome, not the status code: WordPress answers a held comment
/// and a published one alike with a redirect (`?unapproved=` marks the held one), a missing
/// field with a 200 error page, a duplicate with 409 and a flood with 429. A held comment
/// becomes a placement `pending_moderation`, which verification watches until it appears or the
/// moderation wait runs out.
///
/// Never on a post robots.txt keeps us from, never twice on one post for one tenant (the slot
/// claims the post first), and exactly once per slot: a repeated attempt sends the same comment,
/// which the blog refuses as a duplicate of the one already there.
public struct CommentsEngine: Engine {
    public let name = "comments"
    let fetcher: Fetcher
    let robots: RobotsCache
    let parsing: NIOThreadPool
    let observer: (any PublishObserver)?

    public init(fetcher: Fetcher, robots: RobotsCache, parsing: NIOThreadPool = .singleton, observer: (any PublishObserver)? = nil) {
        self.fetcher = fetcher
        self.robots = robots
        self.parsing = parsing
        self.observer = observer
    }

    public var estimatedUsage: [Usage] { [Usage(.placement, 1)] }

    /// What blogs add to links in comments (WordPress: `external nofollow ugc` on the name).
    public static let expectedRel = "nofollow ugc"
    /// A flood answer without `Retry-After` (WordPress allows one comment per 15 s per address).
    static let floodWait: Duration = .seconds(20)

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        let job: PublishingJob
        switch try await PublishingJob.open(task, tools: tools) {
        case .ready(let opened): job = opened
        case .stop(let outcome): return outcome
        }
        let (payload, draftID, draft, desk) = (job.payload, job.draftID, job.draft, job.desk)
        guard let pageURL = payload.pageURL else { return .gaveUp(reason: "the comment slot names no post to comment on") }
        let path = LinkChecker.pathAndQuery(pageURL)
        guard await robots.robots(for: pageURL).allows(path, agent: LinkChecker.ourAgent) else {
            return .gaveUp(reason: "robots.txt does not allow \(LinkChecker.ourAgent) on \(path), so it is not commented on")
        }
        guard try await desk.claimPost(tenantID: task.tenantID, pageURL: pageURL, slotKey: task.idempotencyKey) else {
            return .gaveUp(reason: "the tenant already has a comment on \(pageURL): one per post")
        }
        guard let account = try await desk.account(tenantID: task.tenantID, platforms: [.commenter], ownedOnly: false, spreadKey: pageURL)
        else {
            return .waiting(reason: "no active commenter identity to sign the comment with: connect one", for: Web2Engine.accountWait)
        }
        if let wait = await tools.actions?.wait(for: .comment, of: account, observer: observer) { return wait }
        let started = ContinuousClock.now
        let posted: PostedComment
        do {
            posted = try await comment(
                on: pageURL, text: HTMLSanitizer.text(ofSanitized: draft.body, between: "\n\n"), account: account, website: payload.targetURL)
        } catch {
            observer?.attempted(engine: name, platform: .commenter, outcome: error.outcome, duration: ContinuousClock.now - started)
            switch error {
            case .retryLater(let reason, let after):
                return .waiting(reason: reason, for: after ?? Self.floodWait)
            case .contentRefused(let reason):
                try await desk.draftRefused(tenantID: task.tenantID, draftID: draftID, taskID: task.taskID, reason: reason)
                return .gaveUp(reason: reason)
            case .connectionBroken(let reason), .gone(let reason):
                // A blog that turns a commenter away turns away this post, not the identity.
                return .gaveUp(reason: reason)
            }
        }
        observer?.attempted(engine: name, platform: .commenter, outcome: "published", duration: ContinuousClock.now - started)
        let result = PublishResult(
            draftID: payload.draftID, connectionID: account.id, platform: .commenter, platformID: posted.id ?? "", sourceURL: pageURL,
            targetURL: payload.targetURL, anchorText: account.username, state: posted.held ? .pendingModeration : nil,
            expectedRel: Self.expectedRel)
        return .done(result: try result.json(), usage: estimatedUsage)
    }

    struct PostedComment {
        /// The blog's comment id, when its answer names one.
        let id: String?
        /// Held for the blog's moderator (or not known to be public yet).
        let held: Bool
    }

    /// Reads the post's form and sends the comment through it.
    func comment(on pageURL: String, text: String, account: ConnectedAccount, website: String) async throws(PublishFailure) -> PostedComment {
        let page: FetchedPage
        do {
            page = try await fetcher.get(pageURL)
        } catch {
            throw .retryLater("could not read the post at \(pageURL): \(error)")
        }
        if page.status == 404 || page.status == 410 { throw .gone("the post at \(pageURL) is gone (\(page.status))") }
        guard (200..<300).contains(page.status) else { throw .retryLater("the post at \(pageURL) answers \(page.status)") }
        let html = page.body
        let finalURL = page.finalURL
        let read = (try? await parsing.runIfActive { CommentForm.read(html: html, pageURL: finalURL) }) ?? .failure(.noForm)
        let form: CommentForm
        switch read {
        case .success(let found): form = found
        case .failure(let refusal): throw .gone(refusal.description)
        }
        let fields = form.fields(text: text, name: account.username, email: account.email, website: website)
        let answer: FetchedPage
        do {
            answer = try await fetcher.send(
                "POST", form.action, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Referer", finalURL)],
                body: Array(CommentForm.encode(fields).utf8))
        } catch {
            switch error {
            case .refusedTarget, .invalidURL, .unresolvable:
                throw .gone("the comment form posts to \(form.action), which cannot be reached: \(error)")
            default: throw .retryLater("the blog did not answer the comment: \(error)")
            }
        }
        let body = answer.body
        let message =
            (200..<300).contains(answer.status) || (400..<600).contains(answer.status)
            ? (try? await parsing.runIfActive { Self.errorMessage(body) }) ?? nil : nil
        return try Self.judge(answer, message: message)
    }

    /// What the blog did with the comment; `message` is what its error page says.
    static func judge(_ answer: FetchedPage, message: String?) throws(PublishFailure) -> PostedComment {
        let said = message.map { ": \($0)" } ?? ""
        switch answer.status {
        case 301, 302, 303, 307:
            let location = answer.header("location").first ?? ""
            if let id = value(of: "unapproved", in: location) { return PostedComment(id: id, held: true) }
            if let hash = location.range(of: "#comment-") {
                return PostedComment(id: String(location[hash.upperBound...].prefix(while: \.isNumber)), held: false)
            }
            // Somewhere else: the blog took it; verification finds out whether it shows.
            return PostedComment(id: nil, held: true)
        case 409:
            // The same comment from the same identity is already on the post: an earlier attempt
            // of this slot placed it (the claim keeps any other slot off the post).
            return PostedComment(id: nil, held: true)
        case 429:
            throw .retryLater(
                "the blog limits how often comments are posted (429)\(said)",
                after: answer.header("retry-after").first.flatMap(RetryAfter.seconds).map { .seconds($0) })
        case 403 where message?.lowercased().contains("closed") ?? false:
            throw .gone("comments are closed on this post\(said)")
        case 403, 404, 410:
            throw .gone("the blog does not take the comment (\(answer.status))\(said)")
        case 200..<300, 400..<500:
            // WordPress's error page for a missing field is a 200: a refusal, whatever the code.
            throw .contentRefused("the blog refused the comment (\(answer.status))\(said)")
        default:
            throw .retryLater(
                "the blog answered \(answer.status)\(said)",
                after: answer.header("retry-after").first.flatMap(RetryAfter.seconds).map { .seconds($0) })
        }
    }

    /// The query parameter `name` of `url`, when it is digits.
    static func value(of name: String, in url: String) -> String? {
        guard let items = URLComponents(string: url)?.queryItems, let value = items.first(where: { $0.name == name })?.value,
            !value.isEmpty, value.allSatisfy(\.isNumber)
        else { return nil }
        return value
    }

    /// The message of WordPress's error page (`wp_die`), else the page's first paragraph.
    /// CPU-bound: call it off the event loop.
    static func errorMessage(_ body: [UInt8]) -> String? {
        guard !body.isEmpty else { return nil }
        let post = PostText.read(html: body)
        let text = post.text.split(separator: "\n").first.map(String.init) ?? ""
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        return String(trimmed.prefix(300))
    }
}
