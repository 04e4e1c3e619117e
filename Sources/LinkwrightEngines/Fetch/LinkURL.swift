import Foundation

/// A URL in the form used to decide whether two links point at the same page: scheme and host
/// lowercased, default port dropped, IDN labels in Unicode, percent-escapes of unreserved
/// characters decoded and the rest upper-cased, dot segments removed, fragment dropped; and,
/// when asked, `www.` and a trailing slash ignored.
public struct LinkURL: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public struct Equivalence: Sendable, Equatable {
        public var ignoreWWW: Bool
        public var ignoreTrailingSlash: Bool
        public init(ignoreWWW: Bool = true, ignoreTrailingSlash: Bool = true) {
            self.ignoreWWW = ignoreWWW
            self.ignoreTrailingSlash = ignoreTrailingSlash
        }
    }

    public init?(_ raw: String, equivalence: Equivalence = Equivalence()) {
        guard let c = URLComponents(string: raw.trimmingCharacters(in: .whitespacesAndNewlines)),
            let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = c.host?.lowercased(), !host.isEmpty
        else { return nil }
        host = host.split(separator: ".", omittingEmptySubsequences: false).map { Punycode.decodeLabel(String($0)) }.joined(separator: ".")
        if host.hasSuffix(".") { host.removeLast() }
        if equivalence.ignoreWWW, host.hasPrefix("www.") { host.removeFirst(4) }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = c.port.flatMap { $0 == defaultPort ? nil : ":\($0)" } ?? ""
        var path = Self.removeDotSegments(Self.normaliseEscapes(c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath))
        if equivalence.ignoreTrailingSlash, path.count > 1, path.hasSuffix("/") { path.removeLast() }
        let query = c.percentEncodedQuery.map { "?" + Self.normaliseEscapes($0) } ?? ""
        // http and https are the same page for a link's purposes: sites move to TLS and keep links.
        description = "//\(host)\(port)\(path)\(query)"
    }

    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    static func normaliseEscapes(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                if unreserved.contains(value) { out.append(value) } else { out += Array(String(format: "%%%02X", value).utf8) }
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3986 section 5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            if segment == "." {
                if last { output.append("") }
            } else if segment == ".." {
                if output.count > 1 { output.removeLast() }
                if last { output.append("") }
            } else {
                output.append(segment)
            }
        }
        let joined = output.joined(separator: "/")
        return joined.hasPrefix("/") ? joined : "/" + joined
    }
}

/// RFC 3492 decoding of `xn--` labels, so `xn--bcher-kva.example` and `bücher.example` compare
/// equal.
enum Punycode {
    static func decodeLabel(_ label: String) -> String {
        guard label.lowercased().hasPrefix("xn--") else { return label }
        let input = Array(label.dropFirst(4).lowercased().unicodeScalars)
        let base = 36
        let tMin = 1
        let tMax = 26
        let skew = 38
        let damp = 700
        var n = 128
        var i = 0
        var bias = 72
        var output: [Unicode.Scalar] = []
        var rest = input[...]
        if let delimiter = input.lastIndex(of: "-") {
            output = Array(input[..<delimiter])
            rest = input[(delimiter + 1)...]
        }
        func digit(_ s: Unicode.Scalar) -> Int? {
            switch s.value {
            case 97...122: return Int(s.value) - 97
            case 48...57: return Int(s.value) - 22
            default: return nil
            }
        }
        func adapt(_ delta: Int, _ numPoints: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / numPoints
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        var iterator = rest.makeIterator()
        while true {
            let oldI = i
            var w = 1
            var k = base
            var consumed = false
            while let s = iterator.next() {
                consumed = true
                guard let d = digit(s) else { return label }
                i += d * w
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if d < t { break }
                w *= base - t
                k += base
                if i > 0x10FFFF * 2 { return label }
            }
            if !consumed { break }
            bias = adapt(i - oldI, output.count + 1, oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard let scalar = Unicode.Scalar(n) else { return label }
            output.insert(scalar, at: i)
            i += 1
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: output)
        return result
    }
}
