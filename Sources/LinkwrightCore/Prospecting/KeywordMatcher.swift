import Foundation

/// Finds a job's keywords in a page's visible text the way a person reading it would: ignoring
/// case, only as whole words (`CRM` is in "CRM software", not in "sCRaMble"), phrases across any
/// run of whitespace (markup between words has already become whitespace in the visible text).
/// Each keyword found gets how often it occurs and a snippet around its first occurrence, cut on
/// word boundaries.
public struct KeywordMatcher: Sendable {
    public struct Match: Sendable, Equatable {
        public let keyword: String
        public let frequency: Int
        /// The text around the first occurrence, at most `context` characters either side, cut
        /// at word boundaries, with `…` where it was cut.
        public let snippet: String
    }

    let keywords: [(keyword: String, words: [String])]
    let context: Int

    public init(keywords: [String], context: Int = 150) {
        self.keywords = keywords.map { ($0, Self.words($0.lowercased())) }.filter { !$0.words.isEmpty }
        self.context = context
    }

    /// The keywords found in `text`, in the job's order. CPU-bound: call it off the event loop.
    public func matches(in text: String) -> [Match] {
        let tokens = Self.tokens(text)
        let lowered = tokens.map { $0.word.lowercased() }
        var found: [Match] = []
        for (keyword, words) in keywords {
            var count = 0
            var first: Int?
            var index = 0
            while index + words.count <= lowered.count {
                if lowered[index] == words[0], Array(lowered[index..<(index + words.count)]) == words {
                    count += 1
                    if first == nil { first = index }
                    index += words.count
                } else {
                    index += 1
                }
            }
            if let first {
                found.append(Match(keyword: keyword, frequency: count, snippet: snippet(text, tokens, first, first + words.count - 1)))
            }
        }
        return found
    }

    /// The text from up to `context` characters before the first word to as many after the last,
    /// widened or narrowed to whole words, whitespace collapsed.
    func snippet(_ text: String, _ tokens: [Token], _ firstWord: Int, _ lastWord: Int) -> String {
        let start = tokens[firstWord].range.lowerBound
        let end = tokens[lastWord].range.upperBound
        var from = firstWord
        while from > 0, text.distance(from: tokens[from - 1].range.lowerBound, to: start) <= context { from -= 1 }
        var to = lastWord
        while to + 1 < tokens.count, text.distance(from: end, to: tokens[to + 1].range.upperBound) <= context { to += 1 }
        let body = text[tokens[from].range.lowerBound..<tokens[to].range.upperBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return (from > 0 ? "…" : "") + body + (to + 1 < tokens.count ? "…" : "")
    }

    struct Token {
        let word: Substring
        let range: Range<String.Index>
    }

    /// Runs of letters and digits: words as matching sees them (punctuation separates).
    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let isWord = text[index].isLetter || text[index].isNumber
            if isWord, start == nil { start = index }
            if !isWord, let from = start {
                tokens.append(Token(word: text[from..<index], range: from..<index))
                start = nil
            }
            index = text.index(after: index)
        }
        if let from = start { tokens.append(Token(word: text[from...], range: from..<text.endIndex)) }
        return tokens
    }

    static func words(_ keyword: String) -> [String] { tokens(keyword).map { String($0.word) } }
}
