import Foundation
import LinkwrightCore
import PostgresNIO

/// A task handed to a worker, leased to it until `leaseExpiresAt` unless heartbeats extend it.
public struct ClaimedTask: Sendable, Equatable {
    public let tenantID: UUID
    public let id: Int64
    public let lane: Lane
    public let engine: String
    public let campaignID: UUID?
    public let payload: String
    public let attempt: Int
    public let maxAttempts: Int
    public let idempotencyKey: String
    /// How long the task had been due when it was claimed, in seconds.
    public let waited: Double
}

/// One task to enqueue directly (verification, prospecting and tests; campaigns plan theirs).
public struct NewTask: Sendable {
    public var lane: Lane
    public var engine: String
    public var payload: String
    public var idempotencyKey: String
    public var runAt: Date?
    public var maxAttempts: Int
    public var campaignID: UUID?

    public init(
        lane: Lane, engine: String, payload: String = "{}", idempotencyKey: String, runAt: Date? = nil,
        maxAttempts: Int = 3, campaignID: UUID? = nil
    ) {
        self.lane = lane
        self.engine = engine
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.campaignID = campaignID
    }
}

/// The queue's moving parts, all on the cross-tenant path: workers serve every tenant.
///
/// Every state change of a claimed task names the lease owner, so a worker whose lease was reaped
/// and handed to another cannot complete, fail or heartbeat a task it no longer holds.
public struct TaskQueue: Sendable {
    let database: Database
    public let retry: RetryPolicy

    public init(database: Database, retry: RetryPolicy = RetryPolicy()) {
        self.database = database
        self.retry = retry
    }

    /// Enqueues tasks for one tenant; a key already enqueued is skipped. Returns how many were new.
    @discardableResult
    public func enqueue(tenantID: UUID, _ tasks: [NewTask]) async throws -> Int {
        guard !tasks.isEmpty else { return 0 }
        return try await database.withTenant(tenantID) { connection in
            try await Self.insert(tasks, tenantID: tenantID, on: connection)
        }
    }

    /// The one way tasks enter the queue, inside the caller's transaction: inserts the tasks not
    /// enqueued before (by idempotency key), registers the tenant's turn in each lane, and rings
    /// each lane once. Returns how many tasks were new.
    ///
    /// A key is unique per partition (migration 0013). The insert's own conflict check covers the
    /// hot partition; then the inserted keys are looked up among the finished tasks, with a
    /// snapshot taken after the insert, and those found are taken back out. That one lookup
    /// covers a key finished long ago and one whose task finished while the insert ran (which
    /// no check inside the insert could see: its snapshot predates the move, and the unique
    /// check finds the row gone). It goes by key through the finished partition's unique index,
    /// one probe per key however long the history: what the single table's unique index cost.
    /// Re-enqueueing finished keys (re-planning a campaign) writes and removes rows in the hot
    /// table; every other enqueue pays nothing for that case.
    static func insert(_ tasks: [NewTask], tenantID: UUID, on connection: PostgresConnection) async throws -> Int {
        guard !tasks.isEmpty else { return 0 }
        let lanes = Set(tasks.map(\.lane))
        let rows = try await connection.query(
            """
            WITH inserted AS (
            INSERT INTO tasks_queued (tenant_id, lane, engine, campaign_id, payload, state, run_at, idempotency_key, max_attempts)
            SELECT \(tenantID), t.lane, t.engine, NULLIF(t.campaign_id, '')::uuid, t.payload::jsonb,
                   CASE WHEN t.run_at <= now() THEN 'available' ELSE 'scheduled' END, greatest(t.run_at, now()), t.key, t.max_attempts
            FROM unnest(\(tasks.map(\.lane.rawValue))::text[], \(tasks.map(\.engine))::text[], \(tasks.map { $0.campaignID?.uuidString ?? "" })::text[],
                        \(tasks.map(\.payload))::text[], \(tasks.map { $0.runAt ?? Date(timeIntervalSince1970: 0) })::timestamptz[],
                        \(tasks.map(\.idempotencyKey))::text[], \(tasks.map(\.maxAttempts))::int[])
                 AS t(lane, engine, campaign_id, payload, run_at, key, max_attempts)
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            RETURNING id, idempotency_key
            )
            SELECT COALESCE(array_agg(id), '{}'), COALESCE(array_agg(idempotency_key), '{}') FROM inserted
            """, logger: connection.logger)
        let (ids, keys) = try await rows.decode(([Int64], [String]).self).first { _ in true } ?? ([], [])
        guard !ids.isEmpty else { return 0 }
        let finished = try await finishedKeys(keys, tenantID: tenantID, on: connection)
        if !finished.isEmpty {
            let doubled = zip(ids, keys).filter { finished.contains($0.1) }.map(\.0)
            try await connection.query("DELETE FROM tasks_queued WHERE id = ANY(\(doubled)::bigint[])", logger: connection.logger)
        }
        let inserted = ids.count - finished.count
        guard inserted > 0 else { return 0 }
        // Registers the tenant's turn in each lane and brings its due hint forward; this waits for
        // a dequeue holding the turn, so the hint that dequeue writes can never hide these tasks.
        // After the insert, so concurrent enqueues for one tenant overlap their inserts and only
        // queue for the turn row at the end.
        try await connection.query(
            """
            WITH registered AS (INSERT INTO queue_tenants (tenant_id) VALUES (\(tenantID)) ON CONFLICT DO NOTHING)
            INSERT INTO queue_turns (tenant_id, lane, next_run_at)
            SELECT \(tenantID), t.lane, min(t.run_at)
            FROM unnest(\(tasks.map(\.lane.rawValue))::text[], \(tasks.map { $0.runAt ?? Date(timeIntervalSince1970: 0) })::timestamptz[]) AS t(lane, run_at)
            GROUP BY t.lane
            ON CONFLICT (tenant_id, lane) DO UPDATE SET next_run_at = least(queue_turns.next_run_at, excluded.next_run_at)
            """, logger: connection.logger)
        for lane in lanes { try await notify(lane: lane, on: connection) }
        return inserted
    }

