import Foundation
import LinkwrightEngines
import LinkwrightTestSupport
import Testing

/// Against the real WordPress `ops/test` starts: what the web 2.0 engine relies on.
@Suite struct WordPressClientTests {
    @Test func anApplicationPasswordSignsInAsItsAuthor() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        #expect(try await wordpress.client().whoAmI() == wordpress.author)
        // A revoked or mistyped password: the connection is broken, in words a person acts on.
        await #expect(throws: PublishFailure.self) { try await wordpress.client(password: "aaaa bbbb cccc dddd eeee ffff").whoAmI() }
        do {
            _ = try await wordpress.client(password: "aaaa bbbb cccc dddd eeee ffff").whoAmI()
        } catch {
            guard case .connectionBroken(let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reason.contains("401") && reason.contains("reconnect"), "\(reason)")
        }
    }

    @Test func aPostIsPublishedOnceWhateverTheRetriesAndItsLinkIsOnThePublicPage() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let client = wordpress.client()
        let slug = PublishMarker.mark(forTask: "campaign:c:day:2026-12-02:slot:\(UUID().uuidString)")
        let html = #"<p>Trail shoes need a week of walking first. See <a href="https://client.example/shoes">best running shoes</a>.</p>"#
        let first = try await client.publish(title: "Breaking in trail shoes", html: html, slug: slug)
        #expect(first.status == "publish")
        #expect(first.slug == slug)
        // The same task again (a retry, a re-delivery after a crash): the same post, not another.
        let again = try await client.publish(title: "Breaking in trail shoes", html: html, slug: slug)
        #expect(again.id == first.id)
        // The public page carries the link as written (WordPress adds no rel to a post's links).
        let page = try await wordpress.fetcher.get(first.link)
        #expect(page.status == 200)
        #expect(String(decoding: page.body, as: UTF8.self).contains(#"<a href="https://client.example/shoes">best running shoes</a>"#))
    }

    @Test func aSiteWithoutWordPressIsGoneNotRetried() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let wrong = WordPressClient(fetcher: wordpress.fetcher, siteURL: wordpress.url + "/no-blog-here", username: "x", applicationPassword: "y")
        do {
            _ = try await wrong.whoAmI()
            Issue.record("a site without the REST API answered")
        } catch {
            guard case .gone = error else {
                Issue.record("\(error)")
                return
            }
        }
        // An address the guard refuses (another loopback port) is never contacted.
        let guarded = WordPressClient(fetcher: wordpress.fetcher, siteURL: "http://127.0.0.1:1", username: "x", applicationPassword: "y")
        do {
            _ = try await guarded.whoAmI()
            Issue.record("the guard let a request to another loopback port through")
        } catch {
            #expect(error.description.contains("is loopback"), "\(error)")
        }
    }
}
