import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightTestSupport
import NIOConcurrencyHelpers
import NIOPosix
import Testing

/// A comment answers the post it is left under: the engine reads the post and the prompt gets
/// its title and text, not the page's menus, sidebar or other people's comments.
@Suite struct PostReaderTests {
    static let post = """
        <header><nav><a href="/">Home</a> Menu of the blog</nav></header>
        <article>
          <h1>Breaking in new trail shoes</h1>
          <p>Most blisters come from the first long run in a stiff pair.</p>
          <ul><li>Walk in them for a week first.</li></ul>
          <script>var tracker = "hidden words";</script>
          <section id="comments"><p>Great post, visit my casino</p></section>
        </article>
        <aside><p>Sidebar: subscribe now</p></aside>
        <footer><p>Copyright footer</p></footer>
        """

    /// Remembers each prompt and writes a plain comment.
    final class Listener: ContentProvider {
        let name = "listener"
        let prompts = NIOLockedValueBox<[String]>([])
        func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply {
            prompts.withLockedValue { $0.append(prompt.user) }
            let text = "Breaking shoes in over a week worked for me too; the long run after that was the first without a single blister."
            return ProviderReply(text: text, tokensIn: 10, tokensOut: 20, model: "l-1")
        }
    }

    func reader(_ site: TestSite) -> PostReader {
        let fetcher = Fetcher(
            userAgent: Fetcher.userAgent(version: "test", homepage: "https://linkwright.test"), resolver: site.resolver, policy: site.policy)
        return PostReader(fetcher: fetcher, robots: RobotsCache(fetcher: fetcher, politeness: nil))
    }

    func task(pageURL: String) -> EngineTask {
        let payload = ContentTaskPayload(
            campaignID: UUID().uuidString, slotKey: "slot-1", engine: "comments", anchor: "trail shoes",
            targetURL: "https://client.example/shoes", keywords: ["trail shoes"], topic: "Trail shoes", pageURL: pageURL)
        return EngineTask(tenantID: UUID(), taskID: 1, engine: "content", attempt: 1, idempotencyKey: "k", payload: payload.json())
    }

    @Test func thePostsTitleAndTextAreReadWithoutMenusSidebarsScriptsOrComments() async throws {
        let post = PostText.read(html: Array("<html><head><title>Site title</title></head><body>\(Self.post)</body></html>".utf8))
        #expect(post.title == "Breaking in new trail shoes")
        #expect(post.text == "Most blisters come from the first long run in a stiff pair.\nWalk in them for a week first.")
        // Without <article> or <h1>, the body's text blocks and the document's title.
        let plain = PostText.read(html: Array("<title>Plain</title><p>One.</p><div><p>Two.</p></div>".utf8))
        #expect(plain.title == "Plain")
        #expect(plain.text == "One.\nTwo.")
    }

    @Test func aCommentDraftIsWrittenInAnswerToThePostItIsLeftUnder() async throws {
        try await TestSite.run { site in
            site.setPage("/blog/breaking-in", html: Self.post)
            let listener = Listener()
            let engine = ContentEngine(generator: ContentGenerator(providers: [listener]), reader: reader(site))
            let outcome = try await engine.perform(task(pageURL: site.url("/blog/breaking-in")), tools: EngineTools())
            guard case .done(let json, _) = outcome else {
                Issue.record("\(outcome)")
                return
            }
            #expect(try DraftResult(json: json).kind == "comment")
            let prompt = try #require(listener.prompts.withLockedValue { $0.first })
            #expect(prompt.contains("Title: Breaking in new trail shoes"))
            #expect(prompt.contains("Most blisters come from the first long run"))
            for absent in ["casino", "Sidebar", "Menu of the blog", "hidden words", "Copyright"] { #expect(!prompt.contains(absent), "\(absent)") }
        }
    }

    @Test func aPostRobotsTxtForbidsOrThatIsGoneFailsTheTaskWithTheReasonAndWritesNothing() async throws {
        try await TestSite.run { site in
            site.setPage("/private/post", html: Self.post)
            let listener = Listener()
            let engine = ContentEngine(generator: ContentGenerator(providers: [listener]), reader: reader(site))
            let blocked = try await engine.perform(task(pageURL: site.url("/private/post")), tools: EngineTools())
            #expect(blocked == .failed(reason: "robots.txt does not allow LinkwrightBot to read /private/post"))
            let gone = try await engine.perform(task(pageURL: site.url("/no-such-post")), tools: EngineTools())
            #expect(gone == .failed(reason: "the post at \(site.url("/no-such-post")) answers 404"))
            #expect(listener.prompts.withLockedValue { $0 }.isEmpty, "nothing was written for a page we may not or cannot read")
        }
    }
}
