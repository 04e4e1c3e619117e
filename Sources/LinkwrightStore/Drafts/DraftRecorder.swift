import Foundation
import LinkwrightCore
import PostgresNIO

/// Records what content tasks wrote in the transaction that completes them: each draft (or its
/// next version), the version row, its band keys, and the usage charged once with the task.
/// A re-delivered task records nothing twice: the completion is keyed by the task.
///
/// A batch is recorded per tenant in one transaction of a few set-based statements whatever its
/// size (completion and charge; drafts and versions; band keys; and, only when a batch has them,
/// regenerated versions returning to review and auto-approved drafts' publishing tasks): one
/// transaction of seven statements per draft held the pipeline to a third of its goal.
public struct DraftRecorder: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public struct Entry: Sendable {
        public let task: ClaimedTask
        public let result: DraftResult
        public let resultJSON: String
        public let usage: [Usage]

        public init(task: ClaimedTask, result: DraftResult, resultJSON: String, usage: [Usage]) {
            self.task = task
            self.result = result
            self.resultJSON = resultJSON
            self.usage = usage
        }
    }

    /// The draft each recorded task wrote, by task id. A task this worker no longer held, or
    /// whose campaign was deleted meanwhile, is absent: nothing was recorded for it.
    public func record(_ entries: [Entry], owner: String) async throws -> [Int64: UUID] {
        var recorded: [Int64: UUID] = [:]
        for (tenantID, tenantEntries) in Dictionary(grouping: entries, by: \.task.tenantID) {
            try await recorded.merge(record(tenantEntries, tenantID: tenantID, owner: owner)) { $1 }
        }
        return recorded
    }

    func record(_ entries: [Entry], tenantID: UUID, owner: String) async throws -> [Int64: UUID] {
        try await database.withTenant(tenantID) { connection in
            // The tasks this worker still holds, locked: their drafts are written first and the
            // completion, which charges the campaign and so locks its row (every task of the
            // campaign updates it), comes last, just before the commit.
            var held = Set<Int64>()
            let locked = try await connection.query(
                """
                SELECT id FROM tasks WHERE tenant_id = \(tenantID) AND id = ANY(\(entries.map(\.task.id))) AND lease_owner = \(owner)
                  AND state = 'running'
                FOR UPDATE
                """, logger: database.logger)
            for try await id in locked.decode(Int64.self) { held.insert(id) }
            let entries = entries.filter { held.contains($0.task.id) }
            guard !entries.isEmpty else { return [:] }
            let rows = entries.compactMap(DraftRow.init)
            let written = try await Self.upsert(rows, tenantID: tenantID, on: connection)
            let publishing = written.filter(\.approved).map { draft in
                TaskPlanner.publishTask(
                    slotKey: draft.row.slotKey, engine: draft.row.engine, draftID: draft.id, campaignID: draft.row.campaignID,
                    lane: Lane(CampaignPriority(rawValue: draft.priority) ?? .normal), targetURL: draft.targetURL, anchor: draft.row.anchor,
                    ownedOnly: true, pageURL: draft.row.pageUrl)
            }
            try await TaskQueue.insert(publishing, tenantID: tenantID, on: connection)
            let rewritten = written.filter { $0.row.version > 1 }.map(\.id)
            if !rewritten.isEmpty {
                // A draft sent back from a review batch returns to it for another look, the version
                // the reviewer saw kept beside the new one; its old band keys go.
                try await connection.query(
                    """
                    UPDATE review_items i SET previous = i.snapshot, snapshot = \(unescaped: ReviewRepository.snapshotSQL),
                        decision = 'pending', decided_by = NULL, decided_at = NULL
                    FROM drafts d WHERE d.id = ANY(\(rewritten)) AND i.draft_id = d.id AND i.decision = 'needs_regeneration'
                    """, logger: database.logger)
                try await connection.query("DELETE FROM draft_bands WHERE draft_id = ANY(\(rewritten))", logger: database.logger)
            }
            var drafts: [UUID] = []
            var bands: [Int16] = []
            var keys: [Int64] = []
            for draft in written {
                let bandKeys = MinHashSignature(values: draft.row.minhash.map { UInt64(bitPattern: $0) }).bandKeys
                drafts += Array(repeating: draft.id, count: bandKeys.count)
                bands += (0..<bandKeys.count).map { Int16($0) }
                keys += bandKeys
            }
            try await connection.query(
                """
                INSERT INTO draft_bands (tenant_id, band, key, draft_id)
                SELECT \(tenantID), k.band, k.key, k.draft_id FROM unnest(\(bands)::smallint[], \(keys)::bigint[], \(drafts)::uuid[]) AS k(band, key, draft_id)
                ON CONFLICT DO NOTHING
                """, logger: database.logger)
            let completion = CompleteChargingStatement(
                ids: entries.map(\.task.id), results: entries.map(\.resultJSON), owner: owner,
                usage: CostRecording.usageJSON(entries.map { ($0.task.id, $0.usage) }))
            for try await _ in try await connection.execute(completion, logger: database.logger) {}
            return Dictionary(written.map { ($0.row.taskID, $0.id) }) { first, _ in first }
        }
    }

    /// A draft as the upsert reads it: one element of a JSON array bound as one parameter.
    struct DraftRow: Encodable {
        let taskID: Int64
        let id: UUID
        let campaignID: UUID
        let slotKey: String
        let engine: String
        let kind: String
        let version: Int
        let anchor: String
        let body: String
        let provider: String
        let model: String
        let checks: [DraftCheck]
        let passed: Bool
        let flagged: Bool
        let similarity: Double
        let minhash: [Int64]
        let tokensIn: Int
        let tokensOut: Int
        let notes: String?
        /// The post a comment answers, from the content task; its publishing task goes there.
        let pageUrl: String?
        /// The slot's engine publishes only on sites the tenant owns, so the campaign's
        /// `auto_approve` may apply.
        let mayAutoApprove: Bool

        init?(_ entry: Entry) {
            guard let payload = try? JSONDecoder().decode(ContentTaskPayload.self, from: Data(entry.task.payload.utf8)),
                let campaign = UUID(uuidString: payload.campaignID)
            else { return nil }
            let r = entry.result
            taskID = entry.task.id
            id = UUID()
            campaignID = campaign
            slotKey = r.slotKey
            engine = payload.engine
            kind = r.kind
            version = r.version
            anchor = payload.anchor
            pageUrl = payload.pageURL
            body = r.body
            provider = r.provider
            model = r.model
            checks = r.checks
            passed = r.passed
            flagged = r.flagged
            similarity = r.similarity
            minhash = r.minhash
            tokensIn = r.tokensIn
            tokensOut = r.tokensOut
            notes = payload.notes
            mayAutoApprove = PlacementEngine(rawValue: payload.engine)?.mayAutoApprove ?? false
        }
    }

    struct Written {
        let row: DraftRow
        let id: UUID
        let approved: Bool
        let priority: String
        let targetURL: String
    }

    /// Writes the drafts and their version rows. A draft is approved without a person only where
    /// its campaign asked, it passed every check, and its engine publishes on the tenant's own
    /// sites; everything else waits for review. A version a person sent back goes back to that
    /// person. A draft whose campaign is gone is not written; an older version than the one
    /// stored (a late re-delivery) changes nothing.
    static func upsert(_ rows: [DraftRow], tenantID: UUID, on connection: PostgresConnection) async throws -> [Written] {
        // One row per slot (the newest version): an upsert may not touch a row twice.
        let newest = Dictionary(rows.map { ($0.slotKey, $0) }) { $0.version >= $1.version ? $0 : $1 }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let json = String(decoding: try encoder.encode(Array(newest.values)), as: UTF8.self)
        let result = try await connection.query(
            """
            WITH input AS (
                SELECT * FROM jsonb_to_recordset(\(json)::jsonb) AS i(
                    task_id bigint, id uuid, campaign_id uuid, slot_key text, engine text, kind text, version integer, anchor text, body text,
                    provider text, model text, checks jsonb, passed boolean, flagged boolean, similarity double precision, minhash bigint[],
                    tokens_in integer, tokens_out integer, notes text, page_url text, may_auto_approve boolean)
            ), decided AS (
                SELECT i.*, c.priority, c.target_url,
                       (c.auto_approve AND i.version = 1 AND i.passed AND NOT i.flagged AND i.may_auto_approve) AS approve
                FROM input i JOIN campaigns c ON c.id = i.campaign_id
            ), upserted AS (
                INSERT INTO drafts (tenant_id, id, campaign_id, slot_key, engine, kind, state, version, anchor, body, provider, model,
                                    checks, passed, flagged, similarity, minhash, tokens_in, tokens_out, notes, auto_approved, page_url)
                SELECT \(tenantID), id, campaign_id, slot_key, engine, kind, CASE WHEN approve THEN 'approved' ELSE 'ready' END, version,
                       anchor, body, provider, model, checks, passed, flagged, similarity, minhash, tokens_in, tokens_out, notes, approve, page_url
                FROM decided
                ON CONFLICT (tenant_id, slot_key) DO UPDATE SET
                    state = EXCLUDED.state, auto_approved = EXCLUDED.auto_approved, version = EXCLUDED.version, body = EXCLUDED.body,
                    provider = EXCLUDED.provider, model = EXCLUDED.model, checks = EXCLUDED.checks, passed = EXCLUDED.passed,
                    flagged = EXCLUDED.flagged, similarity = EXCLUDED.similarity, minhash = EXCLUDED.minhash,
                    tokens_in = drafts.tokens_in + EXCLUDED.tokens_in, tokens_out = drafts.tokens_out + EXCLUDED.tokens_out,
                    notes = EXCLUDED.notes, updated_at = now()
                WHERE drafts.version < EXCLUDED.version
                RETURNING id, slot_key, version, body, checks, provider, notes, auto_approved
            ), versions AS (
                INSERT INTO draft_versions (tenant_id, draft_id, version, body, checks, provider, notes)
                SELECT \(tenantID), id, version, body, checks, provider, notes FROM upserted
                ON CONFLICT DO NOTHING
            )
            SELECT u.slot_key, u.id, u.auto_approved, d.priority, d.target_url FROM upserted u JOIN decided d ON d.slot_key = u.slot_key
            """, logger: connection.logger)
        var written: [Written] = []
        for try await (slot, id, approved, priority, targetURL) in result.decode((String, UUID, Bool, String, String).self) {
            if let row = newest[slot] { written.append(Written(row: row, id: id, approved: approved, priority: priority, targetURL: targetURL)) }
        }
        return written
    }
}