    /// Which of `keys` belong to the tenant's finished tasks.
    static func finishedKeys(_ keys: [String], tenantID: UUID, on connection: PostgresConnection) async throws -> Set<String> {
        var found: Set<String> = []
        let rows = try await connection.query(
            """
            SELECT idempotency_key FROM tasks_finished WHERE tenant_id = \(tenantID) AND idempotency_key = ANY(\(keys)::text[])
            """, logger: connection.logger)
        for try await key in rows.decode(String.self) { found.insert(key) }
        return found
    }

    /// The channel workers LISTEN on; the payload is the lane.
    public static let channel = "linkwright_tasks"

    /// Wakes the lane's workers once the enqueueing transaction commits (NOTIFY is transactional,
    /// and one per transaction, never one per task).
    static func notify(lane: Lane, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_notify(\(channel), \(lane.rawValue))", logger: connection.logger)
    }

    /// Claims up to `batch` due tasks of `lane` whose engine is one of `engines`, serving tenants
    /// least-recently-served first, at most `perTenant` each, never past a tenant's plan
    /// concurrency. Skips paused lanes, campaigns that are not active, and rows other workers hold.
    public func dequeue(lane: Lane, engines: [String], owner: String, batch: Int, perTenant: Int, lease: Duration) async throws -> [ClaimedTask] {
        try await claim(lane: lane, engines: engines, owner: owner, batch: batch, perTenant: perTenant, lease: lease).tasks
    }

    public func claim(lane: Lane, engines: [String], owner: String, batch: Int, perTenant: Int, lease: Duration) async throws -> Claim {
        guard !engines.isEmpty, batch > 0 else { return Claim(tasks: [], tenantsSeen: 0, contended: false) }
        return try await database.withSystemConnection { connection in
            let statement = ClaimStatement(
                lane: lane.rawValue, engines: engines, owner: owner, batch: batch, perTenant: perTenant, leaseSeconds: lease.inSeconds)
            var claim = Claim(tasks: [], tenantsSeen: 0, contended: false)
            for try await r in try await connection.execute(statement, logger: database.logger) {
                claim.tenantsSeen = r.0
                claim.contended = r.1
                guard let tenantID = r.2, let id = r.3, let laneName = r.4, let engine = r.5, let payload = r.7,
                    let attempt = r.8, let maxAttempts = r.9, let key = r.10, let waited = r.11
                else { continue }
                claim.tasks.append(
                    ClaimedTask(
                        tenantID: tenantID, id: id, lane: Lane(rawValue: laneName) ?? lane, engine: engine,
                        campaignID: r.6, payload: payload, attempt: attempt, maxAttempts: maxAttempts,
                        idempotencyKey: key, waited: waited))
            }
            return claim
        }
    }

