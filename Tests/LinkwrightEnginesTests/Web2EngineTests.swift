import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightTestSupport
import NIOConcurrencyHelpers
import Testing

/// The web 2.0 engine against the real WordPress and MediaWiki, with a desk standing in for the
/// store (the runtime's own desk is tested end to end in the server's tests).
@Suite struct Web2EngineTests {
    final class Desk: PublishingDesk {
        let accounts: [ConnectedAccount]
        let body: String?
        let failed = NIOLockedValueBox<[String]>([])
        let refused = NIOLockedValueBox<[String]>([])
        init(_ accounts: [ConnectedAccount], body: String? = nil) {
            self.accounts = accounts
            self.body = body
        }
        func approvedDraft(tenantID: UUID, id: UUID) async throws -> ApprovedDraft? {
            if let body { return ApprovedDraft(id: id, body: body, topic: "Trail shoes") }
            return ApprovedDraft(
                id: id,
                body:
                    #"<h2>Breaking in trail shoes</h2><p>Walk a week first: see <a href="https://client.example/shoes">best running shoes</a>.</p>"#,
                topic: "Trail shoes")
        }
        func account(tenantID: UUID, platforms: [ConnectionPlatform], ownedOnly: Bool, spreadKey: String) async throws -> ConnectedAccount? {
            accounts.first { platforms.contains($0.platform) }
        }
        func accountFailed(tenantID: UUID, id: UUID, reason: String) async throws { failed.withLockedValue { $0.append(reason) } }
        func draftRefused(tenantID: UUID, draftID: UUID, taskID: Int64, reason: String) async throws {
            refused.withLockedValue { $0.append(reason) }
        }
        func placementAllowance(tenantID: UUID, taskID: Int64) async throws -> (left: Int, limit: Int, resetsAt: Date) { (1000, 1000, Date()) }
        let claims = NIOLockedValueBox<[String: String]>([:])
        func claimPost(tenantID: UUID, pageURL: String, slotKey: String) async throws -> Bool {
            claims.withLockedValue { claims in
                if claims[pageURL] == nil { claims[pageURL] = slotKey }
                return claims[pageURL] == slotKey
            }
        }
    }

    static func task(_ key: String) -> EngineTask {
        let payload = PublishTaskPayload(
            draftID: UUID(), anchorText: "best running shoes", targetURL: "https://client.example/shoes", ownedConnectionsOnly: false)
        return EngineTask(tenantID: UUID(), taskID: 7, engine: "web2", attempt: 1, idempotencyKey: key, payload: payload.json())
    }

