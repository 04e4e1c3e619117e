/// What one draft must be: everything a writer, human or model, needs and nothing else.
public struct ContentBrief: Sendable, Codable, Equatable {
    /// The post a comment answers, or the topic a forum reply joins: read by the engine through
    /// the guarded fetcher, so the draft responds to what is actually there.
    public struct Context: Sendable, Codable, Equatable {
        public var title: String
        public var text: String

        public init(title: String, text: String) {
            self.title = title
            self.text = text
        }
    }

    public var kind: ContentKind
    public var targetURL: String
    /// The anchor this slot uses (the campaign's anchors in rotation).
    public var anchor: String
    public var keywords: [String]
    /// What the campaign is about, in the tenant's words (its name).
    public var topic: String
    public var context: Context?
    /// A reviewer's notes from sending the previous version back.
    public var notes: String?
    /// Earlier drafts this one came out too close to: to be written differently from.
    public var avoid: [String]
    /// Varies the offline writer's choices; the slot's idempotency key hashed, so a retried task
    /// writes the same draft and a regeneration (seed + n) a different one.
    public var seed: UInt64

    public init(
        kind: ContentKind, targetURL: String, anchor: String, keywords: [String], topic: String, context: Context? = nil,
        notes: String? = nil, avoid: [String] = [], seed: UInt64
    ) {
        self.kind = kind
        self.targetURL = targetURL
        self.anchor = anchor
        self.keywords = keywords
        self.topic = topic
        self.context = context
        self.notes = notes
        self.avoid = avoid
        self.seed = seed
    }
}

/// A brief as a model reads it: one system instruction and one request.
public struct ContentPrompt: Sendable, Equatable {
    public let system: String
    public let user: String
    /// Enough for the longest text the kind allows, with room to spare.
    public let maxTokens: Int

    public init(_ brief: ContentBrief) {
        let bounds = brief.kind.bounds
        let length = brief.kind.countsWords ? "\(bounds.lowerBound) to \(bounds.upperBound) words" : "at most \(bounds.upperBound) characters"
        system = """
            You write for people, in plain and natural English. Never mention being an AI. Never \
            use placeholders, brackets or template markers. Output only the requested text.
            """
        var lines: [String] = []
        switch brief.kind {
        case .article:
            lines.append("Write an article of \(length) about \(brief.topic).")
            lines.append(
                "Format it as HTML using only <h2>, <h3>, <p>, <ul>, <ol>, <li>, <blockquote>, <strong>, <em> and exactly one "
                    + "<a href=\"\(brief.targetURL)\">\(brief.anchor)</a>, placed where it helps the reader.")
        case .comment:
            lines.append("Write a blog comment of \(length) that responds to the post below: add something of substance to it.")
            lines.append("Plain text, no links and no URLs: the commenter's website field carries the link.")
        case .forumReply:
            lines.append("Write a forum reply of \(length) that helps with the topic below.")
            lines.append(
                "Format it as HTML with <p> (and lists if useful) and exactly one <a href=\"\(brief.targetURL)\">\(brief.anchor)</a> where it is a genuine pointer."
            )
        case .forumBio:
            lines.append("Write a forum profile bio of \(length) for someone who knows \(brief.topic). Plain text, no links.")
        case .mastodonPost:
            lines.append("Write a Mastodon post of \(length) (every URL counts as 23) about \(brief.topic), ending with the URL \(brief.targetURL).")
        case .blueskyPost:
            lines.append("Write a Bluesky post of \(length) about \(brief.topic) that includes the URL \(brief.targetURL) once.")
        }
        if !brief.keywords.isEmpty { lines.append("Work in, naturally: \(brief.keywords.joined(separator: ", ")).") }
        if let context = brief.context {
            lines.append("Title: \(context.title)")
            lines.append("Text:\n\(String(context.text.prefix(6000)))")
        }
        if let notes = brief.notes, !notes.isEmpty { lines.append("A reviewer sent the previous version back with these notes: \(notes)") }
        for text in brief.avoid.prefix(3) {
            lines.append("Do not resemble this earlier text; choose another angle and other wording:\n\(String(text.prefix(1500)))")
        }
        user = lines.joined(separator: "\n\n")
        maxTokens = brief.kind.countsWords ? bounds.upperBound * 2 + 200 : 400
    }
}
