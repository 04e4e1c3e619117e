import Foundation

/// Everything a person sets on a campaign, validated: each rule names the field it guards.
public struct CampaignSettings: Sendable, Equatable {
    public var name: String
    public var targetURL: String
    public var anchorTexts: [String]
    public var keywords: [String]
    public var engines: [PlacementEngine]
    public var priority: CampaignPriority
    public var dailyLimit: Int
    public var budgetMicros: Int64
    public var minAuthority: Int
    public var startsAt: Date?
    public var endsAt: Date?
    /// How often the campaign's live placements are checked again.
    public var verifyEveryHours: Int
    /// Drafts that pass every check are approved without a person, for the tenant's own sites
    /// only: never for comments or forums, which always go to third-party sites.
    public var autoApprove: Bool = false
    /// The blog posts the campaign's comment slots answer, in order: each post gets at most one
    /// comment from the tenant, so comment slots are planned only while posts remain.
    public var commentPages: [String] = []

    public init(
        name: String, targetURL: String, anchorTexts: [String], keywords: [String], engines: [PlacementEngine],
        priority: CampaignPriority, dailyLimit: Int, budgetMicros: Int64, minAuthority: Int, startsAt: Date?, endsAt: Date?,
        verifyEveryHours: Int = 24
    ) {
        self.name = name
        self.targetURL = targetURL
        self.anchorTexts = anchorTexts
        self.keywords = keywords
        self.engines = engines
        self.priority = priority
        self.dailyLimit = dailyLimit
        self.budgetMicros = budgetMicros
        self.minAuthority = minAuthority
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.verifyEveryHours = verifyEveryHours
    }

    /// What a client sent; nil means absent.
    public struct Input: Sendable {
        public var name: String?
        public var targetURL: String?
        public var anchorTexts: [String]?
        public var keywords: [String]?
        public var engines: [String]?
        public var priority: String?
        public var dailyLimit: Int?
        public var budgetMicros: Int64?
        public var minAuthority: Int?
        public var startsAt: Date??
        public var endsAt: Date??
        public var verifyEveryHours: Int?
        public var autoApprove: Bool?
        public var commentPages: [String]?

        public init(
            name: String? = nil, targetURL: String? = nil, anchorTexts: [String]? = nil, keywords: [String]? = nil,
            engines: [String]? = nil, priority: String? = nil, dailyLimit: Int? = nil, budgetMicros: Int64? = nil,
            minAuthority: Int? = nil, startsAt: Date?? = nil, endsAt: Date?? = nil
        ) {
            self.name = name
            self.targetURL = targetURL
            self.anchorTexts = anchorTexts
            self.keywords = keywords
            self.engines = engines
            self.priority = priority
            self.dailyLimit = dailyLimit
            self.budgetMicros = budgetMicros
            self.minAuthority = minAuthority
            self.startsAt = startsAt
            self.endsAt = endsAt
        }
    }

    public static let dailyLimitRange = 1...1000
    /// From hourly to monthly.
    public static let verifyEveryHoursRange = 1...720
    public static let maximumBudgetMicros: Int64 = 1_000_000_000_000  // one million dollars
    public static let maximumCommentPages = 1000

    /// A new campaign from `input`. Required: name, target_url, anchor_texts, engines.
    public static func creating(from input: Input) throws(FieldError) -> CampaignSettings {
        guard let name = input.name else { throw FieldError("name", "is required") }
        guard let target = input.targetURL else { throw FieldError("target_url", "is required") }
        guard let anchors = input.anchorTexts else { throw FieldError("anchor_texts", "is required") }
        guard input.engines != nil else { throw FieldError("engines", "is required") }
        // Placeholders only: `apply` validates and replaces every field the input carries, and
        // the required ones are known to be present.
        var settings = CampaignSettings(
            name: name, targetURL: target, anchorTexts: anchors, keywords: [], engines: [], priority: .normal,
            dailyLimit: 5, budgetMicros: 0, minAuthority: 0, startsAt: nil, endsAt: nil)
        try settings.apply(input)
        return settings
    }

