import AsyncHTTPClient
import Foundation
import LinkwrightCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix

/// What one fetch got back, after following redirects.
public struct FetchedPage: Sendable {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
    /// The URL that answered, after redirects.
    public let finalURL: String
    /// Every URL visited before `finalURL`, in order.
    public let redirects: [String]
    public let elapsed: Duration

    public func header(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }
}

/// Why a fetch gave no page. Each case is a reason a careful person would also give up.
public enum FetchFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    case refusedTarget(url: String, reason: String)
    case unresolvable(host: String)
    case timeout
    case tooLarge(limit: Int)
    case tooManyRedirects(limit: Int)
    case redirectLoop(url: String)
    case connection(String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "not an http(s) URL: \(url)"
        case .refusedTarget(let url, let reason): "refused to connect for \(url): \(reason)"
        case .unresolvable(let host): "could not resolve \(host)"
        case .timeout: "timed out"
        case .tooLarge(let limit): "body larger than \(limit) bytes"
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        case .redirectLoop(let url): "redirect loop at \(url)"
        case .connection(let detail): "connection failed: \(detail)"
        }
    }
}

public struct FetchLimits: Sendable {
    public var connectTimeout: Duration = .seconds(5)
    public var totalTimeout: Duration = .seconds(15)
    public var maxRedirects = 5
    public var maxBodyBytes = 5 * 1024 * 1024
    public init() {}
}

/// The one way engines reach the web. Every hop (the first request and each redirect) is
/// resolved and every address checked against the `AddressPolicy` before connecting, and the
/// connection goes to the address that was checked (AsyncHTTPClient's DNS override, which keeps
/// the host name for TLS and the Host header), so a second lookup cannot swap in a private
/// address. Bodies are counted while they stream, after decompression, so neither a large page
/// nor a gzip bomb gets past the limit.
public struct Fetcher: Sendable {
    public let userAgent: String
    let resolver: any HostResolver
    let policy: AddressPolicy
    let limits: FetchLimits
    let eventLoopGroup: any EventLoopGroup
    let politeness: (any Politeness)?

    public init(
        userAgent: String, resolver: any HostResolver, policy: AddressPolicy, limits: FetchLimits = FetchLimits(),
        politeness: (any Politeness)? = nil, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.userAgent = userAgent
        self.resolver = resolver
        self.policy = policy
        self.limits = limits
        self.politeness = politeness
        self.eventLoopGroup = eventLoopGroup
    }

    /// `LinkwrightBot/<version> (+<homepage>)`.
    public static func userAgent(version: String, homepage: String) -> String {
        "LinkwrightBot/\(version) (+\(homepage))"
    }

    /// GETs `url`, following up to `maxRedirects` redirects, each re-checked. `bodyLimit`
    /// overrides the default; with `truncating`, a longer body is cut there instead of refused
    /// (robots.txt: the first 500 KiB count, RFC 9309).
    public func get(_ url: String, bodyLimit: Int? = nil, truncating: Bool = false) async throws(FetchFailure) -> FetchedPage {
        let started = ContinuousClock.now
        var deadline = NIODeadline.now() + TimeAmount.nanoseconds(Int64(limits.totalTimeout.inSeconds * 1e9))
        var current = url
        var visited: [String] = []
        while true {
            let target = try await checkedTarget(current)
            if let politeness {
                // Waiting for the domain's turn is not the site being slow: the time limit counts
                // from when the request may go (many requests queued behind one domain's pace
                // would otherwise time out before they were sent).
                let queued = NIODeadline.now()
                await politeness.waitForTurn(host: target.host)
                deadline = deadline + (NIODeadline.now() - queued)
            }
            let response = try await request(target, deadline: deadline, bodyLimit: bodyLimit ?? limits.maxBodyBytes, truncating: truncating)
            if (300..<400).contains(response.status), response.status != 304,
                let location = response.header("location").first
            {
                guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteURL.absoluteString else {
                    throw .invalidURL(location)
                }
                visited.append(current)
                if visited.contains(next) { throw .redirectLoop(url: next) }
                if visited.count > limits.maxRedirects { throw .tooManyRedirects(limit: limits.maxRedirects) }
                current = next
                continue
            }
            if let politeness, response.status == 429 || response.status == 503,
                let retryAfter = response.header("retry-after").first.flatMap(RetryAfter.seconds)
            {
                await politeness.pushBack(host: target.host, by: .seconds(retryAfter))
            }
            return FetchedPage(
                status: response.status, headers: response.headers, body: response.body, finalURL: current,
                redirects: visited, elapsed: ContinuousClock.now - started)
        }
    }

