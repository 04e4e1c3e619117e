import Foundation
import LinkwrightCore

/// The built-in offline writer, the default provider: deterministic for a brief (its seed picks
/// every choice), readable, and varied enough that two drafts of one campaign do not read alike:
/// sentences are assembled from interchangeable parts, so the same topic yields different word
/// sequences, not the same sentences reshuffled. Good enough to run everything end to end with
/// no key; not a substitute for a person's writing, which is why every draft is reviewed.
public struct TemplateWriter: ContentProvider {
    public let name = "template"

    public init() {}

    public func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply {
        var writer = Composer(brief: brief)
        let text = writer.write()
        // No model ran, so no tokens were used: the draft charges nothing and bills nothing.
        return ProviderReply(text: text, tokensIn: 0, tokensOut: 0, model: "template-1")
    }
}

/// SplitMix64: a small, fast generator that gives the same sequence for the same seed everywhere.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct Composer {
    let brief: ContentBrief
    var random: SeededRandom
    let terms: [String]

    init(brief: ContentBrief) {
        self.brief = brief
        // Regenerations after a too-similar draft get a different stream of choices.
        random = SeededRandom(seed: brief.seed &+ UInt64(brief.avoid.count) &* 0x2545_F491_4F6C_DD1D)
        // A campaign's name is often internal ("Spring push"): without keywords, the anchor is the subject.
        terms = brief.keywords.isEmpty ? [brief.anchor] : brief.keywords
    }

    mutating func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    mutating func term() -> String { pick(terms) }

    static let openers = [
        "", "", "", "In practice, ", "For most people, ", "Put simply, ", "Over time, ", "More often than not, ", "In our experience, ",
        "Before anything else, ", "Looking closer, ", "On a normal week, ", "Quite often, ", "To be fair, ", "Sooner or later, ",
        "As a rule, ", "Honestly, ", "Every season, ", "From what we have seen, ", "Step by step, ",
    ]
    static let subjects = [
        "a good plan", "the first step", "a small change", "a clear routine", "the right choice", "a simple check", "a bit of patience",
        "an honest look", "a short list", "steady habits", "careful reading", "a second opinion", "a fair budget", "real feedback",
        "a quiet morning", "one good question", "a written goal", "a friendly expert", "a slow start", "the right timing",
        "a calm mind", "a clear reason", "a shared checklist", "a weekly review", "a tested method", "a useful habit",
    ]
    static let verbs = [
        "makes a difference to", "shapes", "changes", "helps with", "saves time on", "brings focus to", "takes the guesswork out of",
        "keeps costs down in", "adds clarity to", "sets the tone for", "removes friction from", "pays off in", "opens the door to",
        "makes room for", "lends weight to", "gives shape to", "keeps the momentum in", "puts order into",
    ]
    static let qualifiers = ["", "", "", "everyday ", "weekend ", "serious ", "casual ", "good ", "modern ", "simple ", "local ", "smart "]
    static let tails = [
        "", "", " from the start", " week after week", " without much effort", " in ways that are easy to miss", " for beginners and experts alike",
        " long before the results show", " when time is short", " more than most expect", " for the whole team", " on a tight budget",
        " in the long run", " when plans change", " after the first month", " with very little risk",
    ]
    static let actions = [
        "Start small", "Write it down", "Ask around", "Keep notes", "Try one thing at a time", "Compare a few options", "Take a break",
        "Check the basics", "Set a date", "Talk to a friend", "Read the fine print", "Look back each month", "Plan a little ahead",
    ]
    static let reasons = [
        "and build from there.", "because memory fades fast.", "since the details matter more than the tools.",
        "before you spend anything.", "so the next step is clear.", "and most mistakes stay small.", "because good advice is often simple.",
        "and the rest gets easier.", "so nothing is left to chance.", "while it is still fresh.", "and you will see what works.",
    ]
    static let headings = [
        "Why %@ matters", "Getting started with %@", "Common mistakes with %@", "What to look for in %@", "How %@ fits your week",
        "A practical guide to %@", "Questions people ask about %@", "Making %@ last", "Small wins with %@", "Where %@ goes next",
        "The basics of %@", "What nobody tells you about %@", "Choosing well: %@", "Living with %@",
    ]

    /// One sentence of 10 to 20 words about `subject`.
    mutating func sentence(about subject: String) -> String {
        let opener = pick(Self.openers)
        let body = "\(pick(Self.subjects)) \(pick(Self.verbs)) \(pick(Self.qualifiers))\(subject)\(pick(Self.tails))."
        let sentence = opener + body
        return sentence.prefix(1).uppercased() + sentence.dropFirst()
    }

    /// A short piece of advice: an action and a reason, chosen apart.
    mutating func aside() -> String { "\(pick(Self.actions)) \(pick(Self.reasons))" }

    mutating func paragraph(sentences: Int) -> String {
        var parts: [String] = []
        for index in 0..<sentences {
            parts.append(index % 3 == 2 ? aside() : sentence(about: term()))
        }
        return parts.joined(separator: " ")
    }

    mutating func write() -> String {
        switch brief.kind {
        case .article: return article()
        case .forumReply: return forumReply()
        case .comment: return comment()
        case .forumBio: return bio()
        case .mastodonPost: return social(limit: 500, urlCost: 23)
        case .blueskyPost: return social(limit: 300, urlCost: brief.targetURL.count)
        }
    }

    func link() -> String {
        "<a href=\"\(HTMLSanitizer.escape(brief.targetURL, attribute: true))\">\(HTMLSanitizer.escape(brief.anchor))</a>"
    }

    mutating func article() -> String {
        var html = ["<p>\(HTMLSanitizer.escape(paragraph(sentences: 5)))</p>"]
        var headings = Self.headings
        let sections = 4 + Int(random.next() % 2)
        let linkSection = Int(random.next() % UInt64(sections))
        for section in 0..<sections {
            let index = Int(random.next() % UInt64(headings.count))
            let heading = String(format: headings.remove(at: index), term())
            html.append("<h2>\(HTMLSanitizer.escape(heading.prefix(1).uppercased() + heading.dropFirst()))</h2>")
            for part in 0..<2 {
                var text = HTMLSanitizer.escape(paragraph(sentences: 4 + Int(random.next() % 3)))
                if section == linkSection, part == 0 {
                    text += " For a closer look, see \(link()), which covers it well."
                }
                html.append("<p>\(text)</p>")
            }
            if section == 1 {
                html.append("<ul>" + (0..<3).map { _ in "<li>\(HTMLSanitizer.escape(sentence(about: term())))</li>" }.joined() + "</ul>")
            }
        }
        html.append("<p>\(HTMLSanitizer.escape(paragraph(sentences: 4)))</p>")
        return html.joined(separator: "\n")
    }

    mutating func forumReply() -> String {
        let first = HTMLSanitizer.escape(paragraph(sentences: 3))
        let second = HTMLSanitizer.escape(paragraph(sentences: 2))
        return "<p>\(first)</p>\n<p>\(second) I found \(link()) useful on this.</p>"
    }

    mutating func comment() -> String {
        let title = brief.context?.title.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let opening = title.isEmpty ? "Thanks for this post." : "Thanks for writing \"\(title.prefix(80))\"."
        return [opening, sentence(about: term()), aside(), sentence(about: term()), "I will come back to this one."].joined(separator: " ")
    }

    mutating func bio() -> String {
        "Here for \(term()) and the people who care about it. \(aside())"
    }

    mutating func social(limit: Int, urlCost: Int) -> String {
        var text = sentence(about: term())
        let extra = " " + aside()
        if text.count + extra.count + 1 + urlCost <= limit { text += extra }
        return text + " " + brief.targetURL
    }
}
