import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightTestSupport
import NIOConcurrencyHelpers
import Testing

/// The forums engine against the real django-machina forum `ops/test` starts, through its own
/// sign-in, profile and new-topic forms, with a desk standing in for the store.
@Suite(.serialized) struct ForumsEngineTests {
    static func draft() -> String {
        let tag = UUID().uuidString.prefix(6)
        return
            #"<p>Grip on wet granite \#(tag) comes from the lugs: see <a href="https://client.example/forum-\#(tag)">trail shoes for rock</a> for what we measured.</p><p>Soft rubber wears fast_but *sticks* [really].</p>"#
    }

    static func task(target: String) -> EngineTask {
        let payload = PublishTaskPayload(draftID: UUID(), anchorText: "trail shoes", targetURL: target, ownedConnectionsOnly: false)
        return EngineTask(
            tenantID: UUID(), taskID: 13, engine: "forums", attempt: 1, idempotencyKey: "campaign:c:day:d:slot:\(UUID().uuidString)",
            payload: payload.json())
    }

    @Test func aTopicIsStartedWithTheDraftAndTheSignatureCarriesTheLinkAndARepeatFindsTheTopic() async throws {
        let forum = try #require(TestForum.fromEnvironment(), Comment(rawValue: TestForum.missing))
        let body = Self.draft()
        let target = try #require(body.range(of: #"https://client.example/forum-[A-Z0-9]+"#, options: .regularExpression).map { String(body[$0]) })
        let desk = Web2EngineTests.Desk([forum.account], body: body)
        let engine = ForumsEngine(fetcher: forum.fetcher)
        let task = Self.task(target: target)
        let first = try await engine.perform(task, tools: EngineTools(publishing: desk))
        let again = try await engine.perform(task, tools: EngineTools(publishing: desk))  // the completion was lost
        guard case .done(let one, _) = first, case .done(let two, _) = again else {
            Issue.record("\(first) / \(again)")
            return
        }
        let result = try PublishResult(json: one)
        #expect(result.sourceURL == (try PublishResult(json: two)).sourceURL, "one topic for the slot")
        #expect(result.sourceURL.hasPrefix(forum.boardURL + "topic/grip-on-wet-granite"), "\(result.sourceURL)")
        // An anonymous reader finds the link in the post and in the signature, and the draft's
        // words as words: no Markdown came from them.
        let page = String(decoding: try await forum.fetcher.get(result.sourceURL).body, as: UTF8.self)
        #expect(page.contains(#"<a href="\#(target)">trail shoes for rock</a>"#))
        #expect(page.contains(#"<a href="\#(target)">trail shoes</a>"#), "the signature")
        #expect(page.contains("fast_but *sticks* [really]"))
        let board = String(decoding: try await forum.fetcher.get(forum.boardURL).body, as: UTF8.self)
        let subject = try #require(body.range(of: "Grip on wet granite [A-Z0-9]+", options: .regularExpression).map { String(body[$0]) })
        #expect(board.components(separatedBy: subject).count == 2, "exactly one topic with the subject")
    }

    @Test func aWrongPasswordIsABrokenConnectionAndTheTestSaysSo() async throws {
        let forum = try #require(TestForum.fromEnvironment(), Comment(rawValue: TestForum.missing))
        let wrong = ConnectedAccount(id: UUID(), platform: .forum, baseURL: forum.boardURL, username: forum.user, secret: "not it")
        let desk = Web2EngineTests.Desk([wrong], body: Self.draft())
        let outcome = try await ForumsEngine(fetcher: forum.fetcher).perform(
            Self.task(target: "https://client.example/x"), tools: EngineTools(publishing: desk))
        guard case .waiting(let reason, _) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(reason.contains("correct username and password"), "\(reason)")
        #expect(desk.failed.withLockedValue { $0 } == [reason])
        let probe = AccountProbe(fetcher: forum.fetcher)
        #expect(await probe.check(forum.account) == .signedIn(as: forum.user))
        guard case .failed(.connectionBroken) = await probe.check(wrong) else {
            Issue.record("a wrong password is a broken connection")
            return
        }
    }

