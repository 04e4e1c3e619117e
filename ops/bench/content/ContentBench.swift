import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import LinkwrightWorkers
import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// The content pipeline's benchmark driver (ops/bench/content.sh). Prints one JSON line.
///
///   linkwright-content-bench DATABASE_URL pipeline DRAFTS template|instant
///     DRAFTS content tasks for one tenant, drained by the real worker runtime and content engine
///     (sanitise, checks, originality lookup, draft recorded with its bands, in the completing
///     transaction): drafts per second. `instant` answers at once with model-like articles made
///     before the clock starts (a zero-latency provider); `template` writes each one, and its
///     drafts resemble each other enough to be rewritten and flagged as the tenant's pile grows.
///   linkwright-content-bench DATABASE_URL similarity EXISTING PROBES
///     EXISTING earlier drafts of one tenant with their band keys, then PROBES new drafts looked up
///     through the band index (what the engine does) and, as the reference, compared with every
///     earlier signature in memory: milliseconds per draft.
@main
struct ContentBench {
    static func main() async throws {
        let args = CommandLine.arguments
        guard args.count == 5, let count = Int(args[3]) else { usage() }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let database = Database(endpoint: try DatabaseEndpoint(url: args[1]), maximumConnections: 12, logger: logger)
        let pools = Task { try await database.run() }
        defer { pools.cancel() }
        let (tenant, campaign) = try await setUp(database)
        switch args[2] {
        case "pipeline": try await pipeline(database, tenant: tenant, campaign: campaign, drafts: count, provider: args[4], logger: logger)
        case "similarity", "similarity-template":
            try await similarity(
                database, tenant: tenant, campaign: campaign, existing: count, probes: Int(args[4]) ?? 200, template: args[2] != "similarity")
        default: usage()
        }
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: linkwright-content-bench DATABASE_URL pipeline N template|instant | similarity N PROBES\n".utf8))
        exit(2)
    }

    static let target = "https://client.example/shoes"

    static func setUp(_ database: Database) async throws -> (UUID, UUID) {
        let accounts = AccountRepository(database: database)
        let (tenant, _) = try await accounts.createTenant(
            name: "Bench", ownerEmail: EmailAddress("bench-\(UUID().uuidString.prefix(8))@bench.test")!, passwordHash: "x")
        _ = try await accounts.setPlan(tenantID: tenant.id, plan: "agency")
        let settings = try CampaignSettings.creating(
            from: .init(name: "Bench", targetURL: target, anchorTexts: ["running shoes"], keywords: ["trail running", "shoe fit"], engines: ["web2"]))
        let campaign = try await CampaignRepository(database: database).create(tenantID: tenant.id, settings: settings, createdBy: UUID())
        // Active (the dequeue skips other campaigns' tasks) without the plan a start would add.
        try await database.withTenant(tenant.id) { connection in
            try await connection.query("UPDATE campaigns SET status = 'active' WHERE id = \(campaign.id)", logger: connection.logger)
        }
        return (tenant.id, campaign.id)
    }

    static func brief(_ n: Int) -> ContentBrief {
        ContentBrief(
            kind: .article, targetURL: target, anchor: "running shoes", keywords: ["trail running", "shoe fit"], topic: "Bench",
            seed: MinHashSignature.fnv1a("slot-\(n)") &+ 7919)
    }

    /// Answers at once with drafts written before the clock started, one per seed.
    struct InstantProvider: ContentProvider {
        let name = "instant"
        let texts: [UInt64: String]
        func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply {
            // A rewrite (another seed) was not written ahead: written now, as the template would.
            guard let text = texts[brief.seed] else { return try await TemplateWriter().generate(prompt, brief: brief, timeout: timeout) }
            return ProviderReply(text: text, tokensIn: 0, tokensOut: 0, model: "instant")
        }
    }

