import Foundation
import LinkwrightCore

/// A MediaWiki's Action API (`api.php`), signed in with a bot password (`User@app`, the only
/// kind `action=login` accepts), through the guarded fetcher. A session is its cookies, kept for
/// one publish: log in, take a CSRF token, edit.
///
/// Exactly once: pages are created with `createonly` and an edit summary naming the task's mark
/// (`PublishMarker`). When the title exists, the page's first revision tells whether an earlier
/// attempt of the same task made it (its summary carries the mark) — then that page is the
/// result — or someone else did, and the next title is tried.
public struct MediaWikiClient: Sendable {
    public struct Page: Sendable, Equatable {
        public let title: String
        public let url: String
    }

    let fetcher: Fetcher
    let api: String
    let username: String
    let password: String

    /// `wikiURL` is where the wiki's `api.php` is (`https://wiki.example` or `https://example.org/w`).
    public init(fetcher: Fetcher, wikiURL: String, username: String, botPassword: String) {
        self.fetcher = fetcher
        var root = PlatformURL.trimmed(wikiURL)
        if root.hasSuffix("/api.php") { root.removeLast("/api.php".count) }
        self.api = root + "/api.php"
        self.username = username
        self.password = botPassword
    }

    /// The signed-in user's name (`meta=userinfo`): the connection test.
    public func whoAmI() async throws(PublishFailure) -> String {
        var session = Session()
        try await login(&session)
        let reply = try await call(&session, ["action": "query", "meta": "userinfo"])
        return (reply["query"] as? [String: Any]).flatMap { $0["userinfo"] as? [String: Any] }?["name"] as? String ?? username
    }

    /// Creates a page with `wikitext` under the first free title of `titles`, or returns the page
    /// an earlier attempt with the same `mark` made.
    public func publish(titles: [String], wikitext: String, mark: String) async throws(PublishFailure) -> Page {
        var session = Session()
        try await login(&session)
        let tokens = try await call(&session, ["action": "query", "meta": "tokens"])
        guard let csrf = ((tokens["query"] as? [String: Any])?["tokens"] as? [String: Any])?["csrftoken"] as? String else {
            throw .retryLater("MediaWiki gave no edit token")
        }
        for title in titles {
            let reply = try await call(
                &session,
                ["action": "edit", "title": title, "text": wikitext, "summary": "Linkwright \(mark)", "createonly": "1", "token": csrf],
                post: true, allowError: true)
            if let edit = reply["edit"] as? [String: Any], edit["result"] as? String == "Success" {
                return try await page(&session, title: edit["title"] as? String ?? title)
            }
            let code = (reply["error"] as? [String: Any])?["code"] as? String ?? "unknown"
            let info = (reply["error"] as? [String: Any])?["info"] as? String ?? "the edit was not saved"
            switch code {
            case "articleexists":
                if try await createdWith(&session, title: title, mark: mark) { return try await page(&session, title: title) }
                continue
            case "badtoken", "ratelimited", "readonly", "maxlag": throw .retryLater("MediaWiki: \(info) (\(code))")
            case "permissiondenied", "protectedpage", "cantcreate", "blocked", "autoblocked", "mwoauth-invalid-authorization":
                throw .connectionBroken("MediaWiki does not let this account create the page: \(info) (\(code))")
            default: throw .contentRefused("MediaWiki refused the page: \(info) (\(code))")
            }
        }
        throw .contentRefused("every title tried is taken on the wiki: \(titles.joined(separator: ", "))")
    }

    // MARK: The session

    typealias Session = CookieJar

    func login(_ session: inout Session) async throws(PublishFailure) {
        let tokens = try await call(&session, ["action": "query", "meta": "tokens", "type": "login"])
        guard let token = ((tokens["query"] as? [String: Any])?["tokens"] as? [String: Any])?["logintoken"] as? String else {
            throw .retryLater("MediaWiki gave no login token")
        }
        let reply = try await call(&session, ["action": "login", "lgname": username, "lgpassword": password, "lgtoken": token], post: true)
        let login = reply["login"] as? [String: Any]
        guard login?["result"] as? String == "Success" else {
            let reason = login?["reason"] as? String ?? login?["result"] as? String ?? "no reason given"
            throw .connectionBroken("MediaWiki refused the bot password: \(reason) — reconnect the account with a valid bot password")
        }
    }

    func createdWith(_ session: inout Session, title: String, mark: String) async throws(PublishFailure) -> Bool {
        let reply = try await call(
            &session, ["action": "query", "prop": "revisions", "titles": title, "rvdir": "newer", "rvlimit": "1", "rvprop": "comment"])
        let pages = (reply["query"] as? [String: Any])?["pages"] as? [[String: Any]] ?? []
        let comment = (pages.first?["revisions"] as? [[String: Any]])?.first?["comment"] as? String ?? ""
        return comment.contains(mark)
    }

    func page(_ session: inout Session, title: String) async throws(PublishFailure) -> Page {
        let reply = try await call(&session, ["action": "query", "prop": "info", "inprop": "url", "titles": title])
        let pages = (reply["query"] as? [String: Any])?["pages"] as? [[String: Any]] ?? []
        guard let url = pages.first?["fullurl"] as? String else { throw .retryLater("MediaWiki did not say where \(title) is") }
        return Page(title: pages.first?["title"] as? String ?? title, url: url)
    }

    /// One API call (JSON, format version 2), its cookies kept. An API error is a failure unless
    /// `allowError`, for callers that sort its code themselves.
    func call(_ session: inout Session, _ parameters: [String: String], post: Bool = false, allowError: Bool = false)
        async throws(PublishFailure) -> [String: Any]
    {
        var fields = parameters
        fields["format"] = "json"
        fields["formatversion"] = "2"
        // The token last, as MediaWiki advises (a truncated request then lacks it and fails).
        let ordered = fields.filter { $0.key != "token" }.sorted { $0.key < $1.key } + fields.filter { $0.key == "token" }.map { ($0.key, $0.value) }
        let query = ordered.map { "\($0.0)=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if !session.cookies.isEmpty { headers.append(("Cookie", session.header)) }
        let page: FetchedPage
        do {
            if post {
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
                page = try await fetcher.send("POST", api, headers: headers, body: Array(query.utf8))
            } else {
                page = try await fetcher.send("GET", api + "?" + query, headers: headers)
            }
        } catch {
            throw .unreachable(error, "the wiki")
        }
        session.store(page)
        guard (200..<300).contains(page.status) else {
            if page.status == 404 { throw .gone("there is no MediaWiki API at \(api) (404)") }
            throw PublishFailure.classify(status: page.status, message: nil, retryAfter: page.header("retry-after").first, platform: "MediaWiki")
        }
        guard let reply = (try? JSONSerialization.jsonObject(with: Data(page.body))) as? [String: Any] else {
            throw .gone("\(api) did not answer as a MediaWiki API")
        }
        if !allowError, let error = reply["error"] as? [String: Any] {
            throw .retryLater("MediaWiki: \(error["info"] as? String ?? "an error") (\(error["code"] as? String ?? "unknown"))")
        }
        return reply
    }
}
