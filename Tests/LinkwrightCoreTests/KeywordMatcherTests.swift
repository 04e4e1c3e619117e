import Foundation
import LinkwrightCore
import Testing

@Suite struct KeywordMatcherTests {
    @Test func keywordsMatchWholeWordsIgnoringCaseAndPhrasesAcrossWhitespace() {
        let matcher = KeywordMatcher(keywords: ["CRM", "customer relationship", "scramble eggs"])
        let text = "The best CRM software. crm tools help.\nCustomer\n\t  Relationship management; sCRaMble is not a match."
        let found = matcher.matches(in: text)
        #expect(found.map(\.keyword) == ["CRM", "customer relationship"])
        #expect(found.first?.frequency == 2, "CRM and crm, not sCRaMble")
        #expect(found.last?.frequency == 1)
        #expect(matcher.matches(in: "CRMs and e-CRM-x").map(\.keyword) == ["CRM"], "CRMs is another word; e-CRM-x has CRM between hyphens")
        #expect(KeywordMatcher(keywords: ["C++"]).matches(in: "I like C and more").map(\.frequency) == [1], "punctuation is not part of a word")
    }

    @Test func theSnippetIsCutOnWordsAroundTheFirstOccurrence() {
        let before = Array(repeating: "alpha", count: 40).joined(separator: " ")
        let after = Array(repeating: "omega", count: 40).joined(separator: " ")
        let match = KeywordMatcher(keywords: ["running shoes"], context: 30).matches(in: "\(before) our Running  Shoes review \(after)").first
        let snippet = match?.snippet ?? ""
        #expect(snippet.hasPrefix("…alpha") && snippet.hasSuffix("omega…"), "\(snippet)")
        #expect(snippet.contains("our Running Shoes review"), "whitespace collapsed, the text as written")
        #expect(snippet.count <= 30 * 2 + "Running Shoes".count + 2 + 2, "at most the context either side: \(snippet.count)")
        let words = Set(snippet.trimmingCharacters(in: ["…"]).split(separator: " ").map(String.init))
        #expect(words == ["alpha", "our", "Running", "Shoes", "review", "omega"], "whole words only: \(words)")
        let short = KeywordMatcher(keywords: ["shoes"]).matches(in: "Shoes.").first
        #expect(short?.snippet == "Shoes", "nothing cut, no ellipsis")
    }
}
