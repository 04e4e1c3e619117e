import Foundation

/// The Public Suffix List's rules, for finding a host's registrable domain (`blog.example.co.uk`
/// → `example.co.uk`), which is what politeness limits count by. Read from Debian's
/// `publicsuffix` package; without it every host falls back to its last two labels, which is
/// right for `.com` and too coarse for `.co.uk` (then two sites share one budget: slower, never
/// ruder).
public struct PublicSuffixList: Sendable {
    let rules: Set<String>
    let wildcards: Set<String>
    let exceptions: Set<String>

    public static let debianPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    public init(text: String) {
        var rules = Set<String>()
        var wildcards = Set<String>()
        var exceptions = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let rule = line.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
            if rule.isEmpty || rule.hasPrefix("//") { continue }
            if rule.hasPrefix("!") {
                exceptions.insert(String(rule.dropFirst()).lowercased())
            } else if rule.hasPrefix("*.") {
                wildcards.insert(String(rule.dropFirst(2)).lowercased())
            } else {
                rules.insert(rule.lowercased())
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// The list from `path`, or an empty list (last-two-labels fallback) when it is missing.
    public static func load(path: String = debianPath) -> PublicSuffixList {
        PublicSuffixList(text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    /// The registrable domain (public suffix plus one label); the host itself for IP literals,
    /// single labels and hosts that are a public suffix.
    public func registrableDomain(of host: String) -> String {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        if IPAddress(host) != nil || host.hasPrefix("[") { return host }
        let labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return host }
        var suffixLength = 1  // the implicit "*" rule
        for start in 0..<labels.count {
            let candidate = labels[start...].joined(separator: ".")
            let length = labels.count - start
            if exceptions.contains(candidate) {
                suffixLength = length - 1
                break
            }
            if rules.contains(candidate), length > suffixLength { suffixLength = length }
            if start + 1 < labels.count, wildcards.contains(labels[(start + 1)...].joined(separator: ".")), length > suffixLength {
                suffixLength = length
            }
        }
        guard suffixLength < labels.count else { return host }
        return labels[(labels.count - suffixLength - 1)...].joined(separator: ".")
    }
}
