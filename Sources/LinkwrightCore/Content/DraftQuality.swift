import Foundation

/// One quality check of a draft, recorded with it and shown to the reviewer.
public struct DraftCheck: Sendable, Codable, Equatable {
    public let name: String
    public let passed: Bool
    /// Why, in words a reviewer reads.
    public let detail: String
    /// The measured figure where there is one (words, score, similarity).
    public let value: Double?

    public init(_ name: String, passed: Bool, _ detail: String, value: Double? = nil) {
        self.name = name
        self.passed = passed
        self.detail = detail
        self.value = value
    }
}

/// The checks every draft goes through before a person sees it. Pure: the caller extracts the
/// links (from the sanitised HTML, or the URLs of plain text) and measures originality.
public struct DraftQuality: Sendable {
    public struct Link: Sendable, Equatable {
        public let href: String
        public let text: String
        public init(href: String, text: String) {
            self.href = href
            self.text = text
        }
    }

    public let kind: ContentKind
    public let targetURL: String
    public let anchors: [String]
    public let bannedPhrases: [String]

    public static let defaultBannedPhrases = [
        "as an ai", "language model", "i cannot", "click here", "buy now", "act now", "guaranteed", "100% free", "limited time offer",
        "casino", "viagra", "crypto giveaway", "lorem ipsum",
    ]
    /// Flesch reading ease below this reads as hard work for a general audience.
    public static let minimumReadability = 30.0

    public init(kind: ContentKind, targetURL: String, anchors: [String], bannedPhrases: [String] = Self.defaultBannedPhrases) {
        self.kind = kind
        self.targetURL = targetURL
        self.anchors = anchors
        self.bannedPhrases = bannedPhrases
    }

    /// `text` is the visible text (markup removed); `links` the links in the draft.
    public func check(text: String, links: [Link]) -> [DraftCheck] {
        [linkCheck(links), lengthCheck(text), placeholderCheck(text), bannedCheck(text), readabilityCheck(text)]
    }

    func linkCheck(_ links: [Link]) -> DraftCheck {
        guard kind.linkInText else {
            return links.isEmpty
                ? DraftCheck("link", passed: true, "no link in the text: the link goes in the website field")
                : DraftCheck(
                    "link", passed: false,
                    "a \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) carries its link in the website field, not the text")
        }
        guard links.count == 1, let link = links.first else {
            return DraftCheck("link", passed: false, "needs exactly one link, has \(links.count)", value: Double(links.count))
        }
        guard Self.samePage(link.href, targetURL) else {
            return DraftCheck("link", passed: false, "the link goes to \(link.href), not the campaign's target \(targetURL)")
        }
        // Social posts show the URL itself: no anchor text to match.
        if kind.isHTML, !anchors.contains(where: { Self.fold($0) == Self.fold(link.text) }) {
            return DraftCheck("link", passed: false, "the anchor text \"\(link.text)\" is none of the campaign's anchors")
        }
        return DraftCheck("link", passed: true, "one link to the target" + (kind.isHTML ? " with the anchor \"\(link.text)\"" : ""))
    }

    func lengthCheck(_ text: String) -> DraftCheck {
        let measured: Int
        let unit: String
        switch kind {
        case .mastodonPost: (measured, unit) = (ContentLength.mastodon(text), "characters (URLs count 23)")
        case .blueskyPost: (measured, unit) = (ContentLength.bluesky(text), "characters")
        default: (measured, unit) = (ContentLength.words(text), "words")
        }
        let bounds = kind.bounds
        let passed = bounds.contains(measured)
        return DraftCheck(
            "length", passed: passed,
            passed
                ? "\(measured) \(unit)"
                : "\(measured) \(unit); a \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) needs \(bounds.lowerBound) to \(bounds.upperBound)",
            value: Double(measured))
    }

    static let placeholderPatterns = [
        #"\{\{[^}]*\}\}"#, #"\{[a-z_ ]+\}"#, #"\[(?:insert|your|anchor|keyword|link|url|name|target)[^\]]*\]"#, #"<insert"#, #"\bTODO\b"#,
        #"\bTBD\b"#, #"\bXXX\b"#,
    ]