    static func pipeline(_ database: Database, tenant: UUID, campaign: UUID, drafts: Int, provider: String, logger: Logger) async throws {
        let writer: any ContentProvider
        if provider == "instant" {
            var texts: [UInt64: String] = [:]
            // Model-like articles: diverse wording (so, as with a real model, no rewrites for
            // originality), the length and the one link an article needs.
            for n in 0..<drafts {
                let words = (diverse(n) + " " + diverse(n + 1_000_000)).split(separator: " ").prefix(450).joined(separator: " ")
                texts[brief(n).seed] = "<p>\(words).</p><p>See <a href=\"\(target)\">running shoes</a>.</p>"
            }
            writer = InstantProvider(texts: texts)
        } else {
            writer = TemplateWriter()
        }
        let tasks = (0..<drafts).map { n in
            let payload = ContentTaskPayload(
                campaignID: campaign.uuidString.lowercased(), slotKey: "slot-\(n)", engine: "web2", anchor: "running shoes", targetURL: target,
                keywords: ["trail running", "shoe fit"], topic: "Bench")
            return NewTask(
                lane: .normal, engine: "content", payload: payload.json(), idempotencyKey: ContentTaskPayload.taskKey(slot: "slot-\(n)", version: 1),
                campaignID: campaign)
        }
        let queue = TaskQueue(database: database)
        for chunk in stride(from: 0, to: tasks.count, by: 5000) {
            try await queue.enqueue(tenantID: tenant, Array(tasks[chunk..<min(chunk + 5000, tasks.count)]))
        }
        let workers = buildWorkers(
            database: database,
            configuration: WorkerConfiguration(concurrency: [.normal: 40], batchSize: 10, pollInterval: .milliseconds(50)),
            engines: EngineRegistry([ContentEngine(generator: ContentGenerator(providers: [writer]))]), logger: logger)
        let start = ContinuousClock.now
        let running = Task { try await workers.run() }
        // Until every task has finished, whichever way: a failing pipeline ends the run too.
        while try await count(database, "SELECT count(*)::int FROM tasks WHERE state NOT IN ('succeeded', 'dead')") > 0 {
            try await Task.sleep(for: .milliseconds(200))
        }
        let written = try await count(database, "SELECT count(*)::int FROM drafts")
        let seconds = (ContinuousClock.now - start).inSeconds
        running.cancel()
        _ = try? await running.value
        let flagged = try await count(database, "SELECT count(*)::int FROM drafts WHERE flagged")
        print(
            #"{"provider": "\#(provider)", "drafts": \#(written), "seconds": \#(String(format: "%.2f", seconds)), "per_second": \#(Int(Double(written) / seconds)), "flagged": \#(flagged)}"#
        )
    }

