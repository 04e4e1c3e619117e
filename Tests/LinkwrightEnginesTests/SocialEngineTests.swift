import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightTestSupport
import NIOConcurrencyHelpers
import NIOPosix
import Testing

/// The social engine against local Mastodon and Bluesky stand-ins that enforce the services'
/// wire contracts (neither service runs here), with a desk standing in for the store.
@Suite struct SocialEngineTests {
    static let text = "Wet rock needs lugs, not foam: our notes on grip — ça marche ✓ https://client.example/shoes"

    static func mastodon(_ social: TestSocial, token: String = TestSocial.mastodonToken) -> ConnectedAccount {
        ConnectedAccount(id: UUID(), platform: .mastodon, baseURL: social.url, username: "linkwright", secret: token)
    }

    static func bluesky(_ social: TestSocial, password: String = TestSocial.blueskyPassword) -> ConnectedAccount {
        ConnectedAccount(id: UUID(), platform: .bluesky, baseURL: social.url, username: TestSocial.blueskyHandle, secret: password)
    }

    static func task(_ key: String = "campaign:c:day:2026-12-02:slot:\(UUID().uuidString)") -> EngineTask {
        let payload = PublishTaskPayload(draftID: UUID(), anchorText: "shoes", targetURL: "https://client.example/shoes", ownedConnectionsOnly: true)
        return EngineTask(tenantID: UUID(), taskID: 11, engine: "social", attempt: 1, idempotencyKey: key, payload: payload.json())
    }

    /// Lets every action through and remembers the holds a platform asked for.
    final class Holds: ActionLimiter {
        let until = NIOLockedValueBox<[Date]>([])
        func take(_ action: AccountAction, connectionID: UUID, limit: ActionLimit, spacing: Duration) async -> ActionDecision { .allowed }
        func hold(connectionID: UUID, until: Date) async { self.until.withLockedValue { $0.append(until) } }
        func usage(connectionID: UUID, actions: [AccountAction]) async -> ActionUsage {
            ActionUsage(counts: [:], hourResetsAt: Date(), dayResetsAt: Date(), nextActionAt: nil)
        }
    }

    @Test func aMastodonStatusIsPostedOnceWithTheTasksIdempotencyKeyAndItsLinkIsOnThePublicPage() async throws {
        try await TestSocial.run { social in
            let engine = SocialEngine(fetcher: social.fetcher)
            let tools = EngineTools(publishing: Web2EngineTests.Desk([Self.mastodon(social)], body: Self.text))
            let task = Self.task()
            let first = try await engine.perform(task, tools: tools)
            let again = try await engine.perform(task, tools: tools)  // the completion was lost
            guard case .done(let one, _) = first, case .done(let two, _) = again else {
                Issue.record("\(first) / \(again)")
                return
            }
            let result = try PublishResult(json: one)
            #expect(result.platformID == (try PublishResult(json: two)).platformID)
            #expect(social.statuses.count == 1)
            #expect(social.statuses.first?.idempotencyKey == task.idempotencyKey)
            #expect(result.expectedRel == "nofollow")
            let page = String(decoding: try await social.fetcher.get(result.sourceURL).body, as: UTF8.self)
            #expect(page.contains(#"<a href="https://client.example/shoes" rel="nofollow noopener noreferrer""#))
        }
    }

    @Test func aBlueskyPostCarriesItsLinkAsAByteRangeFacetAndARepeatFindsTheSamePost() async throws {
        try await TestSocial.run { social in
            let engine = SocialEngine(fetcher: social.fetcher)
            let tools = EngineTools(publishing: Web2EngineTests.Desk([Self.bluesky(social)], body: Self.text))
            let task = Self.task()
            let first = try await engine.perform(task, tools: tools)
            let again = try await engine.perform(task, tools: tools)
            guard case .done(let one, _) = first, case .done(let two, _) = again else {
                Issue.record("\(first) / \(again)")
                return
            }
            #expect(try PublishResult(json: one).sourceURL == PublishResult(json: two).sourceURL)
            #expect(try PublishResult(json: one).sourceURL.hasPrefix("https://bsky.app/profile/linkwright.test/post/"))
            #expect(social.posts.count == 1)
            // "—", "ç" and "✓" take more bytes than characters: the facet counts bytes.
            let facet = try #require(social.posts.first?.facets.first)
            let index = try #require(facet["index"] as? [String: Any])
            let start = try #require(index["byteStart"] as? Int)
            let end = try #require(index["byteEnd"] as? Int)
            #expect(String(bytes: Array(Self.text.utf8)[start..<end], encoding: .utf8) == "https://client.example/shoes")
            #expect(start != Self.text.distance(from: Self.text.startIndex, to: Self.text.range(of: "https://")!.lowerBound))
            // Its page on bsky.app is drawn by JavaScript: verification reads the post through the
            // AppView's API and finds the link facet.
            let checker = LinkChecker(
                fetcher: social.fetcher, robots: RobotsCache(fetcher: social.fetcher, politeness: nil), parsing: .singleton, blueskyAPI: social.url)
            let source = try PublishResult(json: one).sourceURL
            let live = await checker.check(LinkCheckRequest(sourceURL: source, targetURL: "https://client.example/shoes"))
            #expect(live.state == .live && live.linkFound && live.anchorText == "https://client.example/shoes", "\(live)")
            let other = await checker.check(LinkCheckRequest(sourceURL: source, targetURL: "https://client.example/other"))
            #expect(other.state == .missing)
            let gone = await checker.check(
                LinkCheckRequest(sourceURL: "https://bsky.app/profile/linkwright.test/post/3zzzzzzzzzzzz", targetURL: "https://client.example/shoes"))
            #expect(gone.state == .sourceGone)
        }
    }