    /// One request with a method, headers and a body (a platform's API: publishing, signing in),
    /// guarded like `get` against private addresses. Redirects are returned, not followed: one
    /// answering a write would send the write somewhere else. Not paced by the per-domain
    /// politeness, which is for reading other people's pages: writes go to platforms through the
    /// tenant's own accounts, paced by those accounts' action limits.
    public func send(
        _ method: String, _ url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, bodyLimit: Int? = nil
    ) async throws(FetchFailure) -> FetchedPage {
        let started = ContinuousClock.now
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Int64(limits.totalTimeout.inSeconds * 1e9))
        let target = try await checkedTarget(url)
        let response = try await request(
            target, method: method, headers: headers, body: body, deadline: deadline, bodyLimit: bodyLimit ?? limits.maxBodyBytes, truncating: false)
        return FetchedPage(
            status: response.status, headers: response.headers, body: response.body, finalURL: url, redirects: [],
            elapsed: ContinuousClock.now - started)
    }

    struct Target {
        let url: String
        let host: String
        let address: IPAddress
    }

    /// Parses, resolves and checks one hop; the address returned is the one to connect to.
    func checkedTarget(_ url: String) async throws(FetchFailure) -> Target {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let rawHost = components.host, !rawHost.isEmpty
        else {
            throw .invalidURL(url)
        }
        let host = rawHost.lowercased()
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let addresses: [IPAddress]
        do {
            addresses = try await resolver.addresses(of: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host)
        } catch {
            throw .unresolvable(host: host)
        }
        guard let first = addresses.first else { throw .unresolvable(host: host) }
        // Every address, not just the one used: a name that answers with any private address is
        // someone pointing us inward.
        for address in addresses {
            if let reason = policy.refusal(address, port: port) { throw .refusedTarget(url: url, reason: reason) }
        }
        return Target(url: url, host: host, address: first)
    }

    struct Response {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        func header(_ name: String) -> [String] {
            headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
        }
    }

    func request(
        _ target: Target, method: String = "GET", headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, deadline: NIODeadline,
        bodyLimit: Int, truncating: Bool
    ) async throws(FetchFailure) -> Response {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .nanoseconds(Int64(limits.connectTimeout.inSeconds * 1e9)))
        configuration.decompression = .enabled(limit: .size(truncating ? limits.maxBodyBytes : bodyLimit))
        if IPAddress(target.host) == nil { configuration.dnsOverride = [target.host: target.address.description] }
        let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        defer { client.shutdown { _ in } }
        var request = HTTPClientRequest(url: target.url)
        request.headers.add(name: "User-Agent", value: userAgent)
        request.method = HTTPMethod(rawValue: method)
        if !headers.contains(where: { $0.name.lowercased() == "accept" }) {
            request.headers.add(name: "Accept", value: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        }
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, deadline: deadline)
            var body: [UInt8] = []
            for try await chunk in response.body {
                if body.count + chunk.readableBytes > bodyLimit {
                    guard truncating else { throw FetchFailure.tooLarge(limit: bodyLimit) }
                    body.append(contentsOf: chunk.readableBytesView.prefix(bodyLimit - body.count))
                    break
                }
                body.append(contentsOf: chunk.readableBytesView)
            }
            return Response(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: body)
        } catch let failure as FetchFailure {
            throw failure
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout
        } catch is NIOHTTPDecompression.DecompressionError {
            throw .tooLarge(limit: bodyLimit)
        } catch {
            if NIODeadline.now() >= deadline { throw .timeout }
            throw .connection(String(describing: error))
        }
    }
}

/// `Retry-After` as seconds: delta-seconds or an HTTP date.
enum RetryAfter {
    static func seconds(_ value: String) -> Int? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return max(0, min(seconds, 86_400)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, min(Int(date.timeIntervalSinceNow.rounded(.up)), 86_400))
    }
}
