import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightTestSupport
import NIOConcurrencyHelpers
import Testing

/// The comments engine against the real WordPress `ops/test` starts, through its real comment
/// form, with a desk standing in for the store. WordPress lets one comment through per 15 s per
/// address (all tests share 127.0.0.1), so comments here are posted `patiently`.
@Suite(.serialized) struct CommentsEngineTests {
    static let comment = "<p>Wet rock is where the lugs matter more than the foam, in my experience.</p>"

    /// Each task links its own target: an approved comment shows in the blog's "Recent Comments"
    /// on every page, where another test's verification would find it.
    static func task(
        page: String, key: String = "campaign:c:day:2026-12-02:slot:\(UUID().uuidString)",
        target: String = "https://client.example/comment-\(UUID().uuidString.prefix(8).lowercased())"
    ) -> EngineTask {
        let payload = PublishTaskPayload(
            draftID: UUID(), anchorText: "best running shoes", targetURL: target, ownedConnectionsOnly: false, pageURL: page)
        return EngineTask(tenantID: UUID(), taskID: 9, engine: "comments", attempt: 1, idempotencyKey: key, payload: payload.json())
    }

    /// A commenter nobody has approved before, so the blog holds the comment.
    static func newcomer() -> ConnectedAccount {
        let name = "Dana \(UUID().uuidString.prefix(6))"
        return ConnectedAccount(
            id: UUID(), platform: .commenter, baseURL: "https://dana.example/", username: name, secret: "",
            email: "dana-\(UUID().uuidString.prefix(8).lowercased())@example.test")
    }

    static func engine(_ fetcher: Fetcher) -> CommentsEngine {
        CommentsEngine(fetcher: fetcher, robots: RobotsCache(fetcher: fetcher, politeness: nil))
    }

    /// Runs the task, waiting out the blog's flood limit (what the queue does with `.waiting`).
    static func patiently(_ engine: CommentsEngine, _ task: EngineTask, _ desk: Web2EngineTests.Desk) async throws -> EngineOutcome {
        for _ in 0..<4 {
            let outcome = try await engine.perform(task, tools: EngineTools(publishing: desk))
            guard case .waiting(let reason, _) = outcome, reason.contains("429") else { return outcome }
            try await Task.sleep(for: .seconds(16))
        }
        return .failed(reason: "the blog's flood limit never lifted")
    }