    @Test func anExpiredBlueskyTokenIsRenewedAndThePostGoesOut() async throws {
        try await TestSocial.run { social in
            social.setAccessUses(1)  // signing in, then one call, then ExpiredToken
            let outcome = try await SocialEngine(fetcher: social.fetcher).perform(
                Self.task(), tools: EngineTools(publishing: Web2EngineTests.Desk([Self.bluesky(social)], body: Self.text)))
            guard case .done = outcome else {
                Issue.record("\(outcome)")
                return
            }
            #expect(social.posts.count == 1)
        }
    }

    @Test func aPostOverTheInstancesLimitGoesBackToReviewAndARefusedTokenMarksTheAccount() async throws {
        try await TestSocial.run { social in
            let long = String(repeating: "grip ", count: 110) + "https://client.example/shoes"
            let desk = Web2EngineTests.Desk([Self.mastodon(social)], body: long)
            let refused = try await SocialEngine(fetcher: social.fetcher).perform(Self.task(), tools: EngineTools(publishing: desk))
            guard case .gaveUp(let reason) = refused else {
                Issue.record("\(refused)")
                return
            }
            #expect(reason.contains("573 characters") && reason.contains("allows 500"), "\(reason)")
            #expect(desk.refused.withLockedValue { $0 } == [reason])
            #expect(social.statuses.isEmpty)

            let revoked = Web2EngineTests.Desk([Self.mastodon(social, token: "revoked")], body: Self.text)
            let waiting = try await SocialEngine(fetcher: social.fetcher).perform(Self.task(), tools: EngineTools(publishing: revoked))
            guard case .waiting(let why, _) = waiting else {
                Issue.record("\(waiting)")
                return
            }
            #expect(why.contains("The access token is invalid"))
            #expect(revoked.failed.withLockedValue { $0 } == [why])

            let badPassword = Web2EngineTests.Desk([Self.bluesky(social, password: "wrong")], body: Self.text)
            _ = try await SocialEngine(fetcher: social.fetcher).perform(Self.task(), tools: EngineTools(publishing: badPassword))
            #expect(badPassword.failed.withLockedValue { $0 }.first?.contains("Invalid identifier or password") == true)
        }
    }

    @Test func mastodonSayingNoneAreLeftHoldsTheAccountUntilItsReset() async throws {
        try await TestSocial.run { social in
            social.setRemaining(0)
            let holds = Holds()
            let outcome = try await SocialEngine(fetcher: social.fetcher).perform(
                Self.task(), tools: EngineTools(publishing: Web2EngineTests.Desk([Self.mastodon(social)], body: Self.text), actions: holds))
            guard case .done = outcome else {
                Issue.record("\(outcome)")
                return
            }
            let until = try #require(holds.until.withLockedValue { $0 }.first)
            #expect(until > Date().addingTimeInterval(500) && until < Date().addingTimeInterval(700), "the instance's reset, 10 minutes on")
        }
    }

    @Test func theConnectionTestSignsInToBothServices() async throws {
        try await TestSocial.run { social in
            let probe = AccountProbe(fetcher: social.fetcher)
            #expect(await probe.check(Self.mastodon(social)) == .signedIn(as: "@linkwright"))
            #expect(await probe.check(Self.bluesky(social)) == .signedIn(as: "@linkwright.test"))
            guard case .failed(.connectionBroken) = await probe.check(Self.bluesky(social, password: "wrong")) else {
                Issue.record("a wrong app password is a broken connection")
                return
            }
        }
    }
}
