import CGumbo
import Foundation
import LinkwrightCore
import NIOPosix

/// A django-machina forum through its own pages, as a member would use it: Django's sign-in form
/// (`/accounts/login/`, the CSRF token from the form and its cookie), the member profile form for
/// the signature (Markdown), and the board's "new topic" form. Pages are parsed off the event
/// loop. Exactly once: before starting a topic the board is read for a topic with the same
/// subject (a slot's subject is its draft's own heading or first sentence).
struct MachinaForum: ForumAdapter {
    let fetcher: Fetcher
    let board: String
    let origin: String
    /// machina's root (`/forum/` in the usual project): the board is `<root>forum/<slug>-<id>/`.
    let root: String
    let username: String
    let password: String
    let parsing: NIOThreadPool

    init(fetcher: Fetcher, boardURL: String, username: String, password: String, parsing: NIOThreadPool) {
        self.fetcher = fetcher
        self.board = PlatformURL.trimmed(boardURL) + "/"
        let components = URLComponents(string: boardURL)
        let port = components?.port.map { ":\($0)" } ?? ""
        self.origin = "\(components?.scheme ?? "https")://\(components?.host ?? "")\(port)"
        let path = components?.path ?? "/"
        if let range = path.range(of: "/forum/", options: .backwards), range.lowerBound > path.startIndex {
            self.root = origin + path[..<range.lowerBound] + "/"
        } else {
            self.root = origin + "/forum/"
        }
        self.username = username
        self.password = password
        self.parsing = parsing
    }

    func whoAmI() async throws(PublishFailure) -> String {
        var jar = CookieJar()
        try await signIn(&jar)
        return username
    }

    func ensureSignature(_ signature: String, carrying link: String) async throws(PublishFailure) -> Bool {
        var jar = CookieJar()
        try await signIn(&jar)
        let page = root + "member/profile/edit/"
        let (form, _) = try await form(at: page, with: "signature", &jar)
        if form.value("signature")?.contains(link) == true { return false }
        let answer = try await submit(form, form.filled(["signature": signature]), from: page, &jar)
        guard answer.status == 302 else { throw try await refusal(answer, doing: "update the profile's signature") }
        return true
    }

    func startTopic(subject: String, markdown: String) async throws(PublishFailure) -> (id: String, url: String) {
        var jar = CookieJar()
        try await signIn(&jar)
        if let existing = try await topic(titled: subject, &jar) { return existing }
        let page = board + "topic/create/"
        let (form, _) = try await form(at: page, with: "subject", &jar)
        var changes = ["subject": subject, "content": markdown, "topic_type": "0"]
        if form.names.contains("enable_signature") { changes["enable_signature"] = "on" }
        let answer = try await submit(form, form.filled(changes), from: page, &jar)
        guard answer.status == 302, let location = answer.header("location").first,
            let url = URL(string: location, relativeTo: URL(string: page))?.absoluteString
        else { throw try await refusal(answer, doing: "start the topic") }
        return (Self.topicID(url), url)
    }

    /// The topic on the board's first page whose title is `subject`.
    func topic(titled subject: String, _ jar: inout CookieJar) async throws(PublishFailure) -> (id: String, url: String)? {
        let page = try await get(board, &jar)
        guard page.status == 200 else { throw PublishFailure.classify(status: page.status, message: nil, retryAfter: nil, platform: "The forum") }
        let html = page.body
        let board = self.board
        let href = (try? await parsing.runIfActive { TopicLinks.find(subject, in: html, pageURL: board) }) ?? nil
        return href.map { (Self.topicID($0), $0) }
    }

    func signIn(_ jar: inout CookieJar) async throws(PublishFailure) {
        let page = origin + "/accounts/login/"
        let (form, _) = try await form(at: page, with: "password", &jar)
        let answer = try await submit(form, form.filled(["username": username, "password": password]), from: page, &jar)
        guard answer.status == 302 else {
            let errors = try await read(answer).errors
            let said = errors.first.map { ": \($0)" } ?? ""
            throw .connectionBroken("the forum refused the sign-in (\(answer.status))\(said) — check the user name and password")
        }
    }

