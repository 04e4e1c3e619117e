import Foundation
import LinkwrightCore
import NIOPosix

/// The `content` engine: writes the draft for one slot of a campaign. The draft is sanitised to
/// the allow-list, checked, and compared with the tenant's earlier drafts; one more than 30%
/// similar to another is written again with that text named to avoid, at most three times, after
/// which it goes to review flagged. The result is recorded with the task's completion (the
/// runtime writes the draft); a person reviews it before anything is published.
public struct ContentEngine: Engine {
    public let name = "content"
    public static let regenerationsForOriginality = 3

    let generator: ContentGenerator
    /// Reads the page a comment or reply answers; without one, such slots with a page fail.
    let reader: PostReader?
    let parsing: NIOThreadPool

    public init(generator: ContentGenerator, reader: PostReader? = nil, parsing: NIOThreadPool = .singleton) {
        self.generator = generator
        self.reader = reader
        self.parsing = parsing
    }

    /// Roughly what an article costs with a model provider; the template writer costs nothing.
    public var estimatedUsage: [Usage] { generator.providerNames.first == "template" ? [] : [Usage(.llmTokens, 3000)] }

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        guard let payload = try? JSONDecoder().decode(ContentTaskPayload.self, from: Data(task.payload.utf8)),
            let engine = PlacementEngine(rawValue: payload.engine)
        else { return .failed(reason: "the content task's payload is not readable") }
        let kind = ContentKind.forSlot(engine)
        var brief = ContentBrief(
            kind: kind, targetURL: payload.targetURL, anchor: payload.anchor, keywords: payload.keywords, topic: payload.topic,
            notes: payload.notes, seed: MinHashSignature.fnv1a(payload.slotKey) &+ UInt64(payload.version) &* 7919)
        // A comment or reply answers the actual page: its title and text go into the prompt. A
        // page that cannot be read (robots.txt, gone, not HTML) fails the task with the reason.
        if kind.respondsToPage, let pageURL = payload.pageURL {
            guard let reader else { return .failed(reason: "this worker cannot read the page \(pageURL) the draft must answer") }
            do {
                brief.context = try await reader.read(pageURL)
            } catch {
                return .failed(reason: error.description)
            }
        }
        let quality = DraftQuality(kind: kind, targetURL: payload.targetURL, anchors: [payload.anchor])
        // Tokens per provider: a task's generations may come from different providers when one
        // falls back, and each is priced at its own rates.
        var tokens: [String: (input: Int, output: Int)] = [:]
        var regenerations = 0
        while true {
            let generated: ContentGenerator.Generated
            do {
                generated = try await generator.generate(brief)
            } catch {
                return .failed(reason: "\(error)")
            }
            tokens[generated.provider, default: (0, 0)].input += generated.reply.tokensIn
            tokens[generated.provider, default: (0, 0)].output += generated.reply.tokensOut
            let draft = try await parsing.runIfActive { Self.examine(generated.reply.text, kind: kind, targetURL: payload.targetURL) }
            var checks = quality.check(text: draft.text, links: draft.links)
            let signature = MinHashSignature(text: draft.text)
            var similarity = 0.0
            var closestText: String?
            if let index = tools.originality,
                let closest = try await index.closest(tenantID: task.tenantID, excludingSlot: payload.slotKey, signature: signature)
            {
                similarity = closest.similarity
                closestText = closest.text
            }
            checks.append(DraftQuality.originality(similarity: similarity))
            if similarity > 0.3, regenerations < Self.regenerationsForOriginality, let closestText {
                regenerations += 1
                brief.avoid.append(closestText)
                brief.seed &+= 1
                continue
            }
            let result = DraftResult(
                slotKey: payload.slotKey, kind: kind.rawValue, version: payload.version, body: draft.body, provider: generated.provider,
                model: generated.reply.model, checks: checks, passed: checks.allSatisfy(\.passed), flagged: similarity > 0.3,
                similarity: similarity, minhash: signature.values.map { Int64(bitPattern: $0) }, tokensIn: tokens.values.reduce(0) { $0 + $1.input },
                tokensOut: tokens.values.reduce(0) { $0 + $1.output })
            // The template writer uses no tokens, so it charges nothing.
            let usage = tokens.sorted { $0.key < $1.key }.map {
                Usage(ModelTokens(provider: $0.key, input: Int64($0.value.input), output: Int64($0.value.output)))
            }
            return .done(result: try result.json(), usage: usage)
        }
    }

    /// The sanitised body, its visible text and its links, as the checks read them. For plain
    /// text kinds the body is the text itself and the links are the URLs in it.
    static func examine(_ raw: String, kind: ContentKind, targetURL: String) -> (body: String, text: String, links: [DraftQuality.Link]) {
        if kind.isHTML {
            let (body, links) = HTMLSanitizer.sanitizeWithLinks(raw)
            let text = HTMLSanitizer.text(ofSanitized: body, between: " ")
            return (body, text, links.map { .init(href: $0.href, text: $0.text) })
        }
        // Plain text: whatever markup a model added is removed, and what is left is the text.
        let text = HTMLSanitizer.text(ofSanitized: HTMLSanitizer.sanitize(raw), between: "").trimmingCharacters(in: .whitespacesAndNewlines)
        let urls = ContentLength.tokens(text).filter(\.isURL).map { DraftQuality.Link(href: String($0.text), text: String($0.text)) }
        return (text, text, urls)
    }
}
