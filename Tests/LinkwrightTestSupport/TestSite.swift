import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightEngines
import NIOConcurrencyHelpers
import NIOCore

/// A web site on 127.0.0.1 with a page for every case the verifier must get right. Pages link
/// to `TestSite.target` unless they say otherwise; `site.test` and `other.test` resolve to it.
/// Tests may replace a page while the site runs (a link that disappears).
public struct TestSite: Sendable {
    public static let target = "https://target.example/page"
    public let port: Int
    let pages: PagesBox
    public var origin: String { "http://site.test:\(port)" }
    public func url(_ path: String) -> String { origin + path }

    /// Serves `body` as HTML at `path` from now on.
    public func setPage(_ path: String, html body: String) {
        pages.set(path, Page(body: Self.html(body)))
    }

    public var resolver: StaticResolver {
        StaticResolver(
            ["site.test", "other.test", "broken.test", "norobots.test", "bigrobots.test"].reduce(into: [:]) { $0[$1] = [IPAddress("127.0.0.1")!] })
    }
    /// The guard stays on: only this site's own address and port is exempt.
    public var policy: AddressPolicy {
        AddressPolicy(exempt: [AddressPolicy.Endpoint(address: IPAddress("127.0.0.1")!, port: port)])
    }

    static let robots = """
        User-agent: LinkwrightBot
        Disallow: /private/
        Allow: /

        User-agent: Googlebot
        Disallow: /googlebot-blocked
        """

    public struct Page: Sendable {
        var status: HTTPResponse.Status = .ok
        var headers: [(String, String)] = [("Content-Type", "text/html; charset=utf-8")]
        var body: [UInt8]
        var delay: Duration = .zero
    }

    static func html(_ body: String, head: String = "") -> [UInt8] {
        Array("<!doctype html><html><head><title>t</title>\(head)</head><body>\(body)</body></html>".utf8)
    }