    /// What one claim got, and what it saw: no tenant it could take while some were due, or a
    /// tenant another claim had just served, means looking again shortly will find work.
    public struct Claim: Sendable {
        public var tasks: [ClaimedTask]
        public var tenantsSeen: Int
        public var contended: Bool
    }

    /// Whether some tenant is due in `lane`: asked after a claim found no tenant it could lock,
    /// when yes means another worker holds that tenant for a moment.
    public func hasDueTenants(lane: Lane) async throws -> Bool {
        try await database.withSystem { connection in
            try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM queue_turns WHERE lane = \(lane.rawValue) AND next_run_at <= now())
                """, logger: database.logger
            ).decode(Bool.self).first { _ in true } ?? false
        }
    }

    /// Extends every lease `owner` holds. Returns how many tasks it still holds.
    @discardableResult
    public func heartbeat(owner: String, lease: Duration) async throws -> Int {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                UPDATE tasks SET lease_expires_at = now() + \(lease.inSeconds) * interval '1 second'
                WHERE lease_owner = \(owner) AND state = 'running' RETURNING 1
                """, logger: database.logger)
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }

    /// Completes one task with its result; false (and nothing recorded) when `owner` no longer
    /// holds it. The same statement as a batch.
    public func complete(_ task: ClaimedTask, owner: String, result: String) async throws -> Bool {
        try await completeAll([(task, result)], owner: owner).contains(task.id)
    }

    /// Completes several tasks `owner` holds, with their results, in one transaction (one round of
    /// statements for the whole batch instead of one per task). Returns the ids it completed;
    /// tasks whose lease `owner` lost are left alone and record nothing.
    ///
    /// `usage` (by task id) is priced and written to the cost ledger by the same statement, and
    /// the tasks' campaigns are charged and their reservations released (`CostRecording`).
    public func completeAll(
        _ finished: [(task: ClaimedTask, result: String)], usage: [Int64: [Usage]] = [:],
        owner: String
    ) async throws -> Set<Int64> {
        guard !finished.isEmpty else { return [] }
        // One statement, atomic by itself: no BEGIN/COMMIT round trips around it.
        // Named prepared statements, planned once per connection: with the ledger and budget
        // CTEs, parsing and planning the completion each batch cost a third of the queue's
        // throughput. A batch with no usage and no campaign task (only those reserve budget) has
        // nothing to charge or release and takes the lean statement.
        let ids = finished.map(\.task.id)
        let results = finished.map(\.result)
        let charges = !usage.isEmpty || finished.contains { $0.task.campaignID != nil }
        return try await database.withSystemConnection { connection in
            var completed: Set<Int64> = []
            if charges {
                let statement = CompleteChargingStatement(
                    ids: ids, results: results, owner: owner,
                    usage: CostRecording.usageJSON(usage.map { ($0.key, $0.value) }))
                for try await id in try await connection.execute(statement, logger: database.logger) { completed.insert(id) }
            } else {
                let statement = CompleteStatement(ids: ids, results: results, owner: owner)
                for try await id in try await connection.execute(statement, logger: database.logger) { completed.insert(id) }
            }
            return completed
        }
    }

    /// Records a failed attempt: retried after a backoff with jitter, or `dead` once the task has
    /// had `max_attempts`. Returns the new state and, for a retry, when it is due; nil when
    /// `owner` no longer holds the task.
    /// What becomes of a failed attempt.
    public enum FailureDisposition: Sendable, Equatable {
        /// Again after the retry policy's backoff, while attempts remain (then `dead`).
        case retry
        /// `dead` now: trying again cannot help (the site is gone, the content was refused).
        case giveUp
        /// Again after `Duration`, the attempt not counted: the task waits for something outside
        /// it (a platform's `Retry-After`, an account a person must reconnect), never dying of it.
        case wait(Duration)
    }

    public func fail(_ task: ClaimedTask, owner: String, error: String, disposition: FailureDisposition = .retry) async throws -> (
        state: TaskState, retryIn: Duration
    )? {
        let waitSeconds: Double? = if case .wait(let duration) = disposition { duration.inSeconds } else { nil }
        let giveUp = disposition == .giveUp
        let delay = waitSeconds ?? retry.delay(afterAttempt: task.attempt)
        return try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                WITH due AS (
                    UPDATE tasks SET
                        state = CASE WHEN \(giveUp) OR (\(waitSeconds == nil) AND attempt >= max_attempts) THEN 'dead' ELSE 'failed_retryable' END,
                        run_at = CASE WHEN \(giveUp) OR (\(waitSeconds == nil) AND attempt >= max_attempts) THEN run_at
                                      ELSE now() + \(delay) * interval '1 second' END,
                        attempt = CASE WHEN \(waitSeconds != nil) THEN greatest(attempt - 1, 0) ELSE attempt END,
                        finished_at = CASE WHEN \(giveUp) OR (\(waitSeconds == nil) AND attempt >= max_attempts) THEN now() END,
                        last_error = \(String(error.prefix(2000))), lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                    WHERE tenant_id = \(task.tenantID) AND id = \(task.id) AND lease_owner = \(owner) AND state = 'running'
                    RETURNING tenant_id, lane, run_at, state, campaign_id, reserved_micros
                ), \(unescaped: Self.bringTurnsForward), \(unescaped: CostRecording.releaseReservations)
                SELECT state FROM due
                """, logger: database.logger)
            for try await state in rows.decode(String.self) {
                guard let state = TaskState(rawValue: state) else { return nil }
                return (state, .milliseconds(Int64(delay * 1000)))
            }
            return nil
        }
    }

    /// Hands back every task `owner` holds without counting the attempt (graceful shutdown).
    @discardableResult
    public func release(owner: String) async throws -> Int {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                WITH due AS (
                    UPDATE tasks SET state = 'available', attempt = greatest(attempt - 1, 0), lease_owner = NULL,
                           lease_expires_at = NULL, updated_at = now()
                    WHERE lease_owner = \(owner) AND state = 'running' RETURNING tenant_id, lane, run_at, campaign_id, reserved_micros
                ), \(unescaped: Self.bringTurnsForward), \(unescaped: CostRecording.releaseReservations)
                SELECT 1 FROM due
                """, logger: database.logger)
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }

    /// Returns tasks whose lease expired (their worker died or hung) to the queue as a failed
    /// attempt, or to `dead` when that was the last one.
    @discardableResult
    public func reapExpiredLeases() async throws -> Int {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                WITH due AS (
                    UPDATE tasks SET
                        state = CASE WHEN attempt >= max_attempts THEN 'dead' ELSE 'failed_retryable' END,
                        finished_at = CASE WHEN attempt >= max_attempts THEN now() END,
                        run_at = now(), last_error = 'lease expired', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                    WHERE state = 'running' AND lease_expires_at < now()
                    RETURNING tenant_id, lane, run_at, campaign_id, reserved_micros
                ), \(unescaped: Self.bringTurnsForward), \(unescaped: CostRecording.releaseReservations)
                SELECT 1 FROM due
                """, logger: database.logger)
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }

    /// Puts a dead task back in the queue with a fresh set of attempts. False when it is not dead.
    public func retryDead(tenantID: UUID, id: Int64) async throws -> Bool {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                WITH due AS (
                    UPDATE tasks SET state = 'available', attempt = 0, run_at = now(), finished_at = NULL, updated_at = now()
                    WHERE id = \(id) AND state = 'dead' RETURNING tenant_id, lane, run_at
                ), \(unescaped: Self.bringTurnsForward)
                SELECT 1 FROM due
                """, logger: database.logger)
            return try await rows.first(where: { _ in true }) != nil
        }
    }

    /// A CTE named `turns_due` that brings the due hint of each (tenant, lane) in the CTE `due`
    /// (columns tenant_id, lane, run_at) forward to its earliest run_at: every path that makes a
    /// task due again goes through it, so the dequeue's first look never overlooks that task.
    static let bringTurnsForward = """
        turns_due AS (
            UPDATE queue_turns q SET next_run_at = least(q.next_run_at, d.run_at)
            FROM (SELECT tenant_id, lane, min(run_at) AS run_at FROM due GROUP BY tenant_id, lane) d
            WHERE q.tenant_id = d.tenant_id AND q.lane = d.lane
        )
        """
}

