import Foundation
import LinkwrightCore
import NIOPosix

/// The `forums` engine: with a forum account the tenant connected (the connection's site is the
/// board to post in), keeps the profile's signature carrying the campaign's link, then starts a
/// topic with the approved draft, through the forum software's adapter (`ForumAdapter`). Forum
/// posts land on other people's sites, so their drafts are always reviewed by a person.
public struct ForumsEngine: Engine {
    public let name = "forums"
    let fetcher: Fetcher
    let parsing: NIOThreadPool
    let observer: (any PublishObserver)?

    public init(fetcher: Fetcher, parsing: NIOThreadPool = .singleton, observer: (any PublishObserver)? = nil) {
        self.fetcher = fetcher
        self.parsing = parsing
        self.observer = observer
    }

    public var estimatedUsage: [Usage] { [Usage(.placement, 1)] }

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        let job: PublishingJob
        switch try await PublishingJob.open(task, tools: tools) {
        case .ready(let opened): job = opened
        case .stop(let outcome): return outcome
        }
        let (payload, desk) = (job.payload, job.desk)
        guard let account = try await desk.account(tenantID: task.tenantID, platforms: [.forum], ownedOnly: false, spreadKey: task.idempotencyKey)
        else {
            return .waiting(reason: "no active forum account to post with: connect one", for: Web2Engine.accountWait)
        }
        // The signature is a profile update, limited on its own and taken first: when its window is
        // closed the topic still goes out, carrying its link in the text.
        let updateSignature = await tools.actions?.wait(for: .profileUpdate, of: account, observer: observer, unspaced: true) == nil
        if let wait = await tools.actions?.wait(for: .publish, of: account, observer: observer) { return wait }
        let forum = ForumAdapters.adapter(for: account, fetcher: fetcher, parsing: parsing)
        let body = job.draft.body
        let subject = (try? await parsing.runIfActive { Self.subject(of: body) }).flatMap { $0 } ?? job.draft.topic
        let markdown = (try? await parsing.runIfActive { Markdown.from(sanitizedHTML: body) }) ?? ""
        let started = ContinuousClock.now
        let topic: (id: String, url: String)
        do {
            if updateSignature {
                _ = try await forum.ensureSignature("[\(Markdown.escape(payload.anchorText))](\(payload.targetURL))", carrying: payload.targetURL)
            }
            topic = try await forum.startTopic(subject: subject, markdown: markdown)
        } catch {
            observer?.attempted(engine: name, platform: .forum, outcome: error.outcome, duration: ContinuousClock.now - started)
            return try await job.outcome(of: error, account: account, task: task)
        }
        observer?.attempted(engine: name, platform: .forum, outcome: "published", duration: ContinuousClock.now - started)
        let result = PublishResult(
            draftID: payload.draftID, connectionID: account.id, platform: .forum, platformID: topic.id, sourceURL: topic.url,
            targetURL: payload.targetURL, anchorText: payload.anchorText, expectedRel: forum.expectedRel)
        return .done(result: try result.json(), usage: estimatedUsage)
    }

    /// The topic's subject: the draft's heading, else its first sentence (at most 90 characters,
    /// cut at a word). Each slot's draft is its own, so the subject names the slot's topic.
    /// CPU-bound.
    static func subject(of html: String) -> String? {
        if let start = html.range(of: "<h2>"), let end = html.range(of: "</h2>", range: start.upperBound..<html.endIndex) {
            let heading = HTMLSanitizer.text(ofSanitized: String(html[start.upperBound..<end.lowerBound]), between: " ")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !heading.isEmpty { return heading }
        }
        let text = HTMLSanitizer.text(ofSanitized: html, between: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !text.isEmpty else { return nil }
        let sentence = text.prefix { !".!?".contains($0) }
        guard sentence.count > 90 else { return String(sentence) }
        let cut = sentence.prefix(90)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
    }
}
