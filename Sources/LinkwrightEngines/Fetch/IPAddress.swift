#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address as raw bytes, parsed by `inet_pton` (no hand-rolled parsing of the
/// many textual forms an attacker could choose: octal, hex, shortened IPv4 and so on are rejected
/// by inet_pton, and the resolver is what turns names into addresses).
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt8, UInt8, UInt8, UInt8)
    case v6([UInt8])

    public init?(_ text: String) {
        let trimmed = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            let b = withUnsafeBytes(of: &v4) { Array($0) }
            self = .v4(b[0], b[1], b[2], b[3])
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            self = .v6(withUnsafeBytes(of: &v6) { Array($0) })
            return
        }
        return nil
    }

    public var description: String {
        switch self {
        case .v4(let a, let b, let c, let d): return "\(a).\(b).\(c).\(d)"
        case .v6(let bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// How the address is written inside a URL's host.
    public var urlHost: String {
        if case .v6 = self { return "[\(description)]" }
        return description
    }

    /// Why the fetcher must not connect here, or nil for an ordinary public address. The ranges
    /// are the special-purpose registries' (RFC 6890 and successors) that reach the service's own
    /// machine or network, or no real host at all.
    public var nonPublicReason: String? {
        switch self {
        case .v4(let a, let b, let c, _):
            switch (a, b) {
            case (0, _): return "unspecified"
            case (10, _), (172, 16...31), (192, 168): return "private"
            case (100, 64...127): return "shared address space (CGNAT)"
            case (127, _): return "loopback"
            case (169, 254): return "link-local (cloud metadata lives here)"
            case (192, 0) where c == 0 || c == 2: return "reserved"
            case (198, 18...19): return "benchmarking"
            case (198, 51) where c == 100, (203, 0) where c == 113: return "documentation"
            case (224...239, _): return "multicast"
            case (240...255, _): return "reserved"
            default: return nil
            }
        case .v6(let b):
            if b.allSatisfy({ $0 == 0 }) { return "unspecified" }
            if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "loopback" }
            if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return "IPv4-mapped" }
            if b[0..<12].allSatisfy({ $0 == 0 }) { return "IPv4-compatible" }
            if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b {  // 64:ff9b::/96, NAT64
                return IPAddress.v4(b[12], b[13], b[14], b[15]).nonPublicReason.map { "NAT64 of \($0)" }
            }
            if b[0] == 0xfe && (b[1] & 0xc0) == 0x80 { return "link-local" }
            if b[0] == 0xfe && (b[1] & 0xc0) == 0xc0 { return "site-local" }
            if (b[0] & 0xfe) == 0xfc { return "unique local (private)" }
            if b[0] == 0xff { return "multicast" }
            if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return "documentation" }
            return nil
        }
    }
}
