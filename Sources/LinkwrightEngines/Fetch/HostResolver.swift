#if canImport(Glibc)
    import Glibc
#endif
import NIOPosix

/// Turns a host name into addresses. Injectable, so tests and benchmarks map their own names to
/// loopback without touching the system's resolver.
public protocol HostResolver: Sendable {
    func addresses(of host: String) async throws -> [IPAddress]
}

public struct ResolutionFailed: Error, CustomStringConvertible {
    public let host: String
    public var description: String { "could not resolve \(host)" }
}

/// The system's resolver (`getaddrinfo`), which blocks: it runs on a thread pool, never on an
/// event loop.
public struct SystemResolver: HostResolver {
    let pool: NIOThreadPool

    public init(pool: NIOThreadPool) { self.pool = pool }

    public func addresses(of host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return try await pool.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { throw ResolutionFailed(host: host) }
            defer { freeaddrinfo(first) }
            var found: [IPAddress] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                if let address = entry.pointee.ai_addr {
                    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    if entry.pointee.ai_family == AF_INET {
                        address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                            var a = $0.pointee.sin_addr
                            _ = inet_ntop(AF_INET, &a, &text, socklen_t(text.count))
                        }
                    } else if entry.pointee.ai_family == AF_INET6 {
                        address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                            var a = $0.pointee.sin6_addr
                            _ = inet_ntop(AF_INET6, &a, &text, socklen_t(text.count))
                        }
                    }
                    if let parsed = IPAddress(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)),
                        !found.contains(parsed)
                    {
                        found.append(parsed)
                    }
                }
                cursor = entry.pointee.ai_next
            }
            guard !found.isEmpty else { throw ResolutionFailed(host: host) }
            return found
        }
    }
}

/// Fixed answers: tests and benchmarks name their sites (`a.test`, `bench-17.test`) and map
/// them here; any other name is unknown. IP literals resolve to themselves.
public struct StaticResolver: HostResolver {
    let table: [String: [IPAddress]]
    let fallback: [IPAddress]?

    public init(_ table: [String: [IPAddress]], everythingElse fallback: [IPAddress]? = nil) {
        self.table = Dictionary(uniqueKeysWithValues: table.map { ($0.key.lowercased(), $0.value) })
        self.fallback = fallback
    }

    public func addresses(of host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        guard let found = table[host.lowercased()] ?? fallback else { throw ResolutionFailed(host: host) }
        return found
    }
}
