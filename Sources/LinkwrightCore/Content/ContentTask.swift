import Foundation

/// What a content task's payload says: the slot and what the campaign wants.
public struct ContentTaskPayload: Codable, Sendable, Equatable {
    public var campaignID: String
    public var slotKey: String
    public var engine: String
    public var anchor: String
    public var targetURL: String
    public var keywords: [String]
    public var topic: String
    /// The draft's version this task writes (1, then one more per regeneration).
    public var version: Int
    public var notes: String?
    /// The post a comment answers or the topic a forum reply joins, when the slot has one: the
    /// engine reads it and the draft responds to it.
    public var pageURL: String?

    public init(
        campaignID: String, slotKey: String, engine: String, anchor: String, targetURL: String, keywords: [String], topic: String,
        version: Int = 1, notes: String? = nil, pageURL: String? = nil
    ) {
        self.campaignID = campaignID
        self.slotKey = slotKey
        self.engine = engine
        self.anchor = anchor
        self.targetURL = targetURL
        self.keywords = keywords
        self.topic = topic
        self.version = version
        self.notes = notes
        self.pageURL = pageURL
    }

    enum CodingKeys: String, CodingKey {
        case campaignID = "campaign_id"
        case slotKey = "slot_key"
        case engine, anchor
        case targetURL = "target_url"
        case keywords, topic, version, notes
        case pageURL = "page_url"
    }

    public func json() -> String { (try? taskJSON()) ?? "{}" }
}

/// What the content engine hands the runtime to record as the draft.
public struct DraftResult: Codable, Sendable, Equatable {
    public var slotKey: String
    public var kind: String
    public var version: Int
    public var body: String
    public var provider: String
    public var model: String
    public var checks: [DraftCheck]
    public var passed: Bool
    public var flagged: Bool
    public var similarity: Double
    public var minhash: [Int64]
    public var tokensIn: Int
    public var tokensOut: Int

    enum CodingKeys: String, CodingKey {
        case slotKey = "slot_key"
        case kind, version, body, provider, model, checks, passed, flagged, similarity, minhash
        case tokensIn = "tokens_in"
        case tokensOut = "tokens_out"
    }

    public init(json: String) throws { self = try JSONDecoder().decode(Self.self, from: Data(json.utf8)) }

    public init(
        slotKey: String, kind: String, version: Int, body: String, provider: String, model: String, checks: [DraftCheck], passed: Bool,
        flagged: Bool, similarity: Double, minhash: [Int64], tokensIn: Int, tokensOut: Int
    ) {
        self.slotKey = slotKey
        self.kind = kind
        self.version = version
        self.body = body
        self.provider = provider
        self.model = model
        self.checks = checks
        self.passed = passed
        self.flagged = flagged
        self.similarity = similarity
        self.minhash = minhash
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
    }

    public func json() throws -> String { try taskJSON() }
}

extension ContentTaskPayload {
    /// The content task's idempotency key for a version of a slot's draft.
    public static func taskKey(slot: String, version: Int) -> String { "\(slot):content:v\(version)" }
}
