import Foundation

/// A parsed robots.txt (RFC 9309): groups of rules for user agents, and the decision for a path.
public struct RobotsTxt: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        let allow: Bool
        let pattern: String  // normalised; may hold `*` and a trailing `$`
    }

    struct Group: Sendable, Equatable {
        var agents: [String] = []  // lowercased product tokens, "*" for everyone
        var rules: [Rule] = []
        var crawlDelay: Double?
    }

    let groups: [Group]
    /// The `Sitemap:` lines' URLs, in order: where a crawler finds the site's pages.
    public let sitemaps: [String]

    /// Everything allowed: what a 4xx robots.txt means.
    public static let allowAll = RobotsTxt(groups: [])
    /// Nothing allowed: what a 5xx or unreachable robots.txt means.
    public static let disallowAll = RobotsTxt(groups: [Group(agents: ["*"], rules: [Rule(allow: false, pattern: "/")])])

    init(groups: [Group], sitemaps: [String] = []) {
        self.groups = groups
        self.sitemaps = sitemaps
    }

    /// Parses leniently, as crawlers must: unknown lines are skipped, keys are case-insensitive,
    /// a rule before any user-agent line belongs to no group.
    public init(_ text: String) {
        var groups: [Group] = []
        var sitemaps: [String] = []
        var current: Group?
        var lastWasAgent = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent", "useragent", "user agent":
                if !lastWasAgent {
                    if let current { groups.append(current) }
                    current = Group()
                }
                current?.agents.append(Self.productToken(value))
                lastWasAgent = true
            case "allow", "disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw":
                lastWasAgent = false
                guard current != nil else { continue }
                // An empty disallow allows everything: it matches nothing.
                if value.isEmpty { continue }
                current?.rules.append(Rule(allow: key == "allow", pattern: Self.normalise(value)))
            case "crawl-delay":
                lastWasAgent = false
                if let seconds = Double(value), seconds >= 0 { current?.crawlDelay = seconds }
            default:
                // A sitemap belongs to no group and does not end a run of user-agent lines;
                // unknown keys end the run.
                if key == "sitemap" {
                    if !value.isEmpty { sitemaps.append(value) }
                    continue
                }
                lastWasAgent = false
            }
        }
        if let current { groups.append(current) }
        self.groups = groups
        self.sitemaps = sitemaps
    }

    /// The part of a user-agent value that names the crawler: up to the first character that
    /// cannot be in a product token (`Googlebot/2.1` → `googlebot`).
    static func productToken(_ value: String) -> String {
        let token = value.prefix { $0.isLetter || $0 == "_" || $0 == "-" || $0 == "*" }
        return token.lowercased()
    }

    /// The groups that apply to `agent`: those naming it (merged), else those for `*`.
    func rules(for agent: String) -> (rules: [Rule], crawlDelay: Double?)? {
        let token = agent.lowercased()
        let named = groups.filter { $0.agents.contains(token) }
        let chosen = named.isEmpty ? groups.filter { $0.agents.contains("*") } : named
        guard !chosen.isEmpty else { return nil }
        return (chosen.flatMap(\.rules), chosen.compactMap(\.crawlDelay).max())
    }

    /// Whether `agent` (a product token such as `LinkwrightBot` or `Googlebot`) may fetch
    /// `pathAndQuery`. The longest matching rule wins; a tie goes to allow.
    public func allows(_ pathAndQuery: String, agent: String) -> Bool {
        let path = Self.normalise(pathAndQuery.isEmpty ? "/" : pathAndQuery)
        if path == "/robots.txt" { return true }
        guard let applicable = rules(for: agent) else { return true }
        var best: (length: Int, allow: Bool)?
        for rule in applicable.rules where Self.matches(rule.pattern, path) {
            let length = rule.pattern.utf8.count
            if best == nil || length > best!.length || (length == best!.length && rule.allow) {
                best = (length, rule.allow)
            }
        }
        return best?.allow ?? true
    }

    public func crawlDelay(agent: String) -> Double? { rules(for: agent)?.crawlDelay }

    /// `*` matches any run of characters; a trailing `$` anchors the end; otherwise a prefix match.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = Array(pattern.utf8)
        let s = Array(path.utf8)
        let anchored = p.last == UInt8(ascii: "$")
        let body = anchored ? Array(p.dropLast()) : p
        // positions in s reachable after consuming body[..<i]
        var positions: [Int] = [0]
        for byte in body {
            if byte == UInt8(ascii: "*") {
                guard let first = positions.min() else { return false }
                positions = Array(first...s.count)
            } else {
                positions = positions.compactMap { $0 < s.count && s[$0] == byte ? $0 + 1 : nil }
                if positions.isEmpty { return false }
            }
        }
        return anchored ? positions.contains(s.count) : !positions.isEmpty
    }

    /// Percent-encodes what must be (non-ASCII, spaces) and upper-cases existing escapes, so a
    /// rule and a path written differently compare as the same octets.
    static func normalise(_ value: String) -> String {
        var out = ""
        let bytes = Array(value.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%"), i + 2 < bytes.count, UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) != nil {
                out += "%" + String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self).uppercased()
                i += 3
                continue
            }
            if byte > 0x7e || byte <= 0x20 {
                out += String(format: "%%%02X", byte)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
            i += 1
        }
        return out
    }
}