    /// Applies the fields present in `input`, validating each; on error nothing is changed.
    public mutating func apply(_ input: Input, now: Date = Date()) throws(FieldError) {
        var next = self
        if let name = input.name {
            let trimmed = name.trimmingWhitespace()
            guard (1...200).contains(trimmed.count) else { throw FieldError("name", "must be 1 to 200 characters") }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw FieldError("name", "must not contain control characters")
            }
            next.name = trimmed
        }
        if let target = input.targetURL { next.targetURL = try TargetURL.normalise(target) }
        if let anchors = input.anchorTexts {
            next.anchorTexts = try Self.texts(anchors, field: "anchor_texts", count: 1...50, length: 200)
        }
        if let keywords = input.keywords {
            next.keywords = try Self.texts(keywords, field: "keywords", count: 0...100, length: 100)
        }
        if let engines = input.engines {
            var chosen: [PlacementEngine] = []
            for raw in engines {
                guard let engine = PlacementEngine(rawValue: raw) else {
                    throw FieldError("engines", "may contain only comments, web2, forums and social")
                }
                if !chosen.contains(engine) { chosen.append(engine) }
            }
            guard !chosen.isEmpty else { throw FieldError("engines", "must name at least one engine") }
            next.engines = chosen
        }
        if let priority = input.priority {
            guard let value = CampaignPriority(rawValue: priority) else { throw FieldError("priority", "must be high, normal or bulk") }
            next.priority = value
        }
        if let limit = input.dailyLimit {
            guard Self.dailyLimitRange.contains(limit) else {
                throw FieldError("daily_limit", "must be from \(Self.dailyLimitRange.lowerBound) to \(Self.dailyLimitRange.upperBound)")
            }
            next.dailyLimit = limit
        }
        if let budget = input.budgetMicros {
            guard (0...Self.maximumBudgetMicros).contains(budget) else {
                throw FieldError("budget_micros", "must be from 0 to \(Self.maximumBudgetMicros) micro-dollars")
            }
            next.budgetMicros = budget
        }
        if let authority = input.minAuthority {
            guard (0...100).contains(authority) else { throw FieldError("min_authority", "must be from 0 to 100") }
            next.minAuthority = authority
        }
        if let auto = input.autoApprove { next.autoApprove = auto }
        if let pages = input.commentPages {
            guard pages.count <= Self.maximumCommentPages else {
                throw FieldError("comment_pages", "must have at most \(Self.maximumCommentPages) entries")
            }
            var normalised: [String] = []
            for page in pages {
                let url = try TargetURL.normalise(page, field: "comment_pages")
                if !normalised.contains(url) { normalised.append(url) }
            }
            next.commentPages = normalised
        }
        // Checked after the engines are known, whichever of the two the input changes.
        if next.autoApprove, let thirdParty = next.engines.first(where: { !$0.mayAutoApprove }) {
            throw FieldError("auto_approve", "\(thirdParty.rawValue) goes to third-party sites and is always reviewed by a person")
        }
        if let hours = input.verifyEveryHours {
            guard Self.verifyEveryHoursRange.contains(hours) else {
                throw FieldError(
                    "verify_every_hours", "must be from \(Self.verifyEveryHoursRange.lowerBound) to \(Self.verifyEveryHoursRange.upperBound)")
            }
            next.verifyEveryHours = hours
        }
        if let startsAt = input.startsAt { next.startsAt = startsAt }
        if let endsAt = input.endsAt {
            if let end = endsAt, end <= now { throw FieldError("ends_at", "must be in the future") }
            next.endsAt = endsAt
        }
        if let start = next.startsAt, let end = next.endsAt, end <= start {
            throw FieldError("ends_at", "must be after starts_at")
        }
        self = next
    }

    private static func texts(_ values: [String], field: String, count: ClosedRange<Int>, length: Int) throws(FieldError) -> [String] {
        var result: [String] = []
        for value in values {
            let trimmed = value.trimmingWhitespace()
            guard !trimmed.isEmpty, trimmed.count <= length else {
                throw FieldError(field, "entries must be 1 to \(length) characters")
            }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw FieldError(field, "entries must not contain control characters")
            }
            if !result.contains(trimmed) { result.append(trimmed) }
        }
        guard count.contains(result.count) else { throw FieldError(field, "must have \(count.lowerBound) to \(count.upperBound) distinct entries") }
        return result
    }
}