    static func pages(port: Int) -> [String: Page] {
        let a = #"<a href="\#(target)">Best widgets</a>"#
        var pages: [String: Page] = [
            "/follow": Page(body: html("<p>Intro \(a)</p>")),
            "/nofollow": Page(body: html(#"<a rel="nofollow" href="\#(target)">Best widgets</a>"#)),
            "/ugc": Page(body: html(#"<a rel="ugc" href="\#(target)">Best widgets</a>"#)),
            "/sponsored": Page(body: html(#"<a rel="sponsored" href="\#(target)">Best widgets</a>"#)),
            "/several-rel": Page(body: html(#"<a rel="noopener  UGC nofollow" href="\#(target)">Best widgets</a>"#)),
            "/uppercase": Page(body: html(#"<a href="HTTPS://TARGET.EXAMPLE/%70age#reviews">Best   widgets</a>"#)),
            "/relative": Page(body: html(#"<a href="../landing/./">Best widgets</a>"#)),
            "/base": Page(body: html(#"<a href="page">Best widgets</a>"#, head: #"<base href="http://other.test:\#(port)/dir/">"#)),
            "/image": Page(body: html(#"<a href="\#(target)"><img src="/logo.png" alt="Widget logo"></a>"#)),
            "/comment": Page(body: html("<!-- \(a) -->")),
            "/script": Page(body: html(#"<script>var s = '\#(a)';</script>"#)),
            "/template": Page(body: html("<template>\(a)</template>")),
            "/javascript-inserted": Page(
                body: html(#"<div id="x"></div><script>document.getElementById('x').innerHTML = '<a href="\#(target)">Best widgets</a>';</script>"#)),
            "/span-href": Page(body: html(#"<span href="\#(target)">Best widgets</span>"#)),
            "/javascript-href": Page(body: html(#"<a href="javascript:location='\#(target)'">Best widgets</a>"#)),
            "/anchor-changed": Page(body: html(#"<a href="\#(target)">Cheap stuff</a>"#)),
            "/meta-noindex": Page(body: html(a, head: #"<meta name="robots" content="noindex, follow">"#)),
            "/googlebot-noindex": Page(body: html(a, head: #"<meta name="googlebot" content="NOINDEX">"#)),
            "/x-robots": Page(headers: [("Content-Type", "text/html"), ("X-Robots-Tag", "noindex")], body: html(a)),
            "/x-robots-googlebot": Page(headers: [("Content-Type", "text/html"), ("X-Robots-Tag", "googlebot: noindex, nofollow")], body: html(a)),
            "/x-robots-otherbot": Page(headers: [("Content-Type", "text/html"), ("X-Robots-Tag", "otherbot: noindex")], body: html(a)),
            "/canonical-elsewhere": Page(body: html(a, head: #"<link rel="canonical" href="/somewhere-else">"#)),
            "/canonical-self": Page(body: html(a, head: #"<link rel="canonical" href="http://site.test:\#(port)/canonical-self">"#)),
            "/canonical-header": Page(headers: [("Content-Type", "text/html"), ("Link", #"</other-page>; rel="canonical""#)], body: html(a)),
            "/googlebot-blocked": Page(body: html(a)),
            "/private/page": Page(body: html(a)),
            "/redirect-1": Page(status: .movedPermanently, headers: [("Location", "/redirect-2")], body: []),
            "/redirect-2": Page(status: .found, headers: [("Location", "http://site.test:\(port)/follow")], body: []),
            "/loop-a": Page(status: .found, headers: [("Location", "/loop-b")], body: []),
            "/loop-b": Page(status: .found, headers: [("Location", "/loop-a")], body: []),
            "/redirect-loopback": Page(status: .found, headers: [("Location", "http://127.0.0.1:\(port == 1 ? 2 : 1)/admin")], body: []),
            "/redirect-metadata": Page(status: .found, headers: [("Location", "http://169.254.169.254/latest/meta-data/")], body: []),
            "/gone-404": Page(status: .notFound, body: html("not here")),
            "/gone-410": Page(status: .gone, body: html("gone")),
            "/error-500": Page(status: .internalServerError, body: html("oops")),
            "/challenge-403": Page(status: .forbidden, body: html("<h1>Access denied</h1>")),
            "/challenge-200": Page(body: html("<div id=\"cf-chl-widget\">Checking your browser</div>", head: "")),
            "/too-many-requests": Page(
                status: .tooManyRequests, headers: [("Content-Type", "text/html"), ("Retry-After", "3")], body: html("slow down")),
            "/slow": Page(body: html(a), delay: .seconds(6)),
            "/oversized": Page(body: html(String(repeating: "x", count: 300 * 1024) + a)),
            "/plain-text": Page(headers: [("Content-Type", "text/plain")], body: Array(target.utf8)),
            "/robots.txt": Page(headers: [("Content-Type", "text/plain")], body: Array(robots.utf8)),
        ]
        pages["/challenge-200"]!.body = html("<div id=\"cf-chl-widget\">Checking your browser</div>", head: "").map { $0 }
        pages["/gzip-bomb"] = Page(headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body: gzipBomb)
        return pages
    }

    /// 16 MiB of zeros, gzipped to about 16 KiB by the system's gzip.
    static let gzipBomb: [UInt8] = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c 16777216 /dev/zero | gzip -c"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }()

    /// Serves the site for the duration of `body`.
    public static func run<R: Sendable>(_ body: @Sendable (TestSite) async throws -> R) async throws -> R {
        let portBox = AsyncStream<Int>.makeStream()
        let pagesBox = PagesBox()
        let router = Router()
        router.get("**") { request, _ -> Response in
            // Two hosts whose robots.txt fails: one with a server error, one that has none.
            let host = request.head.authority.map { String($0.prefix { $0 != ":" }) }
            if request.uri.path == "/robots.txt", host == "broken.test" { return Response(status: .internalServerError) }
            if request.uri.path == "/robots.txt", host == "norobots.test" { return Response(status: .notFound) }
            if request.uri.path == "/robots.txt", host == "bigrobots.test" {
                // 600 KiB of comments, then a rule past the 500 KiB that count: it must be ignored.
                let padding = String(repeating: "# padding line to make this robots.txt large\n", count: 600 * 1024 / 46)
                return Response(
                    status: .ok, headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: "User-agent: *\nDisallow: /private/\n" + padding + "Disallow: /follow\n")))
            }
            guard let page = pagesBox.get(request.uri.path) else { return Response(status: .notFound) }
            if page.delay > .zero { try await Task.sleep(for: page.delay) }
            var fields = HTTPFields()
            for (name, value) in page.headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            return Response(status: page.status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: page.body)))
        }
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
            pagesBox.replaceAll(pages(port: port))
            let result = try await body(TestSite(port: port, pages: pagesBox))
            group.cancelAll()
            return result
        }
    }
}

/// The pages, filled in once the port is known, changed by tests while the site runs.
final class PagesBox: Sendable {
    private let pages = NIOLockedValueBox<[String: TestSite.Page]>([:])
    func get(_ path: String) -> TestSite.Page? { pages.withLockedValue { $0[path] } }
    func set(_ path: String, _ page: TestSite.Page) { pages.withLockedValue { $0[path] = page } }
    func replaceAll(_ all: [String: TestSite.Page]) { pages.withLockedValue { $0 = all } }
}
