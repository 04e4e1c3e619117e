import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightCore
import LinkwrightEngines
import NIOCore
import NIOPosix
#if canImport(Glibc)
    import Glibc
#endif

/// Verification at scale against a local site: PLACEMENTS placements spread over DOMAINS test
/// domains (`d0.test` … all mapped to 127.0.0.1), checked with the real checker (robots.txt,
/// politeness at 1 request/s per registrable domain, gumbo parsing off the event loop). Prints one
/// JSON line: checks per second, CPU time per check, peak memory, and the politeness-bound ideal
/// (each domain's requests, its robots.txt included, one second apart, all domains in parallel).
/// Usage: linkwright-verify-bench PLACEMENTS DOMAINS CONCURRENCY
@main
struct VerifyBench {
    static func main() async throws {
        let args = CommandLine.arguments
        guard args.count == 4, let placements = Int(args[1]), let domains = Int(args[2]), let concurrency = Int(args[3]) else {
            FileHandle.standardError.write(Data("usage: linkwright-verify-bench PLACEMENTS DOMAINS CONCURRENCY\n".utf8))
            exit(2)
        }
        let page = Array(
            """
            <!doctype html><html><head><title>A post</title></head><body><article><h1>Widgets</h1>
            \(String(repeating: "<p>Some text about widgets and the people who make them.</p>\n", count: 200))
            <p>See <a href="https://target.example/page">Best widgets</a>.</p></article></body></html>
            """.utf8)
        let robots = Array("User-agent: *\nDisallow: /private/\n".utf8)
        let router = Router()
        router.get("**") { request, _ -> Response in
            let body = request.uri.path == "/robots.txt" ? robots : page
            return Response(
                status: .ok, headers: [.contentType: request.uri.path == "/robots.txt" ? "text/plain" : "text/html"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let ports = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { ports.continuation.yield($0.localAddress?.port ?? 0) })
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.stream.makeAsyncIterator()
        let port = await iterator.next() ?? 0

        let politeness = LocalPoliteness(interval: .seconds(1), suffixes: PublicSuffixList.load())
        let fetcher = Fetcher(
            userAgent: Fetcher.userAgent(version: LinkwrightVersion.current, homepage: LinkwrightVersion.homepage),
            resolver: StaticResolver([:], everythingElse: [IPAddress("127.0.0.1")!]),
            policy: AddressPolicy(exempt: [.init(address: IPAddress("127.0.0.1")!, port: port)]), politeness: politeness)
        let checker = LinkChecker(fetcher: fetcher, robots: RobotsCache(fetcher: fetcher, politeness: politeness), parsing: .singleton)

        let requests = (0..<placements).map { i in
            LinkCheckRequest(sourceURL: "http://d\(i % domains).test:\(port)/post/\(i)", targetURL: "https://target.example/page")
        }
        let cpuBefore = cpuSeconds()
        let started = ContinuousClock.now
        var live = 0
        try await withThrowingTaskGroup(of: PlacementState.self) { group in
            var next = 0
            for _ in 0..<min(concurrency, requests.count) {
                let request = requests[next]
                next += 1
                group.addTask { await checker.check(request).state }
            }
            while let state = try await group.next() {
                if state == .live { live += 1 }
                if next < requests.count {
                    let request = requests[next]
                    next += 1
                    group.addTask { await checker.check(request).state }
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let cpu = cpuSeconds() - cpuBefore
        server.cancel()
        // Per domain: its robots.txt, then its pages, one second apart; domains in parallel.
        let perDomain = Int((Double(placements) / Double(domains)).rounded(.up)) + 1
        let idealSeconds = Double(perDomain - 1)
        print(
            #"{"placements": \#(placements), "domains": \#(domains), "concurrency": \#(concurrency), "live": \#(live), "seconds": \#(String(format: "%.2f", seconds)), "checks_per_second": \#(String(format: "%.1f", Double(placements) / seconds)), "ideal_checks_per_second": \#(String(format: "%.1f", Double(placements) / idealSeconds)), "cpu_ms_per_check": \#(String(format: "%.3f", cpu * 1000 / Double(placements))), "peak_rss_mib": \#(peakRSSMiB())}"#
        )
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec)
            / 1e6
    }

    static func peakRSSMiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) / 1024
    }
}
