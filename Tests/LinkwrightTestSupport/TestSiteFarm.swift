import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightEngines
import NIOConcurrencyHelpers
import NIOCore

/// Many web sites on one loopback port, told apart by the Host header, each a hostname the farm's
/// resolver answers with 127.0.0.1 (a name it does not know fails to resolve, as a dead domain
/// does). Beside them, a stand-in for ScrapingBee's API on the same port (`/api/v1/`), speaking
/// its request and response format: `api_key`, `url` and `render_js`; the target's page, its
/// status in `Spb-initial-status-code` and the credits in `Spb-cost` (1, or 5 rendered); 401
/// with a JSON `message` for a wrong key, 429 past its concurrency, 500 for a target it cannot
/// reach (not charged). A page drawn by JavaScript is empty unless the stand-in renders it.
public struct TestSiteFarm: Sendable {
    public static let apiKey = "bee-test-key"
    public let port: Int
    let state: NIOLockedValueBox<FarmState>

    /// One page of a site.
    public struct Page: Sendable {
        public var status: Int
        public var html: String
        /// What a browser shows once the page's JavaScript ran (nil: the same as `html`).
        public var rendered: String?
        public var headers: [(String, String)]

        public init(status: Int = 200, html: String, rendered: String? = nil, headers: [(String, String)] = []) {
            self.status = status
            self.html = html
            self.rendered = rendered
            self.headers = headers
        }

        /// A page whose text exists only after its JavaScript runs.
        public static func javascriptOnly(_ body: String) -> Page {
            Page(
                html: #"<html><body><div id="root"></div><script src="/app.js"></script></body></html>"#,
                rendered: "<html><body>\(body)</body></html>")
        }
    }

    public struct Site: Sendable {
        public var pages: [String: Page]
        public var robots: String?
        /// Raw bytes served for a path (sitemaps, gzipped or not).
        public var files: [String: [UInt8]]
        /// Direct requests from this farm's crawler are refused with this status (a bot wall);
        /// the premium stand-in still gets the page.
        public var blockDirect: Int?

        public init(pages: [String: Page], robots: String? = nil, files: [String: [UInt8]] = [:], blockDirect: Int? = nil) {
            self.pages = pages
            self.robots = robots
            self.files = files
            self.blockDirect = blockDirect
        }
    }

    struct FarmState {
        var sites: [String: Site] = [:]
        var requests: [String: Int] = [:]
        var premiumRequests: [(url: String, renderJS: Bool)] = []
        /// The stand-in answers 429 to this many requests before serving.
        var premiumBusy = 0
        var premiumInFlight = 0
        var premiumPeak = 0
        var premiumDelay: Duration = .zero
        /// How long every site takes to answer (a slow web, so work is in flight when a test wants it).
        var delay: Duration = .zero
    }

    public var origin: String { "http://127.0.0.1:\(port)" }

    /// Where the crawler finds a domain: its name on this port.
    public var origins: @Sendable (String) -> [String] {
        let port = port
        return { ["http://\($0):\(port)"] }
    }

    /// Resolves every site of the farm (as it is now) to loopback; anything else fails.
    public var resolver: FarmResolver { FarmResolver(state: state) }

    /// The guard stays on: only the farm's port on loopback is exempt.
    public var fetcher: Fetcher {
        Fetcher(
            userAgent: Fetcher.userAgent(version: "test", homepage: "https://linkwright.test"), resolver: resolver,
            policy: AddressPolicy(exempt: [AddressPolicy.Endpoint(address: IPAddress("127.0.0.1")!, port: port)]))
    }

    public func add(_ domain: String, _ site: Site) { state.withLockedValue { $0.sites[domain] = site } }
    public func requests(to domain: String) -> Int { state.withLockedValue { $0.requests[domain] ?? 0 } }
    public var premiumRequests: [(url: String, renderJS: Bool)] { state.withLockedValue { $0.premiumRequests } }
    public var premiumPeak: Int { state.withLockedValue { $0.premiumPeak } }
    public func premiumBusy(_ count: Int) { state.withLockedValue { $0.premiumBusy = count } }
    public func premiumDelay(_ delay: Duration) { state.withLockedValue { $0.premiumDelay = delay } }
    public func delay(_ delay: Duration) { state.withLockedValue { $0.delay = delay } }