/// The fair claim, one autocommit statement (one round trip): locks the lane's due tenants, least
/// recently served first, by their turn row and their claim row (SKIP LOCKED: a worker moves on to
/// the next tenant instead of waiting); skips a tenant whose claim row changed after this
/// statement's snapshot (another claim just served it, so its running count here is stale; see
/// migration 0007); deals each remaining tenant's oldest due tasks round-robin into the batch,
/// never past its plan's concurrency, skipping engines this worker lacks and campaigns that are
/// not active; leases them; marks the tenants served and sets each one's due hint to its next
/// unclaimed task, or, when its turn row changed after the snapshot (new work arrived), to no
/// later than the hint that work left. Returns one row per task, or one row of NULLs, each with
/// how many tenants it locked and whether it skipped a stale one.
struct ClaimStatement: PostgresPreparedStatement {
    static let sql = """
        WITH turns AS (
            SELECT q.tenant_id, q.xmin::text AS turn_version, g.xmin::text AS claims_version
            FROM queue_turns q JOIN queue_tenants g ON g.tenant_id = q.tenant_id
            WHERE q.lane = $1 AND q.next_run_at <= now() AND NOT (SELECT paused FROM lanes WHERE name = $1)
            ORDER BY q.served_at, q.tenant_id
            LIMIT $4
            FOR UPDATE OF q, g SKIP LOCKED
        ), seen AS (
            SELECT turns.tenant_id, row_number() OVER () AS ord,
                   s.xmin::text = turns.claims_version AS current,
                   (SELECT q2.xmin::text FROM queue_turns q2 WHERE q2.tenant_id = turns.tenant_id AND q2.lane = $1) = turns.turn_version AS hint_current
            FROM turns JOIN queue_tenants s ON s.tenant_id = turns.tenant_id
        ), eligible AS (
            SELECT seen.tenant_id, seen.ord,
                   p.concurrent_tasks - (SELECT count(*) FROM tasks r WHERE r.tenant_id = seen.tenant_id AND r.state = 'running')::int AS free
            FROM seen JOIN tenants t ON t.id = seen.tenant_id JOIN plans p ON p.name = t.plan
            WHERE seen.current
        ), candidates AS (
            SELECT c.tenant_id, c.id, eligible.ord, row_number() OVER (PARTITION BY c.tenant_id ORDER BY c.run_at, c.id) AS rank
            FROM eligible
            CROSS JOIN LATERAL (
                SELECT k.tenant_id, k.id, k.run_at FROM tasks k
                WHERE k.tenant_id = eligible.tenant_id AND k.lane = $1
                  AND k.state IN ('scheduled', 'available', 'failed_retryable') AND k.run_at <= now()
                  AND k.engine = ANY($2::text[])
                  AND (k.campaign_id IS NULL OR EXISTS (
                        SELECT 1 FROM campaigns c
                        WHERE c.tenant_id = k.tenant_id AND c.id = k.campaign_id AND c.status = 'active'))
                ORDER BY k.run_at, k.id
                LIMIT GREATEST(0, LEAST($5, eligible.free))
                FOR UPDATE OF k SKIP LOCKED
            ) c
        ), picked AS (
            -- Dealt round-robin: every tenant's first task, then every tenant's second, ...
            SELECT tenant_id, id FROM candidates ORDER BY rank, ord LIMIT $4
        ), claimed AS (
            -- The hot partition by name (a claimed task stays in it), and the picked tasks by id
            -- alone, which leads the primary key: the plan is generic, made once per connection
            -- from whatever the statistics said then, and a join to `picked`, or a condition on
            -- the tenant, let it choose to walk the tenant's whole backlog (a hash join over a
            -- scan; the fetch or the key index by tenant). Ids are unique across all tasks.
            UPDATE tasks_queued t SET state = 'running', attempt = t.attempt + 1, lease_owner = $3,
                   lease_expires_at = now() + $6 * interval '1 second', updated_at = now(), reserved_micros = 0
            WHERE t.id = ANY (ARRAY(SELECT id FROM picked))
            RETURNING t.tenant_id, t.id, t.lane, t.engine, t.campaign_id, t.payload::text, t.attempt,
                      t.max_attempts, t.idempotency_key, extract(epoch FROM now() - t.run_at)::float8 AS waited
        ), claims AS (
            UPDATE queue_tenants g SET claimed_at = clock_timestamp() WHERE g.tenant_id = ANY (ARRAY(SELECT tenant_id FROM picked))
        ), served AS (
            UPDATE queue_turns q SET served_at = clock_timestamp(), next_run_at = (
                SELECT CASE WHEN seen.hint_current THEN next.run_at ELSE least(next.run_at, q.next_run_at) END
                FROM (SELECT COALESCE((
                    SELECT k.run_at FROM tasks k
                    WHERE k.tenant_id = q.tenant_id AND k.lane = q.lane
                      AND k.state IN ('scheduled', 'available', 'failed_retryable')
                      AND NOT EXISTS (SELECT 1 FROM picked WHERE picked.tenant_id = k.tenant_id AND picked.id = k.id)
                    ORDER BY k.run_at, k.id
                    LIMIT 1), 'infinity') AS run_at) next)
            FROM seen
            WHERE q.lane = $1 AND q.tenant_id = seen.tenant_id AND seen.current
              -- Served, or nothing it could be given; a tenant the batch ran out before keeps its place.
              AND (q.tenant_id IN (SELECT tenant_id FROM picked) OR q.tenant_id NOT IN (SELECT tenant_id FROM candidates))
        )
        SELECT (SELECT count(*) FROM seen)::int, EXISTS (SELECT 1 FROM seen WHERE NOT current),
               c.tenant_id, c.id, c.lane, c.engine, c.campaign_id, c.payload, c.attempt, c.max_attempts, c.idempotency_key, c.waited
        FROM (SELECT 1) one LEFT JOIN claimed c ON true
        """
    typealias Row = (Int, Bool, UUID?, Int64?, String?, String?, UUID?, String?, Int?, Int?, String?, Double?)

