import Foundation
import LinkwrightCore
import NIOPosix

/// Reads the post a comment answers (or the topic a forum reply joins) so the draft responds to
/// what is actually there: through the guarded fetcher, only where robots.txt lets us, parsed
/// off the event loop.
public struct PostReader: Sendable {
    let fetcher: Fetcher
    let robots: RobotsCache
    let parsing: NIOThreadPool

    public init(fetcher: Fetcher, robots: RobotsCache, parsing: NIOThreadPool = .singleton) {
        self.fetcher = fetcher
        self.robots = robots
        self.parsing = parsing
    }

    /// Why a post could not be read, in words a person can act on.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public func read(_ url: String) async throws(Failure) -> ContentBrief.Context {
        let path = LinkChecker.pathAndQuery(url)
        guard await robots.robots(for: url).allows(path, agent: LinkChecker.ourAgent) else {
            throw Failure(description: "robots.txt does not allow \(LinkChecker.ourAgent) to read \(path)")
        }
        let page: FetchedPage
        do {
            page = try await fetcher.get(url)
        } catch {
            throw Failure(description: "could not read the post at \(url): \(error)")
        }
        guard (200..<300).contains(page.status) else { throw Failure(description: "the post at \(url) answers \(page.status)") }
        let contentType = page.header("content-type").first?.lowercased() ?? "text/html"
        guard contentType.contains("html") else { throw Failure(description: "the post at \(url) is \(contentType), not HTML") }
        let body = page.body
        guard let post = try? await parsing.runIfActive({ PostText.read(html: body) }), !post.text.isEmpty else {
            throw Failure(description: "the page at \(url) has no text to respond to")
        }
        return ContentBrief.Context(title: post.title, text: post.text)
    }
}