    /// A worker that dies after the platform answered and before the completion was written:
    /// the task runs again elsewhere. Each platform must end up with one post, not two.
    @Test func aTaskRunAgainAfterALostCompletionPublishesNothingTwice() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let wiki = try #require(TestMediaWiki.fromEnvironment(), Comment(rawValue: TestMediaWiki.missing))
        let accounts = [
            ConnectedAccount(id: UUID(), platform: .wordpress, baseURL: wordpress.url, username: wordpress.author, secret: wordpress.authorPassword),
            ConnectedAccount(id: UUID(), platform: .mediawiki, baseURL: wiki.url, username: wiki.botUser, secret: wiki.botPassword),
        ]
        for account in accounts {
            let engine = Web2Engine(fetcher: .exempting(wordpress.url, wiki.url))
            let tools = EngineTools(publishing: Desk([account]))
            let task = Self.task("campaign:c:day:2026-12-02:slot:\(UUID().uuidString)")
            let first = try await engine.perform(task, tools: tools)
            let second = try await engine.perform(task, tools: tools)  // the first completion was lost
            guard case .done(let one, _) = first, case .done(let two, _) = second else {
                Issue.record("\(account.platform): \(first) / \(second)")
                continue
            }
            #expect(try PublishResult(json: one).sourceURL == PublishResult(json: two).sourceURL, "\(account.platform)")
            #expect(try PublishResult(json: one).platformID == PublishResult(json: two).platformID, "\(account.platform)")
        }
        // And WordPress holds exactly one post with the task's mark.
        let task = Self.task("campaign:c:day:2026-12-02:slot:\(UUID().uuidString)")
        let engine = Web2Engine(fetcher: .exempting(wordpress.url))
        for _ in 0..<3 { _ = try await engine.perform(task, tools: EngineTools(publishing: Desk([accounts[0]]))) }
        // (A second post would have got the slug with "-2" or "-3": WordPress keeps slugs unique.)
        let mark = PublishMarker.mark(forTask: task.idempotencyKey)
        let found = try await wordpress.fetcher.send("GET", wordpress.url + "/wp-json/wp/v2/posts?slug=\(mark),\(mark)-2,\(mark)-3&_fields=id,slug")
        let posts = try JSONSerialization.jsonObject(with: Data(found.body)) as? [[String: Any]] ?? []
        #expect(posts.map { $0["slug"] as? String } == [mark])
    }

    final class Outcomes: PublishObserver {
        let seen = NIOLockedValueBox<[String]>([])
        func attempted(engine: String, platform: ConnectionPlatform, outcome: String, duration: Duration) {
            seen.withLockedValue { $0.append("\(engine)/\(platform.rawValue)/\(outcome)") }
        }
        func limitWaited(platform: ConnectionPlatform, action: AccountAction, window: String) {
            seen.withLockedValue { $0.append("limit/\(platform.rawValue)/\(action.rawValue)/\(window)") }
        }
    }

    /// An account whose limit is used up: the engine does not touch the platform (this site
    /// does not exist, and no failure says it tried) and the slot waits for the window.
    @Test func anAccountOverItsLimitWaitsWithoutTouchingThePlatformAndOperatorsSeeIt() async throws {
        struct HourUsedUp: ActionLimiter {
            func take(_ action: AccountAction, connectionID: UUID, limit: ActionLimit, spacing: Duration) async -> ActionDecision {
                ActionDecision(refusal: .hour, retryAfter: .seconds(1200))
            }
            func hold(connectionID: UUID, until: Date) async {}
            func usage(connectionID: UUID, actions: [AccountAction]) async -> ActionUsage {
                ActionUsage(counts: [:], hourResetsAt: Date(), dayResetsAt: Date(), nextActionAt: nil)
            }
        }
        let desk = Desk([ConnectedAccount(id: UUID(), platform: .wordpress, baseURL: "http://127.0.0.1:1", username: "a", secret: "b")])
        let outcomes = Outcomes()
        let outcome = try await Web2Engine(fetcher: .exempting("http://127.0.0.1:1"), observer: outcomes).perform(
            Self.task("k-\(UUID().uuidString)"), tools: EngineTools(publishing: desk, actions: HourUsedUp()))
        guard case .waiting(let reason, let wait) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(reason.contains("limit of 10 publish actions an hour"), "the platform's default, 10 an hour")
        #expect(wait == .seconds(1200), "until the hour starts again")
        #expect(outcomes.seen.withLockedValue { $0 } == ["limit/wordpress/publish/hour"])
    }

    @Test func aRefusedAccountIsReportedToTheDeskAndTheSlotWaitsForItsRepair() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let desk = Desk([
            ConnectedAccount(id: UUID(), platform: .wordpress, baseURL: wordpress.url, username: wordpress.author, secret: "nope nope nope")
        ])
        let outcomes = Outcomes()
        let outcome = try await Web2Engine(fetcher: wordpress.fetcher, observer: outcomes).perform(
            Self.task("k-\(UUID().uuidString)"), tools: EngineTools(publishing: desk))
        // The slot waits for the account to be repaired instead of using up its attempts.
        guard case .waiting(let reason, let wait) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(reason.contains("reconnect"))
        #expect(wait == Web2Engine.accountWait)
        #expect(desk.failed.withLockedValue { $0 } == [reason])
        // Operators see it by platform and outcome; a working account's publish counts as published.
        #expect(outcomes.seen.withLockedValue { $0 } == ["web2/wordpress/connection_broken"])
        let working = Desk([
            ConnectedAccount(id: UUID(), platform: .wordpress, baseURL: wordpress.url, username: wordpress.author, secret: wordpress.authorPassword)
        ])
        _ = try await Web2Engine(fetcher: wordpress.fetcher, observer: outcomes).perform(
            Self.task("k-\(UUID().uuidString)"), tools: EngineTools(publishing: working))
        #expect(outcomes.seen.withLockedValue { $0 }.last == "web2/wordpress/published")
    }

    @Test func aSiteWithoutWordPressEndsTheSlotWithTheReasonInsteadOfRetrying() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let desk = Desk([
            ConnectedAccount(id: UUID(), platform: .wordpress, baseURL: wordpress.url + "/no-blog-here", username: "a", secret: "b")
        ])
        let outcome = try await Web2Engine(fetcher: wordpress.fetcher).perform(
            Self.task("k-\(UUID().uuidString)"), tools: EngineTools(publishing: desk))
        guard case .gaveUp(let reason) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(reason.contains("REST API"), "\(reason)")
        #expect(desk.failed.withLockedValue { $0 }.isEmpty, "the account is not blamed for a missing site")
    }

    @Test func contentThePlatformRefusesGoesBackToReviewWithItsMessage() async throws {
        let wiki = try #require(TestMediaWiki.fromEnvironment(), Comment(rawValue: TestMediaWiki.missing))
        let desk = Desk(
            [ConnectedAccount(id: UUID(), platform: .mediawiki, baseURL: wiki.url, username: wiki.botUser, secret: wiki.botPassword)],
            body: #"<h2>Spam \#(UUID().uuidString.prefix(6))</h2><p>linkwright-test-spam <a href="https://client.example/shoes">shoes</a></p>"#)
        let outcome = try await Web2Engine(fetcher: wiki.fetcher).perform(Self.task("k-\(UUID().uuidString)"), tools: EngineTools(publishing: desk))
        guard case .gaveUp(let reason) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(reason.contains("MediaWiki refused the page"), "\(reason)")
        #expect(desk.refused.withLockedValue { $0 } == [reason], "the draft goes back to a person with the wiki's words")
        #expect(desk.failed.withLockedValue { $0 }.isEmpty)
    }
}
