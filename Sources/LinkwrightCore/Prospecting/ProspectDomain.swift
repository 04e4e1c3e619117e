import Foundation

/// A domain to prospect, as people paste them: `https://www.Example.com/blog?x=1`, `example.com`,
/// `bücher.de`. Normalised to the bare lower-case host without `www.`, IDN labels in their
/// ASCII (punycode) form, so the same site is always one entry. Labels are lower-cased, not
/// mapped further: `ß` stays `ß`, as IDNA2008 and today's browsers have it.
public enum ProspectDomain {
    /// The normalised host, or why the entry is not a domain (in words for the line it came from).
    public static func normalise(_ raw: String) -> Result<String, Problem> {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(.empty) }
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        if let end = text.firstIndex(where: { "/?#".contains($0) }) { text = String(text[..<end]) }
        if let at = text.lastIndex(of: "@") { text = String(text[text.index(after: at)...]) }  // user info
        if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].allSatisfy(\.isNumber) {
            text = String(text[..<colon])  // a port
        }
        while text.hasSuffix(".") { text.removeLast() }
        text = text.lowercased()
        if text.hasPrefix("www.") { text.removeFirst(4) }
        guard !text.isEmpty else { return .failure(.notAHost(raw)) }
        var labels: [String] = []
        for label in text.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            guard let ascii = Punycode.ascii(label: label), (1...63).contains(ascii.utf8.count) else { return .failure(.notAHost(raw)) }
            guard ascii.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") }), !ascii.hasPrefix("-"), !ascii.hasSuffix("-")
            else { return .failure(.notAHost(raw)) }
            labels.append(ascii)
        }
        guard labels.count >= 2, let top = labels.last, top.contains(where: \.isLetter) else { return .failure(.notAHost(raw)) }
        let host = labels.joined(separator: ".")
        guard host.utf8.count <= 253 else { return .failure(.notAHost(raw)) }
        return .success(host)
    }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case notAHost(String)

        public var description: String {
            switch self {
            case .empty: "is empty"
            case .notAHost(let raw): "\"\(raw.prefix(100))\" is not a domain name (expected a host such as example.com)"
            }
        }
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