    /// A site of `count` pages: the homepage links to every page, every page mentions `text`;
    /// `sitemap` lists them all.
    public static func site(pages count: Int, text: String = "Widgets and gadgets", sitemap: Bool = true, origin: String) -> Site {
        var pages: [String: Page] = [:]
        let links = (1..<max(count, 1)).map { #"<a href="/p\#($0)">page \#($0)</a>"# }.joined(separator: " ")
        pages["/"] = Page(html: "<html><body><h1>Home</h1><p>\(text)</p><nav>\(links)</nav></body></html>")
        for index in 1..<max(count, 1) {
            pages["/p\(index)"] = Page(html: "<html><body><h1>Page \(index)</h1><p>\(text) on page \(index).</p></body></html>")
        }
        var files: [String: [UInt8]] = [:]
        if sitemap {
            let urls = pages.keys.sorted().map { "<url><loc>\(origin)\($0)</loc></url>" }.joined()
            files["/sitemap.xml"] = Array(#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\#(urls)</urlset>"#.utf8)
        }
        return Site(pages: pages, files: files)
    }

    public static func run<R: Sendable>(_ body: @Sendable (TestSiteFarm) async throws -> R) async throws -> R {
        let portBox = AsyncStream<Int>.makeStream()
        let state = NIOLockedValueBox(FarmState())
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let host = request.head.authority.map { String($0.prefix { $0 != ":" }).lowercased() } ?? ""
            if request.uri.path == "/api/v1/" || request.uri.path == "/api/v1" { return try await premium(request, state: state) }
            guard
                let site = state.withLockedValue({ state -> Site? in
                    state.requests[host, default: 0] += 1
                    return state.sites[host]
                })
            else { return Response(status: .notFound) }
            return serve(site, path: request.uri.path, direct: true, renderJS: false).response
        }
        router.get("/", use: handler)
        router.get("**", use: handler)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portBox.continuation.yield(channel.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var ports = portBox.stream.makeAsyncIterator()
            let port = await ports.next() ?? 0
            let result = try await body(TestSiteFarm(port: port, state: state))
            group.cancelAll()
            return result
        }
    }

    struct Served {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
        var response: Response {
            var fields = HTTPFields()
            for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    static func serve(_ site: Site, path: String, direct: Bool, renderJS: Bool) -> Served {
        if path == "/robots.txt" {
            guard let robots = site.robots else { return Served(status: 404, headers: [], body: []) }
            return Served(status: 200, headers: [("Content-Type", "text/plain")], body: Array(robots.utf8))
        }
        if let file = site.files[path] { return Served(status: 200, headers: [("Content-Type", "application/xml")], body: file) }
        if direct, let blocked = site.blockDirect {
            return Served(status: blocked, headers: [("Content-Type", "text/html")], body: Array("<html><body>Access denied</body></html>".utf8))
        }
        guard let page = site.pages[path] else { return Served(status: 404, headers: [("Content-Type", "text/html")], body: Array("not found".utf8)) }
        let html = renderJS ? (page.rendered ?? page.html) : page.html
        return Served(status: page.status, headers: [("Content-Type", "text/html; charset=utf-8")] + page.headers, body: Array(html.utf8))
    }

    static func premium(_ request: Request, state: NIOLockedValueBox<FarmState>) async throws -> Response {
        let query = request.uri.queryParameters
        func json(_ status: HTTPResponse.Status, _ message: String) -> Response {
            Response(
                status: status, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"message": "\#(message)"}"#)))
        }
        guard query["api_key"].map(String.init) == apiKey else { return json(.unauthorized, "Invalid API key, please check your API key.") }
        guard let target = query["url"].map(String.init), let components = URLComponents(string: target), let host = components.host else {
            return json(.badRequest, "url parameter is missing or invalid")
        }
        let renderJS = query["render_js"].map { $0 != "false" } ?? true  // ScrapingBee renders unless told not to
        let (busy, site, delay) = state.withLockedValue { state -> (Bool, Site?, Duration) in
            if state.premiumBusy > 0 {
                state.premiumBusy -= 1
                return (true, nil, .zero)
            }
            state.premiumRequests.append((target, renderJS))
            state.premiumInFlight += 1
            state.premiumPeak = max(state.premiumPeak, state.premiumInFlight)
            return (false, state.sites[host.lowercased()], state.premiumDelay)
        }
        if busy { return json(.tooManyRequests, "You have reached the concurrency limit of your plan.") }
        defer { state.withLockedValue { $0.premiumInFlight -= 1 } }
        if delay > .zero { try await Task.sleep(for: delay) }
        guard let site else { return json(.internalServerError, "Error while fetching the target: could not resolve host") }
        let served = serve(site, path: components.path.isEmpty ? "/" : components.path, direct: false, renderJS: renderJS)
        guard served.status < 500 else { return json(.internalServerError, "The target answered \(served.status)") }
        let cost = renderJS ? 5 : 1
        return Response(
            status: served.status == 404 ? .notFound : .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", HTTPField.Name("Spb-cost")!: String(cost),
                HTTPField.Name("Spb-initial-status-code")!: String(served.status),
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: served.body)))
    }
}

/// The farm's names resolve to loopback; any other name fails as a dead domain does.
public struct FarmResolver: HostResolver {
    let state: NIOLockedValueBox<TestSiteFarm.FarmState>

    public func addresses(of host: String) async throws -> [IPAddress] {
        if host == "127.0.0.1" { return [IPAddress("127.0.0.1")!] }
        guard state.withLockedValue({ $0.sites[host.lowercased()] != nil }) else {
            throw NoSuchHost(host: host)
        }
        return [IPAddress("127.0.0.1")!]
    }
}

struct NoSuchHost: Error, CustomStringConvertible {
    let host: String
    var description: String { "NXDOMAIN: \(host)" }
}
