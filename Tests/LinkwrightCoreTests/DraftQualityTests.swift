import Foundation
import LinkwrightCore
import Testing

@Suite struct DraftQualityTests {
    static let target = "https://client.example/shoes"
    let article = DraftQuality(kind: .article, targetURL: target, anchors: ["running shoes", "trail shoes"])

    static func prose(words: Int) -> String {
        let sentence = "Good shoes make a long run feel short and easy. "
        return String(repeating: sentence, count: words / 10 + 1).split(separator: " ").prefix(words).joined(separator: " ") + "."
    }

    func verdicts(_ checks: [DraftCheck]) -> [String: Bool] { Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0.passed) }) }

    @Test func aGoodArticlePassesEveryCheck() {
        let checks = article.check(
            text: Self.prose(words: 500), links: [.init(href: "https://www.client.example/shoes/", text: "Running  Shoes")])
        #expect(checks.allSatisfy { $0.passed }, "\(checks)")
        #expect(checks.first { $0.name == "length" }?.value == 500)
    }

    @Test func theLinkMustBeOneToTheTargetWithAnAnchor() {
        let text = Self.prose(words: 500)
        #expect(verdicts(article.check(text: text, links: []))["link"] == false)
        #expect(
            verdicts(
                article.check(
                    text: text, links: [.init(href: Self.target, text: "running shoes"), .init(href: Self.target, text: "trail shoes")]))["link"]
                == false)
        #expect(verdicts(article.check(text: text, links: [.init(href: "https://other.example/shoes", text: "running shoes")]))["link"] == false)
        #expect(verdicts(article.check(text: text, links: [.init(href: Self.target, text: "click")]))["link"] == false)
        let comment = DraftQuality(kind: .comment, targetURL: Self.target, anchors: ["running shoes"])
        #expect(verdicts(comment.check(text: Self.prose(words: 60), links: []))["link"] == true, "a comment's link is its website field")
        #expect(verdicts(comment.check(text: Self.prose(words: 60), links: [.init(href: Self.target, text: "x")]))["link"] == false)
    }

    @Test func lengthsAreCountedAsEachPlatformCounts() {
        #expect(verdicts(article.check(text: Self.prose(words: 399), links: []))["length"] == false)
        #expect(verdicts(article.check(text: Self.prose(words: 1201), links: []))["length"] == false)
        let long = "https://client.example/" + String(repeating: "a", count: 200)
        #expect(ContentLength.mastodon("Read this: \(long)") == 11 + 23)
        #expect(ContentLength.bluesky("👩‍👩‍👧 café") == 6)
        #expect(ContentLength.words("Don't over-think it — twice.") == 4)
        let bluesky = DraftQuality(kind: .blueskyPost, targetURL: Self.target, anchors: [])
        #expect(verdicts(bluesky.check(text: String(repeating: "é", count: 301), links: []))["length"] == false)
    }

    @Test func placeholdersBannedPhrasesAndHardProseAreFlagged() {
        let base = Self.prose(words: 480)
        #expect(verdicts(article.check(text: base + " See {{anchor}} now.", links: []))["placeholders"] == false)
        #expect(verdicts(article.check(text: base + " Read [insert link here].", links: []))["placeholders"] == false)
        #expect(verdicts(article.check(text: base + " As an AI, I like shoes.", links: []))["banned_phrases"] == false)
        let hard = String(
            repeating: "Notwithstanding institutional considerations, comprehensive interdisciplinary methodologies necessitate reconceptualization ",
            count: 60)
        let readability = article.check(text: hard, links: []).first { $0.name == "readability" }
        #expect(readability?.passed == false)
        #expect((readability?.value ?? 100) < 30)
    }

    @Test func originalityIsJudgedAtThirtyPercent() {
        #expect(DraftQuality.originality(similarity: 0.3).passed)
        #expect(!DraftQuality.originality(similarity: 0.31).passed)
    }
}

@Suite struct NearDuplicateTests {
    static let text = """
        Trail running asks more of a shoe than the road does. Roots, loose stones and wet clay all \
        punish a soft sole, and a heel that slides will blister by the third mile. The best trail \
        shoes grip without feeling heavy, drain quickly after a stream crossing, and protect the toes \
        from the rocks nobody sees until too late. Fit matters most of all: try them late in the day.
        """

    @Test func theSameTextIsIdenticalAndAnUnrelatedOneIsFar() {
        let a = MinHashSignature(text: Self.text)
        #expect(a.similarity(to: MinHashSignature(text: Self.text)) == 1)
        let unrelated = MinHashSignature(text: "Quarterly tax filings for small agencies need receipts, a ledger and patience with the forms.")
        #expect(a.similarity(to: unrelated) < 0.05)
    }

    @Test func aLightRewriteIsNearAndShareABandKey() {
        let rewrite = Self.text.replacingOccurrences(of: "third mile", with: "fourth mile")
            .replacingOccurrences(of: "try them late in the day", with: "always try them on in the evening")
        let a = MinHashSignature(text: Self.text)
        let b = MinHashSignature(text: rewrite)
        #expect(a.similarity(to: b) > 0.5)
        #expect(!Set(a.bandKeys).isDisjoint(with: b.bandKeys))
        #expect(a.bandKeys.count == MinHashSignature.bands)
    }
}