    /// The form on `page` that has the field `field`; a CAPTCHA is a reason for a person.
    func form(at page: String, with field: String, _ jar: inout CookieJar) async throws(PublishFailure) -> (HTMLForm, [String]) {
        let answer = try await get(page, &jar)
        if answer.status == 404 { throw .gone("the forum has no page at \(page) (404): is this a django-machina board?") }
        if (300..<400).contains(answer.status) { throw .connectionBroken("the forum sent the account away from \(page): it may not post there") }
        guard answer.status == 200 else {
            throw PublishFailure.classify(status: answer.status, message: nil, retryAfter: answer.header("retry-after").first, platform: "The forum")
        }
        let (forms, errors) = try await read(answer)
        guard let form = forms.first(where: { $0.names.contains(field) }) else {
            throw .gone("the forum's page \(page) has no form with \(field)")
        }
        if form.asksForCaptcha { throw .gone("the forum asks for a CAPTCHA at \(page); Linkwright does not solve them") }
        return (form, errors)
    }

    func submit(_ form: HTMLForm, _ fields: [CommentForm.Field], from page: String, _ jar: inout CookieJar) async throws(PublishFailure)
        -> FetchedPage
    {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded"), ("Referer", page)]
        if !jar.cookies.isEmpty { headers.append(("Cookie", jar.header)) }
        let answer: FetchedPage
        do {
            answer = try await fetcher.send("POST", form.action, headers: headers, body: Array(CommentForm.encode(fields).utf8))
        } catch {
            throw .unreachable(error, "the forum")
        }
        jar.store(answer)
        return answer
    }

    func get(_ url: String, _ jar: inout CookieJar) async throws(PublishFailure) -> FetchedPage {
        let answer: FetchedPage
        do {
            answer = try await fetcher.send("GET", url, headers: jar.cookies.isEmpty ? [] : [("Cookie", jar.header)])
        } catch {
            throw .unreachable(error, "the forum")
        }
        jar.store(answer)
        return answer
    }

    func read(_ page: FetchedPage) async throws(PublishFailure) -> (forms: [HTMLForm], errors: [String]) {
        let html = page.body
        let url = page.finalURL
        guard let read = try? await parsing.runIfActive({ HTMLForm.read(html: html, pageURL: url) }) else {
            throw .retryLater("the forum's page could not be read")
        }
        return read
    }

    /// What the forum said when it did not take a form.
    func refusal(_ answer: FetchedPage, doing what: String) async throws(PublishFailure) -> PublishFailure {
        switch answer.status {
        case 200:
            let errors = try await read(answer).errors
            return .contentRefused("the forum would not \(what): \(errors.isEmpty ? "the form came back" : errors.joined(separator: "; "))")
        case 403: return .connectionBroken("the forum does not let this account \(what) (403)")
        default:
            return PublishFailure.classify(status: answer.status, message: nil, retryAfter: answer.header("retry-after").first, platform: "The forum")
        }
    }

    /// machina's topic addresses end `topic/<slug>-<id>/`.
    static func topicID(_ url: String) -> String {
        let path = URLComponents(string: url)?.path ?? url
        return path.split(separator: "/").last.map(String.init) ?? url
    }
}

/// Links to topics on a board page.
enum TopicLinks {
    /// The address of the topic link whose text is `subject`. CPU-bound.
    static func find(_ subject: String, in html: [UInt8], pageURL: String) -> String? {
        var found: String?
        Gumbo.withDocument(html) { root in
            var links: [UnsafeMutablePointer<GumboNode>] = []
            CommentForm.elements(GUMBO_TAG_A, in: root, into: &links)
            for link in links {
                guard let href = PageAnalysis.attribute(link, "href"), href.contains("/topic/"),
                    PageAnalysis.collapse(PageAnalysis.text(of: link)) == PageAnalysis.collapse(subject)
                else { continue }
                found = URL(string: href, relativeTo: URL(string: pageURL))?.absoluteString
                return
            }
        }
        return found
    }
}