    @Test func aNewCommentersCommentIsHeldThenShowsWithTheLinkOnTheNameOnceApproved() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let post = try await wordpress.newPost()
        let account = Self.newcomer()
        let desk = Web2EngineTests.Desk([account], body: Self.comment)
        let target = "https://client.example/held-\(UUID().uuidString.prefix(8).lowercased())"
        let outcome = try await Self.patiently(Self.engine(wordpress.fetcher), Self.task(page: post.url, target: target), desk)
        guard case .done(let json, _) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        let result = try PublishResult(json: json)
        #expect(result.state == "pending_moderation")
        #expect(result.sourceURL == post.url)
        #expect(result.anchorText == account.username, "the blog shows the link on the commenter's name")
        #expect(result.expectedRel == "nofollow ugc")
        let held = try await wordpress.comments(onPost: post.id)
        #expect(held.map(\.status) == ["hold"])
        #expect(held.map { String($0.id) } == [result.platformID])
        #expect(held.first?.authorURL == target, "the website field carries the campaign's link")
        // Not public until the moderator says so; then the link is there, as WordPress marks it.
        let before = String(decoding: try await wordpress.fetcher.get(post.url).body, as: UTF8.self)
        #expect(!before.contains(target))
        try await wordpress.approve(comment: held[0].id)
        let after = String(decoding: try await wordpress.fetcher.get(post.url).body, as: UTF8.self)
        #expect(after.contains("<a href='\(target)' rel='external nofollow ugc' class='url'>\(account.username)</a>"))
    }

    /// A worker that died after the blog took the comment and before the completion was written:
    /// the task runs again and the post still has one comment from the slot.
    @Test func aTaskRunAgainAfterALostCompletionLeavesOneComment() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let post = try await wordpress.newPost()
        let desk = Web2EngineTests.Desk([Self.newcomer()], body: Self.comment)
        let task = Self.task(page: post.url)
        let engine = Self.engine(wordpress.fetcher)
        let first = try await Self.patiently(engine, task, desk)
        let second = try await Self.patiently(engine, task, desk)
        guard case .done = first, case .done(let json, _) = second else {
            Issue.record("\(first) / \(second)")
            return
        }
        #expect(try PublishResult(json: json).state == "pending_moderation", "the blog's duplicate answer means it is already there")
        #expect(try await wordpress.comments(onPost: post.id).count == 1)
    }

    @Test func aSecondSlotOnTheSamePostIsSkippedAndTheBlogsFloodLimitMakesTheNextOneWait() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let post = try await wordpress.newPost()
        let other = try await wordpress.newPost("Another post")
        let desk = Web2EngineTests.Desk([Self.newcomer()], body: Self.comment)
        let engine = Self.engine(wordpress.fetcher)
        guard case .done = try await Self.patiently(engine, Self.task(page: post.url), desk) else {
            Issue.record("the first comment was not posted")
            return
        }
        // One comment per post per tenant, whichever slot asks.
        let again = try await engine.perform(Self.task(page: post.url), tools: EngineTools(publishing: desk))
        guard case .gaveUp(let reason) = again else {
            Issue.record("\(again)")
            return
        }
        #expect(reason.contains("one per post"))
        // Straight after, another post: WordPress's flood limit answers 429 and the slot waits.
        let flooded = try await engine.perform(Self.task(page: other.url), tools: EngineTools(publishing: desk))
        guard case .waiting(let why, let wait) = flooded else {
            Issue.record("\(flooded)")
            return
        }
        #expect(why.contains("429"))
        #expect(wait >= .seconds(15))
        #expect(try await wordpress.comments(onPost: other.id).isEmpty)
    }

    @Test func aCommentMissingAFieldTheBlogRequiresGoesBackToReviewWithTheBlogsWords() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let post = try await wordpress.newPost()
        // An identity without an email: WordPress requires one and answers with a 200 error page.
        let nameless = ConnectedAccount(id: UUID(), platform: .commenter, baseURL: "https://x.example/", username: "Sam", secret: "")
        let desk = Web2EngineTests.Desk([nameless], body: Self.comment)
        let outcome = try await Self.patiently(Self.engine(wordpress.fetcher), Self.task(page: post.url), desk)
        guard case .gaveUp(let reason) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(reason.contains("required fields"), "\(reason)")
        #expect(desk.refused.withLockedValue { $0 } == [reason])
    }

    @Test func postsRobotsTxtKeepsUsFromOrThatAskForACaptchaOrASignInAreSkippedWithTheReason() async throws {
        try await TestSite.run { site in
            let form = #"<form action="/wp-comments-post.php" method="post"><textarea name="comment"></textarea><input name="author"></form>"#
            site.setPage("/private/post", html: "<article><p>A post.</p></article>\(form)")
            site.setPage(
                "/captcha-post",
                html: #"<form action="/c" method="post"><textarea name="comment"></textarea><div class="g-recaptcha" data-sitekey="x"></div></form>"#)
            site.setPage("/members-post", html: "<p>A post.</p><p>You must be logged in to post a comment.</p>")
            let fetcher = Fetcher(userAgent: "LinkwrightBot/test", resolver: site.resolver, policy: site.policy)
            let desk = Web2EngineTests.Desk([Self.newcomer()], body: Self.comment)
            var reasons: [String] = []
            for path in ["/private/post", "/captcha-post", "/members-post"] {
                let outcome = try await Self.engine(fetcher).perform(Self.task(page: site.url(path)), tools: EngineTools(publishing: desk))
                guard case .gaveUp(let reason) = outcome else {
                    Issue.record("\(path): \(outcome)")
                    continue
                }
                reasons.append(reason)
            }
            #expect(reasons.count == 3)
            #expect(reasons.first?.contains("robots.txt") == true)
            #expect(reasons.dropFirst().first?.contains("CAPTCHA") == true)
            #expect(reasons.last?.contains("signed-in") == true)
        }
    }

    @Test func theCommentFormIsReadFromThePageWithItsHiddenFields() {
        let html = Array(
            #"""
            <form id="search" action="/search"><input name="s"></form>
            <form action="/wp-comments-post.php" method="post" id="commentform">
              <textarea id="comment" name="comment"></textarea>
              <input id="author" name="author" type="text"><input id="email" name="email" type="email"><input id="url" name="url" type="url">
              <input type="hidden" name="comment_post_ID" value="42"><input type="hidden" name="comment_parent" value="0">
              <input type="submit" name="submit" value="Post Comment">
            </form>
            """#.utf8)
        let form = try? CommentForm.read(html: html, pageURL: "https://blog.example/2026/a-post/").get()
        #expect(form?.action == "https://blog.example/wp-comments-post.php")
        #expect(form?.hidden == [.init(name: "comment_post_ID", value: "42"), .init(name: "comment_parent", value: "0")])
        #expect(form?.nameField == "author")
        #expect(form?.emailField == "email")
        #expect(form?.websiteField == "url")
        let body = form.map { CommentForm.encode($0.fields(text: "Ça & co", name: "Dana", email: "d@x.test", website: "https://c.example/")) }
        #expect(body == "comment_post_ID=42&comment_parent=0&comment=%C3%87a%20%26%20co&author=Dana&email=d%40x.test&url=https%3A%2F%2Fc.example%2F")
    }
}
