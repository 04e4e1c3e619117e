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

    /// The same WordPress asked for as `norest.test`, where a must-use plugin turns its REST API
    /// off as plugins do (`rest_disabled`): the client publishes through XML-RPC instead, with
    /// the same application password and the same exactly-once slug.
    @Test func aSiteWithItsRESTAPITurnedOffIsPublishedToThroughXMLRPCOnce() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let port = try #require(URLComponents(string: wordpress.url)?.port)
        let fetcher = Fetcher(
            userAgent: "LinkwrightBot/test", resolver: StaticResolver(["norest.test": [IPAddress("127.0.0.1")!]]),
            policy: AddressPolicy(exempt: [AddressPolicy.Endpoint(address: IPAddress("127.0.0.1")!, port: port)]))
        let site = "http://norest.test:\(port)"
        let rest = try await fetcher.send("GET", site + "/wp-json/wp/v2/posts")
        #expect(rest.status == 403, "the REST API is off on this name")
        let client = WordPressClient(fetcher: fetcher, siteURL: site, username: wordpress.author, applicationPassword: wordpress.authorPassword)
        #expect(try await client.whoAmI() == wordpress.author)
        let slug = PublishMarker.mark(forTask: "campaign:c:day:2026-12-02:slot:\(UUID().uuidString)")
        let html = #"<p>Over XML-RPC &amp; still one link: <a href="https://client.example/xmlrpc">trail shoes</a>.</p>"#
        let first = try await client.publish(title: "Trail shoes <over> XML-RPC", html: html, slug: slug)
        let again = try await client.publish(title: "Trail shoes <over> XML-RPC", html: html, slug: slug)
        #expect(first == again, "a repeat finds the post by its slug")
        #expect(first.slug == slug && first.status == "publish")
        let page = String(decoding: try await wordpress.fetcher.get(first.link).body, as: UTF8.self)
        #expect(page.contains(#"<a href="https://client.example/xmlrpc">trail shoes</a>"#))
        #expect(page.contains("Over XML-RPC &amp; still one link"), "the XML escaping carried the text as written")
        // A wrong password over XML-RPC is a broken connection too.
        let wrong = WordPressClient(fetcher: fetcher, siteURL: site, username: wordpress.author, applicationPassword: "aaaa bbbb cccc dddd")
        do {
            _ = try await wrong.publish(title: "x", html: "<p>x</p>", slug: slug + "-wrong")
            Issue.record("published with a wrong password")
        } catch {
            guard case .connectionBroken(let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reason.contains("XML-RPC") && reason.contains("403"), "\(reason)")
        }
    }
}
