import Foundation
import LinkwrightCore

/// A task as an engine sees it: what to do, never how it is stored.
public struct EngineTask: Sendable {
    public let tenantID: UUID
    public let taskID: Int64
    public let engine: String
    public let attempt: Int
    /// Stable across retries and re-deliveries: engines pass it to platforms that accept one, so
    /// a repeated attempt cannot publish twice.
    public let idempotencyKey: String
    /// The task's JSON payload.
    public let payload: String

    public init(tenantID: UUID, taskID: Int64, engine: String, attempt: Int, idempotencyKey: String, payload: String) {
        self.tenantID = tenantID
        self.taskID = taskID
        self.engine = engine
        self.attempt = attempt
        self.idempotencyKey = idempotencyKey
        self.payload = payload
    }
}

/// How an attempt ended. The runtime records it; engines never touch the database.
public enum EngineOutcome: Sendable, Equatable {
    /// Done; `result` (a JSON object) and what the work used are recorded with the completion,
    /// once: the usage is priced and written to the cost ledger in the completing transaction.
    case done(result: String, usage: [Usage] = [])
    /// This attempt failed; retry with backoff while attempts remain.
    case failed(reason: String)
    /// Trying again cannot help (the site is gone, the platform refused the content): the task
    /// ends `dead` with the reason at once.
    case gaveUp(reason: String)
    /// Waiting for something outside the task (a platform's `Retry-After`, an account a person
    /// must reconnect): run again after `for`, the attempt not counted, so it never dies of it.
    case waiting(reason: String, for: Duration)
}

/// What engines may use. Grows with the fetcher, content generators and connected accounts.
public struct EngineTools: Sendable {
    public let now: @Sendable () -> Date
    /// The tenant's earlier drafts, to keep a new one original; nil where there is no store.
    public let originality: (any OriginalityIndex)?
    /// Approved drafts and connected accounts, for the publishing engines; nil where there is no
    /// store.
    public let publishing: (any PublishingDesk)?
    /// Each connected account's action limits; nil runs without them (a test of one action).
    public let actions: (any ActionLimiter)?
    /// Prospecting jobs' settings, for the prospecting engine; nil where there is no store.
    public let prospecting: (any ProspectingDesk)?

    public init(
        now: @escaping @Sendable () -> Date = { Date() }, originality: (any OriginalityIndex)? = nil, publishing: (any PublishingDesk)? = nil,
        actions: (any ActionLimiter)? = nil, prospecting: (any ProspectingDesk)? = nil
    ) {
        self.now = now
        self.originality = originality
        self.publishing = publishing
        self.actions = actions
        self.prospecting = prospecting
    }
}

/// What a publishing engine may ask of the store: the approved draft it publishes, an account
/// the tenant connected to publish with, and telling that an account stopped working. The worker
/// runtime provides it; engines never see the database.
public protocol PublishingDesk: Sendable {
    /// The draft, only while it is approved (a person may have changed their mind).
    func approvedDraft(tenantID: UUID, id: UUID) async throws -> ApprovedDraft?
    /// An active account of the tenant on one of `platforms` (only the ones the tenant owns when
    /// `ownedOnly`), with its secret; a slot's account is chosen by `spreadKey`, so a campaign's
    /// slots are shared among its accounts and a retried slot uses the same one.
    func account(tenantID: UUID, platforms: [ConnectionPlatform], ownedOnly: Bool, spreadKey: String) async throws -> ConnectedAccount?
    /// The platform refused the account's credentials: it is not used again until a person
    /// reconnects it; `reason` is what they read.
    func accountFailed(tenantID: UUID, id: UUID, reason: String) async throws
    /// The platform refused the draft's content (`reason` is its message): the draft goes back
    /// to review with it, and the slot may be published again once a person approves it (or a
    /// rewrite of it). `taskID` is the publishing task that gives up.
    func draftRefused(tenantID: UUID, draftID: UUID, taskID: Int64, reason: String) async throws
    /// How many more placements the tenant's plan allows this month, of how many, and when the
    /// allowance starts again: asked before publishing, since a placed link cannot be taken back.
    /// The tenant's other publishing tasks running at the same moment (`taskID` is this one) count
    /// as placed, so together they cannot pass the limit.
    func placementAllowance(tenantID: UUID, taskID: Int64) async throws -> (left: Int, limit: Int, resetsAt: Date)
    /// Holds the post at `pageURL` for the slot `slotKey`, so the tenant comments on it at most
    /// once: false when another slot holds it; true for the slot that does (again on a retry).
    func claimPost(tenantID: UUID, pageURL: String, slotKey: String) async throws -> Bool
}

public struct ApprovedDraft: Sendable, Equatable {
    public let id: UUID
    public let body: String
    /// What the campaign is about, in the tenant's words (its name): a title when the draft has
    /// no heading.
    public let topic: String

    public init(id: UUID, body: String, topic: String) {
        self.id = id
        self.body = body
        self.topic = topic
    }
}

public struct ConnectedAccount: Sendable, Equatable {
    public let id: UUID
    public let platform: ConnectionPlatform
    public let baseURL: String
    public let username: String
    public let secret: String
    /// A commenter's email address; nil for accounts that sign in.
    public let email: String?
    /// How hard the account may be used (the platform's defaults with the tenant's changes).
    public let limits: ActionLimits

    public init(
        id: UUID, platform: ConnectionPlatform, baseURL: String, username: String, secret: String, email: String? = nil,
        limits: ActionLimits? = nil
    ) {
        self.id = id
        self.platform = platform
        self.baseURL = baseURL
        self.username = username
        self.secret = secret
        self.email = email
        self.limits = limits ?? ActionLimits.defaults(for: platform)
    }
}

/// Looks a draft up among the tenant's earlier ones. The worker runtime provides it from the
/// store; engines see only this question and its answer.
public protocol OriginalityIndex: Sendable {
    /// The earlier draft most similar to `signature` among those sharing a band key with it,
    /// other than the draft of `slotKey` itself; nil when none does.
    func closest(tenantID: UUID, excludingSlot slotKey: String, signature: MinHashSignature) async throws -> (similarity: Double, text: String)?
}

/// One kind of work: comments, web2, forums, social, verification, prospecting.
public protocol Engine: Sendable {
    var name: String { get }
    /// What one task of this engine is expected to use at most: reserved against the campaign's
    /// budget before the task runs, so concurrent workers cannot together overspend it.
    var estimatedUsage: [Usage] { get }
    func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome
}

extension Engine {
    public var estimatedUsage: [Usage] { [] }
}
