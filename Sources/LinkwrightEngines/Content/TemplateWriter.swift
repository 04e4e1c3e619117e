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

    // Sentences are assembled from single words drawn from large pools rather than from stock
    // phrases: a near-duplicate check compares 3-word shingles, and every stock phrase of three
    // words or more is a shingle all drafts share. With 400 drafts of one campaign, stock
    // phrases made two in three of them more than 30% similar to an earlier one.
    static let openers = [
        "", "", "", "", "", "", "Often, ", "Usually, ", "In practice, ", "Honestly, ", "Over time, ", "Quite often, ", "Mostly, ",
        "Sooner or later, ", "At first, ", "Later on, ", "Every so often, ", "For many, ", "Oddly, ", "Happily, ", "Clearly, ",
        "In short, ", "Still, ", "Even so, ", "Above all, ", "Now and then, ", "By now, ",
    ]
    static let determiners = ["a", "the", "one", "any", "every", "each", "your", "our", "their", "this", "that"]
    static let adjectives = [
        "clear", "small", "steady", "simple", "honest", "careful", "plain", "patient", "quiet", "regular", "modest", "sensible",
        "good", "sound", "slow", "short", "quick", "calm", "solid", "fresh", "weekly", "daily", "brief", "frank", "useful", "fair",
        "tidy", "early", "shared", "written", "tested", "friendly", "open", "gentle", "firm", "light", "sharp", "kind", "bold",
        "neat", "wise", "real", "late", "spare", "rough", "close", "broad", "strict", "loose", "warm", "dry", "cheap", "free",
    ]
    static let nouns = [
        "plan", "routine", "habit", "check", "budget", "schedule", "review", "goal", "list", "method", "question", "talk", "test",
        "start", "note", "record", "choice", "pause", "rule", "step", "target", "measure", "trial", "draft", "guess", "reminder",
        "outline", "journal", "summary", "baseline", "timeline", "mentor", "coach", "friend", "map", "diary", "chart", "sketch",
        "promise", "deadline", "walk", "break", "tweak", "shift", "idea", "hunch", "rhythm", "ritual", "tool", "guide", "tip",
    ]
    static let verbs = [
        "improve", "shape", "simplify", "support", "strengthen", "clarify", "protect", "steady", "sharpen", "speed up", "ease", "guide",
        "frame", "anchor", "ground", "rescue", "lift", "change", "tidy up", "smooth", "inform", "refine", "balance", "unlock", "boost",
        "reinforce", "focus", "direct", "reshape", "restore", "settle", "structure", "explain", "brighten", "fix", "rethink", "free up",
        "open up", "carry", "drive", "feed", "fuel", "power", "spark", "save", "rescue", "reward", "test", "stretch", "calm",
    ]
    static let modals = ["can", "will", "may", "should", "could", "might", "rarely fails to", "tends to", "helps to", "does", "must"]
    static let imperatives = [
        "Try", "Keep", "Write", "Build", "Plan", "Pick", "Set", "Review", "Share", "Compare", "Track", "Test", "Start", "Draft", "Note",
        "Choose", "Make", "Book", "Sketch", "Save", "Protect", "Schedule", "Find", "Ask for", "Swap in", "Add", "Mark",
    ]
    static let prepositions = ["for", "during", "after", "before", "within", "across", "through", "over", "despite", "without", "around", "beyond"]
    static let settings = [
        "week", "month", "season", "budget", "team", "beginner", "family", "weekend", "commute", "project", "trip", "morning", "evening",
        "year", "holiday", "race", "climb", "winter", "summer", "spring", "autumn", "deadline", "launch", "move", "course", "class",
        "hobby", "club", "crew", "household", "newcomer", "expert", "friend", "group",
    ]
    static let linkers = ["and", "so", "while", "because", "since", "and then", "but", "yet", "until", "once"]
    static let qualifiers = [
        "", "", "", "", "everyday ", "weekend ", "serious ", "casual ", "good ", "modern ", "simple ", "local ", "smart ", "affordable ",
        "better ", "safer ", "cheaper ", "lighter ", "faster ", "calmer ", "slower ", "new ", "first ", "real ",
    ]
    static let headings = [
        "Why %@ matters", "Getting started with %@", "Common mistakes with %@", "What to look for in %@", "How %@ fits your week",
        "A practical guide to %@", "Questions people ask about %@", "Making %@ last", "Small wins with %@", "Where %@ goes next",
        "The basics of %@", "What nobody tells you about %@", "Choosing well: %@", "Living with %@", "Rethinking %@", "%@ on a budget",
        "%@ for beginners", "Notes on %@", "Second thoughts on %@", "A fresh look at %@", "%@, step by step", "Doing %@ well",
    ]

    /// "speed up" → "speeds up"; "carry" → "carries"; "fix" → "fixes".
    static func thirdPerson(_ verb: String) -> String {
        var words = verb.split(separator: " ").map(String.init)
        let head = words[0]
        if head.hasSuffix("y"), let before = head.dropLast().last, !"aeiou".contains(before) {
            words[0] = head.dropLast() + "ies"
        } else if ["s", "sh", "ch", "x", "z"].contains(where: { head.hasSuffix($0) }) {
            words[0] = head + "es"
        } else {
            words[0] = head + "s"
        }
        return words.joined(separator: " ")
    }

    mutating func noun() -> String {
        let adjective = pick(Self.adjectives)
        var determiner = pick(Self.determiners)
        if determiner == "a", adjective == "honest" || "aeio".contains(adjective.first!) { determiner = "an" }
        return "\(determiner) \(adjective) \(pick(Self.nouns))"
    }
    mutating func tail() -> String {
        random.next() % 3 == 0 ? "" : " \(pick(Self.prepositions)) \(pick(Self.determiners)) \(pick(Self.adjectives)) \(pick(Self.settings))"
    }
    mutating func object(_ subject: String) -> String { "\(pick(Self.qualifiers))\(subject)" }

    /// One sentence about `subject`, in one of several shapes, 8 to 20 words.
    mutating func sentence(about subject: String) -> String {
        let sentence: String
        switch random.next() % 6 {
        case 0, 1:
            sentence = "\(pick(Self.openers))\(noun()) \(Self.thirdPerson(pick(Self.verbs))) \(object(subject))\(tail())."
        case 2:
            sentence = "\(pick(Self.openers))\(noun()) \(pick(Self.modals)) \(pick(Self.verbs)) \(object(subject))\(tail())."
        case 3:
            sentence =
                "\(pick(Self.imperatives)) \(noun())\(tail()), \(pick(Self.linkers)) \(noun()) \(pick(Self.modals)) \(pick(Self.verbs)) \(object(subject))."
        case 4:
            sentence = "With \(object(subject)), \(noun()) \(Self.thirdPerson(pick(Self.verbs))) \(noun())\(tail())."
        default:
            sentence = "Can \(noun()) really \(pick(Self.verbs)) \(object(subject))\(tail())?"
        }
        return sentence.prefix(1).uppercased() + sentence.dropFirst()
    }

    /// A short piece of advice.
    mutating func aside() -> String {
        "\(pick(Self.imperatives)) \(noun())\(tail()), \(pick(Self.linkers)) \(noun()) \(pick(Self.modals)) \(pick(Self.verbs)) it."
    }

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