    @Test func draftTextBecomesMarkdownWithOnlyItsOneLink() {
        let markdown = Markdown.from(
            sanitizedHTML:
                #"<h2>Why # matters</h2><p>Use <strong>lugs</strong> &lt;b&gt; 1. not 2) <a href="https://c.example/a_b">the (guide)</a> http://x.example</p><ul><li>one</li><li>two</li></ul>"#
        )
        #expect(
            markdown
                == "## Why \\# matters\n\nUse **lugs** &lt;b\\> 1\\. not 2\\) [the \\(guide\\)](https://c.example/a_b) http\\://x\\.example\n\n- one\n- two\n"
        )
    }
}

/// The forums engine's Discourse adapter against a local stand-in that enforces Discourse's REST
/// contract (Discourse itself does not install here).
@Suite struct DiscourseForumTests {
    @Test func aTopicGoesToTheCategoryWithTheWebsiteOnTheProfileAndARepeatFindsIt() async throws {
        try await TestDiscourse.run { discourse in
            let body = ForumsEngineTests.draft()
            let target = try #require(
                body.range(of: #"https://client.example/forum-[A-Z0-9]+"#, options: .regularExpression).map { String(body[$0]) })
            let desk = Web2EngineTests.Desk([discourse.account()], body: body)
            let engine = ForumsEngine(fetcher: discourse.fetcher)
            let task = ForumsEngineTests.task(target: target)
            let first = try await engine.perform(task, tools: EngineTools(publishing: desk))
            let again = try await engine.perform(task, tools: EngineTools(publishing: desk))
            guard case .done(let one, _) = first, case .done(let two, _) = again else {
                Issue.record("\(first) / \(again)")
                return
            }
            let result = try PublishResult(json: one)
            #expect(result.sourceURL == (try PublishResult(json: two)).sourceURL)
            #expect(result.sourceURL.hasPrefix(discourse.origin + "/t/grip-on-wet-granite"), "\(result.sourceURL)")
            #expect(result.expectedRel == "nofollow ugc")
            #expect(discourse.topics.count == 1)
            #expect(discourse.website == target, "Discourse has no signature: the profile's website carries the link")
            let page = String(decoding: try await discourse.fetcher.get(result.sourceURL).body, as: UTF8.self)
            #expect(page.contains(#"<a href="\#(target)" rel="noopener nofollow ugc">trail shoes for rock</a>"#))
        }
    }

    @Test func aRefusedKeyIsABrokenConnectionAndATooShortTitleGoesBackToReview() async throws {
        try await TestDiscourse.run { discourse in
            let revoked = Web2EngineTests.Desk([discourse.account(key: "revoked")], body: ForumsEngineTests.draft())
            let waiting = try await ForumsEngine(fetcher: discourse.fetcher).perform(
                ForumsEngineTests.task(target: "https://client.example/x"), tools: EngineTools(publishing: revoked))
            guard case .waiting(let reason, _) = waiting else {
                Issue.record("\(waiting)")
                return
            }
            #expect(reason.contains("API username or key is invalid"), "\(reason)")
            #expect(revoked.failed.withLockedValue { $0 } == [reason])
            #expect(await AccountProbe(fetcher: discourse.fetcher).check(discourse.account()) == .signedIn(as: TestDiscourse.user))

            let short = Web2EngineTests.Desk(
                [discourse.account()], body: #"<p>Grip matters. See <a href="https://client.example/x">shoes</a> for why it does.</p>"#)
            let refused = try await ForumsEngine(fetcher: discourse.fetcher).perform(
                ForumsEngineTests.task(target: "https://client.example/x"), tools: EngineTools(publishing: short))
            guard case .gaveUp(let why) = refused else {
                Issue.record("\(refused)")
                return
            }
            #expect(why.contains("Title must be at least 15 characters"), "\(why)")
            #expect(short.refused.withLockedValue { $0 } == [why])
            #expect(discourse.topics.isEmpty)
        }
    }
}
