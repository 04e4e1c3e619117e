import Foundation
import LinkwrightEngines
import LinkwrightTestSupport
import Testing

/// The wikitext a draft becomes, and what the web 2.0 engine relies on against the real
/// MediaWiki `ops/test` starts.
@Suite struct MediaWikiClientTests {
    @Test func aDraftBecomesWikitextWithItsOneLinkAndNothingElseThatIsMarkup() {
        let html = """
            <h2>Breaking in</h2><p>Walk a week in them: see <a href="https://client.example/shoes">best <strong>running</strong> shoes</a>.</p>
            <ul><li>One [[Trap]] {{template}} ~~~~ and a bare https://other.example/x</li><li>'''bold''' __NOTOC__</li></ul>
            <p>* not a list</p><blockquote>Quoted <em>words</em></blockquote>
            """
        let wikitext = Wikitext.from(sanitizedHTML: HTMLSanitizer.sanitize(html))
        #expect(wikitext.hasPrefix("== Breaking in ==\n\n"))
        #expect(wikitext.contains("see [https://client.example/shoes best '''running''' shoes]."))
        #expect(
            wikitext.contains(
                "* One &#91;&#91;Trap&#93;&#93; &#123;&#123;template&#125;&#125; &#126;&#126;&#126;&#126; "
                    + "and a bare https&#58;//other.example/x\n"))
        #expect(wikitext.contains("* &#39;&#39;&#39;bold&#39;&#39;&#39; &#95;&#95;NOTOC&#95;&#95;\n"))
        #expect(wikitext.contains("&#42; not a list\n"))
        #expect(wikitext.contains("<blockquote>Quoted ''words''</blockquote>"))
        // Exactly one external link in the whole text: the draft's.
        #expect(wikitext.components(separatedBy: "[http").count == 2)
    }

    @Test func aPageIsCreatedOnceAndAnotherTasksPageOnATakenTitleGetsTheNextTitle() async throws {
        let wiki = try #require(TestMediaWiki.fromEnvironment(), Comment(rawValue: TestMediaWiki.missing))
        let client = wiki.client()
        #expect(try await client.whoAmI() == "Linkbot")
        // Accents, an ampersand and a plus survive the form encoding as written.
        let title = "Trail shoes: café & 10+ ways \(UUID().uuidString.prefix(8))"
        let text = "Walk a week in them — naïve runners too: see [https://client.example/shoes best running shoes].\n"
        let mark = PublishMarker.mark(forTask: "slot-\(UUID().uuidString)")
        let first = try await client.publish(titles: [title, "\(title) (2)"], wikitext: text, mark: mark)
        #expect(first.title == title)
        // The same task again: the page its first attempt made.
        #expect(try await client.publish(titles: [title, "\(title) (2)"], wikitext: text, mark: mark) == first)
        // Another task wanting the same title: the next one.
        let other = try await client.publish(titles: [title, "\(title) (2)"], wikitext: text, mark: PublishMarker.mark(forTask: "another"))
        #expect(other.title == "\(title) (2)")
        // MediaWiki marks external links nofollow: the page carries the link as verification expects.
        let page = String(decoding: try await wiki.fetcher.get(first.url).body, as: UTF8.self)
        #expect(page.contains(#"<a rel="nofollow" class="external text" href="https://client.example/shoes">best running shoes</a>"#))
        #expect(page.contains("naïve runners"))
    }

    @Test func aWrongBotPasswordIsABrokenConnectionInWordsAPersonActsOn() async throws {
        let wiki = try #require(TestMediaWiki.fromEnvironment(), Comment(rawValue: TestMediaWiki.missing))
        do {
            _ = try await wiki.client(password: "wrongwrongwrongwrongwrongwrong12").whoAmI()
            Issue.record("a wrong bot password signed in")
        } catch {
            guard case .connectionBroken(let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reason.contains("bot password") && reason.contains("reconnect"), "\(reason)")
        }
    }
}