    func placeholderCheck(_ text: String) -> DraftCheck {
        for pattern in Self.placeholderPatterns {
            if let range = text.range(of: pattern, options: [.regularExpression, .caseInsensitive]) {
                return DraftCheck("placeholders", passed: false, "a leftover placeholder: \(text[range])")
            }
        }
        return DraftCheck("placeholders", passed: true, "no leftover placeholder")
    }

    func bannedCheck(_ text: String) -> DraftCheck {
        let folded = Self.fold(text)
        let found = bannedPhrases.filter { folded.contains(Self.fold($0)) }
        return found.isEmpty
            ? DraftCheck("banned_phrases", passed: true, "no banned phrase")
            : DraftCheck("banned_phrases", passed: false, "banned phrases: \(found.joined(separator: ", "))", value: Double(found.count))
    }

    func readabilityCheck(_ text: String) -> DraftCheck {
        let score = Readability.fleschReadingEase(text)
        let rounded = (score * 10).rounded() / 10
        return score >= Self.minimumReadability
            ? DraftCheck("readability", passed: true, "Flesch reading ease \(rounded)", value: rounded)
            : DraftCheck(
                "readability", passed: false, "Flesch reading ease \(rounded): hard going for most readers (30 or more wanted)", value: rounded)
    }

    /// The originality check from a measured similarity to the tenant's closest earlier draft.
    public static func originality(similarity: Double, threshold: Double = 0.3) -> DraftCheck {
        let rounded = (similarity * 100).rounded() / 100
        return similarity <= threshold
            ? DraftCheck("originality", passed: true, "closest earlier draft is \(Int(rounded * 100))% similar", value: rounded)
            : DraftCheck("originality", passed: false, "\(Int(rounded * 100))% similar to an earlier draft (at most 30% wanted)", value: rounded)
    }

    static func fold(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The same page: scheme and host case, `www.`, a trailing slash and the fragment ignored.
    static func samePage(_ a: String, _ b: String) -> Bool {
        func key(_ raw: String) -> String? {
            guard var c = URLComponents(string: raw.trimmingCharacters(in: .whitespaces)), let host = c.host?.lowercased() else { return nil }
            c.fragment = nil
            let bare = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
            var path = c.path.isEmpty ? "/" : c.path
            if path.count > 1, path.hasSuffix("/") { path.removeLast() }
            return "\(bare)\(c.port.map { ":\($0)" } ?? "")\(path)\(c.query.map { "?\($0)" } ?? "")"
        }
        guard let left = key(a), let right = key(b) else { return false }
        return left == right
    }
}

/// Flesch reading ease (206.835 − 1.015 words/sentence − 84.6 syllables/word), syllables by the
/// usual vowel-group rule: rough, like every syllable count, but steady enough to flag a text
/// that is hard going.
public enum Readability {
    public static func fleschReadingEase(_ text: String) -> Double {
        let words = text.split(whereSeparator: { !$0.isLetter && $0 != "'" }).filter { !$0.isEmpty }
        guard !words.isEmpty else { return 0 }
        let sentences = max(1, text.split(whereSeparator: { ".!?".contains($0) }).filter { $0.contains(where: \.isLetter) }.count)
        let syllables = words.reduce(0) { $0 + self.syllables(String($1)) }
        return 206.835 - 1.015 * Double(words.count) / Double(sentences) - 84.6 * Double(syllables) / Double(words.count)
    }

    static func syllables(_ word: String) -> Int {
        let lower = word.lowercased()
        var count = 0
        var previousVowel = false
        for ch in lower {
            let vowel = "aeiouy".contains(ch)
            if vowel, !previousVowel { count += 1 }
            previousVowel = vowel
        }
        if lower.hasSuffix("e"), !lower.hasSuffix("le"), count > 1 { count -= 1 }
        return max(1, count)
    }
}