    static func count(_ database: Database, _ sql: String) async throws -> Int {
        try await database.withSystem { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: connection.logger).decode(Int.self).first { _ in true } ?? 0
        }
    }

    /// A text as a model writes it for another slot: 300 words drawn from a 5,000-word vocabulary
    /// with a Zipf-like skew (common words common), so unrelated drafts share few 3-word shingles.
    static func diverse(_ n: Int) -> String {
        var seed = MinHashSignature.fnv1a("diverse-\(n)") | 1
        func next() -> UInt64 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return seed
        }
        return (0..<300).map { _ in
            let u = Double(next() % 1_000_000) / 1_000_000
            return "w\(Int(pow(5000.0, u)))"
        }.joined(separator: " ")
    }

    static func similarity(_ database: Database, tenant: UUID, campaign: UUID, existing: Int, probes: Int, template: Bool) async throws {
        // Earlier drafts of other slots, written and signed on every core: template articles, or
        // diverse texts as a model would write them.
        let signatures = try await withThrowingTaskGroup(of: [(Int, MinHashSignature, String)].self) { group in
            let cores = ProcessInfo.processInfo.activeProcessorCount
            for core in 0..<cores {
                group.addTask {
                    var made: [(Int, MinHashSignature, String)] = []
                    for n in stride(from: core, to: existing + probes, by: cores) {
                        let b = brief(n)
                        let text = template ? try await TemplateWriter().generate(ContentPrompt(b), brief: b, timeout: .seconds(1)).text : diverse(n)
                        let plain = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
                        made.append((n, MinHashSignature(text: plain), String(text.prefix(200))))
                    }
                    return made
                }
            }
            var all: [(Int, MinHashSignature, String)] = []
            for try await part in group { all += part }
            return all.sorted { $0.0 < $1.0 }
        }
        let earlier = Array(signatures.prefix(existing))
        let newcomers = Array(signatures.suffix(probes))
        for chunk in stride(from: 0, to: earlier.count, by: 1000) {
            let rows = Array(earlier[chunk..<min(chunk + 1000, earlier.count)])
            let ids = rows.map { _ in UUID() }
            try await database.withTenant(tenant) { connection in
                try await connection.query(
                    """
                    INSERT INTO drafts (tenant_id, id, campaign_id, slot_key, engine, kind, state, anchor, body, minhash)
                    SELECT \(tenant), t.id, \(campaign), t.slot, 'web2', 'article', 'ready', 'running shoes', t.body,
                           (SELECT array_agg(v::bigint) FROM jsonb_array_elements_text(t.minhash::jsonb) AS v)
                    FROM unnest(\(ids), \(rows.map { "slot-\($0.0)" }), \(rows.map(\.2)),
                                \(rows.map { "[" + $0.1.values.map { String(Int64(bitPattern: $0)) }.joined(separator: ",") + "]" }))
                         AS t(id, slot, body, minhash)
                    """, logger: connection.logger)
                let keys = rows.map(\.1.bandKeys)
                try await connection.query(
                    """
                    INSERT INTO draft_bands (tenant_id, band, key, draft_id)
                    SELECT \(tenant), (b.n - 1) % \(MinHashSignature.bands), b.key, b.draft_id
                    FROM unnest(\(ids.flatMap { id in Array(repeating: id, count: MinHashSignature.bands) }), \(keys.flatMap { $0 }))
                         WITH ORDINALITY AS b(draft_id, key, n)
                    ON CONFLICT DO NOTHING
                    """, logger: connection.logger)
            }
        }
        try await database.withSystem { connection in
            try await connection.query("ANALYZE drafts", logger: connection.logger)
            try await connection.query("ANALYZE draft_bands", logger: connection.logger)
        }
        let repository = DraftRepository(database: database)
        var indexed: [Double] = []
        var closestSeen = 0.0
        for probe in newcomers {
            let start = ContinuousClock.now
            let found = try await repository.closest(tenantID: tenant, excludingSlot: "slot-\(probe.0)", signature: probe.1)
            indexed.append((ContinuousClock.now - start).inSeconds * 1000)
            closestSeen = max(closestSeen, found?.similarity ?? 0)
        }
        // The reference: every earlier signature compared, already in memory (no database at all).
        var scanned: [Double] = []
        for probe in newcomers {
            let start = ContinuousClock.now
            var best = 0.0
            for other in earlier { best = max(best, probe.1.similarity(to: other.1)) }
            scanned.append((ContinuousClock.now - start).inSeconds * 1000)
            closestSeen = max(closestSeen, best)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        func p99(_ values: [Double]) -> Double { values.sorted()[min(values.count - 1, Int(Double(values.count) * 0.99))] }
        print(
            #"{"corpus": "\#(template ? "template" : "diverse")", "existing": \#(existing), "probes": \#(probes), "indexed_median_ms": \#(String(format: "%.3f", median(indexed))), "indexed_p99_ms": \#(String(format: "%.3f", p99(indexed))), "scan_median_ms": \#(String(format: "%.3f", median(scanned))), "closest": \#(String(format: "%.3f", closestSeen))}"#
        )
    }
}
