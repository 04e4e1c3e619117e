import Foundation
import LinkwrightCore

/// A Bluesky post's page (`https://bsky.app/profile/<actor>/post/<rkey>`) is drawn by JavaScript:
/// read as HTML it never shows its link. Such a placement is checked through the Bluesky AppView's
/// public API instead (`app.bsky.feed.getPosts`): the post's record and its link facets, which is
/// what the app draws the link from.
struct BlueskyPostCheck: Sendable {
    let fetcher: Fetcher
    /// The AppView's public API: `https://public.api.bsky.app` for the Bluesky network.
    let api: String

    /// The post's AT URI when `url` is a Bluesky post's address.
    static func atURI(_ url: String) -> String? {
        guard let components = URLComponents(string: url), components.host?.lowercased() == "bsky.app" else { return nil }
        let parts = components.path.split(separator: "/").map(String.init)
        guard parts.count == 4, parts[0] == "profile", parts[2] == "post", !parts[1].isEmpty, !parts[3].isEmpty else { return nil }
        return "at://\(parts[1])/app.bsky.feed.post/\(parts[3])"
    }

    func check(_ uri: String, target: LinkURL, request: LinkCheckRequest, into result: inout LinkCheckResult) async {
        let query = "uris=" + (uri.addingPercentEncoding(withAllowedCharacters: FormEncoding.allowed) ?? uri)
        let page: FetchedPage
        do {
            page = try await fetcher.send("GET", "\(api)/xrpc/app.bsky.feed.getPosts?\(query)", headers: [("Accept", "application/json")])
        } catch {
            result.detail = "could not ask Bluesky for the post: \(error)"
            return
        }
        result.httpStatus = page.status
        result.finalURL = request.sourceURL
        result.responseTimeMS = Int(page.elapsed.inMilliseconds)
        guard page.status == 200 else {
            result.detail = "Bluesky answered \(page.status) for the post"
            return
        }
        struct Posts: Decodable {
            struct Post: Decodable {
                struct Record: Decodable {
                    struct Facet: Decodable {
                        struct Index: Decodable {
                            let byteStart: Int
                            let byteEnd: Int
                        }
                        struct Feature: Decodable { let uri: String? }
                        let index: Index
                        let features: [Feature]
                    }
                    let text: String
                    let facets: [Facet]?
                }
                let record: Record
            }
            let posts: [Post]
        }
        guard let answer = try? JSONDecoder().decode(Posts.self, from: Data(page.body)) else {
            result.detail = "Bluesky's answer for the post is not what its API returns"
            return
        }
        guard let post = answer.posts.first else {
            result.state = .sourceGone
            result.detail = "the post is gone from Bluesky"
            return
        }
        let bytes = Array(post.record.text.utf8)
        for facet in post.record.facets ?? [] {
            for feature in facet.features where feature.uri.flatMap({ LinkURL($0, equivalence: request.equivalence) }) == target {
                result.linkFound = true
                let range = facet.index.byteStart..<facet.index.byteEnd
                if range.lowerBound >= 0, range.upperBound <= bytes.count { result.anchorText = String(decoding: bytes[range], as: UTF8.self) }
                // Bluesky's app opens links with `noopener noreferrer` and no nofollow.
                result.rel = ["follow"]
                result.indexable = true
                result.state = .live
                result.detail = "the post links to the target (a link facet of its record)"
                return
            }
        }
        result.state = .missing
        result.detail = "the post has no link facet to the target"
    }
}
