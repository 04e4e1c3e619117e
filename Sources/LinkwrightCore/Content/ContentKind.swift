/// What a draft is for, each with its own length bounds and link rules.
public enum ContentKind: String, Sendable, CaseIterable, Codable {
    /// An article for a web 2.0 site: 400 to 1,200 words, the link in the text.
    case article
    /// A blog comment that answers the post; the link goes in the author's website field.
    case comment
    case forumReply = "forum_reply"
    /// A forum profile's bio; the link goes in the profile's website field.
    case forumBio = "forum_bio"
    /// At most 500 characters, every URL counted as 23 (Mastodon's rule).
    case mastodonPost = "mastodon_post"
    /// At most 300 graphemes (Bluesky's rule); the link as a facet over its text.
    case blueskyPost = "bluesky_post"

    /// How long the text may be, in words (`article`, `comment`, forum kinds) or characters as
    /// the platform counts them (social posts).
    public var bounds: ClosedRange<Int> {
        switch self {
        case .article: 400...1200
        case .comment: 25...180
        case .forumReply: 40...300
        case .forumBio: 8...60
        case .mastodonPost: 40...500
        case .blueskyPost: 40...300
        }
    }

    /// Whether the bounds count words; otherwise they count the platform's characters.
    public var countsWords: Bool { self != .mastodonPost && self != .blueskyPost }

    /// Whether the link must be inside the text. A comment and a bio carry it in the author's or
    /// profile's website field instead, where the platform puts it.
    public var linkInText: Bool { self != .comment && self != .forumBio }

    /// Whether the draft answers a page someone else wrote (a blog comment, a forum reply), so
    /// the writer is given that page's title and text.
    public var respondsToPage: Bool { self == .comment || self == .forumReply }

    /// Whether the text is HTML (articles, forum replies) or plain text.
    public var isHTML: Bool { self == .article || self == .forumReply }
}

extension ContentKind {
    /// What a slot of `engine` needs written. A social slot writes within Bluesky's 300
    /// graphemes, which fit Mastodon too, unless it is known to go to a Mastodon account.
    public static func forSlot(_ engine: PlacementEngine, platform: ConnectionPlatform? = nil) -> ContentKind {
        switch engine {
        case .web2: .article
        case .comments: .comment
        case .forums: .forumReply
        case .social: platform == .mastodon ? .mastodonPost : .blueskyPost
        }
    }
}
