import Foundation

/// Lengths as the platforms count them.
public enum ContentLength {
    /// Words in visible text: runs of letters or digits (apostrophes and hyphens inside a word keep
    /// it one word).
    public static func words(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let isWordCharacter = CharacterSet.alphanumerics.contains(scalar) || (inWord && (scalar == "'" || scalar == "-" || scalar == "’"))
            if isWordCharacter, !inWord { count += 1 }
            inWord = isWordCharacter
        }
        return count
    }

    /// Mastodon's count: every http(s) URL is 23 characters whatever its length; the rest in code
    /// points (what Mastodon's own counter counts).
    public static func mastodon(_ text: String) -> Int {
        var total = 0
        for token in tokens(text) {
            total += token.isURL ? 23 : token.text.unicodeScalars.count
        }
        return total
    }

    /// Bluesky's count: grapheme clusters (Swift's `Character`), URLs included as written.
    public static func bluesky(_ text: String) -> Int { text.count }

    public struct Token: Sendable {
        public let text: Substring
        public let isURL: Bool
    }

    /// The text split into URLs and everything between them.
    public static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        var rest = text[...]
        while let range = rest.range(of: #"https?://[^\s<>"]+"#, options: [.regularExpression, .caseInsensitive]) {
            if range.lowerBound > rest.startIndex { result.append(Token(text: rest[rest.startIndex..<range.lowerBound], isURL: false)) }
            result.append(Token(text: rest[range], isURL: true))
            rest = rest[range.upperBound...]
        }
        if !rest.isEmpty { result.append(Token(text: rest, isURL: false)) }
        return result
    }
}