    let lane: String
    let engines: [String]
    let owner: String
    let batch: Int
    let perTenant: Int
    let leaseSeconds: Double

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(lane)
        bindings.append(engines)
        bindings.append(owner)
        bindings.append(batch)
        bindings.append(perTenant)
        bindings.append(leaseSeconds)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

/// The batched completion of tasks with nothing to charge (see `TaskQueue.completeAll`).
struct CompleteStatement: PostgresPreparedStatement {
    static let done = """
        done AS (
            -- By id alone, which leads the primary key (ids are unique across all tasks): not a
            -- join to unnest(), which the generic plan paired with every running task, and not
            -- by tenant, which it could take for an index walking the tenant's whole backlog.
            UPDATE tasks t SET state = 'succeeded', finished_at = now(), updated_at = now(), lease_owner = NULL,
                   lease_expires_at = NULL, last_error = NULL
            WHERE t.id = ANY ($1::bigint[]) AND t.lease_owner = $3 AND t.state = 'running'
            RETURNING t.tenant_id, t.id, t.idempotency_key, t.engine, t.campaign_id, t.reserved_micros
        ), recorded AS (
            INSERT INTO task_results (tenant_id, idempotency_key, task_id, engine, result)
            SELECT done.tenant_id, done.idempotency_key, done.id, done.engine, r.result::jsonb
            FROM done JOIN unnest($1::bigint[], $2::text[]) AS r(id, result) ON r.id = done.id
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
        )
        """
    static let sql = "WITH \(done) SELECT id FROM done"
    typealias Row = Int64

    let ids: [Int64]
    let results: [String]
    let owner: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(ids)
        bindings.append(results)
        bindings.append(owner)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64.self) }
}

/// The batched completion that also prices usage into the ledger and settles campaign budgets.
struct CompleteChargingStatement: PostgresPreparedStatement {
    static let sql = """
        WITH \(CompleteStatement.done), usage_input AS (
            SELECT * FROM jsonb_to_recordset($4::jsonb) AS \(CostRecording.usageColumns)
        ), \(CostRecording.costsAndBudgets)
        SELECT id FROM done
        """
    typealias Row = Int64

    let ids: [Int64]
    let results: [String]
    let owner: String
    let usage: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = try CompleteStatement(ids: ids, results: results, owner: owner).makeBindings()
        bindings.append(usage)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64.self) }
}
