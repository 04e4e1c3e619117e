import Foundation
import LinkwrightCore

/// A Discourse forum through its documented REST API, signed with the `Api-Key` and
/// `Api-Username` headers (a user API key the forum's admin issued for the tenant's member
/// account). The board is a category (`/c/<slug>/<id>`); the profile's website carries the link
/// (Discourse has no signatures); a topic is `POST /posts.json` with a title, the Markdown and the
/// category. Exactly once: the category's topic list is read for the title first (Discourse
/// itself also refuses a second topic with a title already used).
struct DiscourseForum: ForumAdapter {
    let fetcher: Fetcher
    let origin: String
    let categorySlug: String
    let categoryID: Int
    let username: String
    let key: String

    /// Discourse marks links in posts `nofollow ugc` (unless the forum trusts the poster).
    static let expectedRel = "nofollow ugc"

    /// The category a board address names: `…/c/<slug>/<id>` (or `…/c/<parent>/<slug>/<id>`).
    static func category(of boardURL: String) -> (origin: String, slug: String, id: Int)? {
        guard let components = URLComponents(string: boardURL), let host = components.host else { return nil }
        let parts = components.path.split(separator: "/").map(String.init)
        guard let c = parts.firstIndex(of: "c"), parts.count >= c + 3, let id = Int(parts[parts.count - 1]) else { return nil }
        let port = components.port.map { ":\($0)" } ?? ""
        return ("\(components.scheme ?? "https")://\(host)\(port)", parts[parts.count - 2], id)
    }

    func whoAmI() async throws(PublishFailure) -> String {
        struct Current: Decodable {
            struct User: Decodable { let username: String }
            let currentUser: User
            enum CodingKeys: String, CodingKey { case currentUser = "current_user" }
        }
        let current: Current = try await call("GET", "/session/current.json")
        return current.currentUser.username
    }

    func ensureSignature(_ signature: String, carrying link: String) async throws(PublishFailure) -> Bool {
        struct Profile: Decodable {
            struct User: Decodable { let website: String? }
            let user: User
        }
        let path = "/u/\(FormEncoding.encode(username)).json"
        let profile: Profile = try await call("GET", path)
        if profile.user.website == link { return false }
        struct Updated: Decodable {}
        let _: Updated = try await call("PUT", path, json: ["website": link])
        return true
    }

    func startTopic(subject: String, markdown: String) async throws(PublishFailure) -> (id: String, url: String) {
        struct List: Decodable {
            struct Topics: Decodable {
                struct Topic: Decodable {
                    let id: Int
                    let title: String
                    let slug: String
                }
                let topics: [Topic]
            }
            let topicList: Topics
            enum CodingKeys: String, CodingKey { case topicList = "topic_list" }
        }
        let list: List = try await call("GET", "/c/\(categorySlug)/\(categoryID).json")
        if let topic = list.topicList.topics.first(where: { $0.title == subject }) {
            return (String(topic.id), "\(origin)/t/\(topic.slug)/\(topic.id)")
        }
        struct Created: Decodable {
            let topicID: Int
            let topicSlug: String
            enum CodingKeys: String, CodingKey {
                case topicID = "topic_id"
                case topicSlug = "topic_slug"
            }
        }
        let created: Created = try await call("POST", "/posts.json", json: ["title": subject, "raw": markdown, "category": categoryID])
        return (String(created.topicID), "\(origin)/t/\(created.topicSlug)/\(created.topicID)")
    }

    /// Discourse's error body: `{"errors": ["…"], "error_type": "invalid_access"}`.
    struct ErrorBody: Decodable {
        let errors: [String]?
        let errorType: String?
        enum CodingKeys: String, CodingKey {
            case errors
            case errorType = "error_type"
        }
    }

    func call<Reply: Decodable>(_ method: String, _ path: String, json: [String: Any]? = nil) async throws(PublishFailure) -> Reply {
        var headers: [(name: String, value: String)] = [("Api-Key", key), ("Api-Username", username), ("Accept", "application/json")]
        let body = json.map { Array((try? JSONSerialization.data(withJSONObject: $0)) ?? Data()) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let page: FetchedPage
        do {
            page = try await fetcher.send(method, origin + path, headers: headers, body: body)
        } catch {
            throw .unreachable(error, "the Discourse forum")
        }
        guard (200..<300).contains(page.status) else {
            let error = try? JSONDecoder().decode(ErrorBody.self, from: Data(page.body))
            let said = error?.errors?.joined(separator: "; ")
            if error?.errorType == "invalid_access" || page.status == 403 {
                throw .connectionBroken("Discourse refused the API key (\(page.status))\(said.map { ": \($0)" } ?? "") — issue a new one")
            }
            if page.status == 404, said == nil { throw .gone("there is no Discourse category at \(origin)/c/\(categorySlug)/\(categoryID)") }
            throw PublishFailure.classify(status: page.status, message: said, retryAfter: page.header("retry-after").first, platform: "Discourse")
        }
        do {
            return try JSONDecoder().decode(Reply.self, from: Data(page.body))
        } catch {
            throw .retryLater("Discourse answered \(path) with a body that is not what its API returns")
        }
    }
}
