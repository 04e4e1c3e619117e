-- Finished tasks leave the hot table.
--
-- `tasks` becomes a table partitioned by state: `tasks_queued` holds what is scheduled,
-- available, running or waiting for a retry; `tasks_finished` holds what succeeded, died or was
-- cancelled. The UPDATE that finishes a task moves its row from one to the other, so the table
-- the dequeue reads, locks and rewrites stays the size of the live backlog, however much
-- history accumulates: its indexes keep no entries for finished work, and vacuuming it is cheap
-- enough to run after every thousand dead rows. Readers keep querying `tasks` and are unchanged.
--
-- What partitioning costs, and how each cost is met:
-- * Unique constraints must include the partition key, so the idempotency key can no longer be
--   one unique constraint. Each partition keeps its own unique (tenant_id, idempotency_key);
--   enqueueing inserts into `tasks_queued`, then, in the same transaction, takes back any key
--   it finds in `tasks_finished`, finished long ago or while the insert ran (`TaskQueue.insert`),
--   so a key is never enqueued twice across the two.
-- * A row moved by a concurrent transaction cannot be followed to its new partition: a
--   statement that meets one fails with SQLSTATE 40001, and `Database` runs such a statement's
--   transaction again.
-- * Identity columns are not supported on partitioned tables in PostgreSQL 15; ids come from a
--   sequence, continuing where the identity left off.

ALTER TABLE tasks RENAME TO tasks_unpartitioned;

CREATE SEQUENCE task_ids AS bigint;
SELECT setval('task_ids', COALESCE((SELECT max(id) FROM tasks_unpartitioned), 0) + 1, false);
GRANT USAGE ON SEQUENCE task_ids TO linkwright_app, linkwright_system;

-- The same columns, defaults and checks as before, in the same order (so rows copy across as
-- they are); foreign keys are never copied by LIKE and are added again.
CREATE TABLE tasks (LIKE tasks_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST (state);
ALTER TABLE tasks ALTER COLUMN id SET DEFAULT nextval('task_ids'),
    ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
    ADD FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE;
ALTER SEQUENCE task_ids OWNED BY tasks.id;

-- The hot partition: vacuumed after every thousand dead rows whatever its size, without the
-- cost-based pauses, so the fetch index's head is cleaned while the backlog drains.
CREATE TABLE tasks_queued PARTITION OF tasks FOR VALUES IN ('scheduled', 'available', 'running', 'failed_retryable')
    WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0,
          autovacuum_analyze_scale_factor = 0.05);
-- History: mostly inserted into (PostgreSQL vacuums insert-mostly tables on its own), rarely
-- updated (a dead task retried moves back).
CREATE TABLE tasks_finished PARTITION OF tasks FOR VALUES IN ('succeeded', 'dead', 'cancelled');

INSERT INTO tasks SELECT * FROM tasks_unpartitioned;
DROP TABLE tasks_unpartitioned;

-- Every task is found by (tenant_id, id); state completes the key because it must.
ALTER TABLE tasks ADD PRIMARY KEY (tenant_id, id, state);
CREATE INDEX tasks_campaign_idx ON tasks (tenant_id, campaign_id, id);
CREATE INDEX tasks_placement_idx ON tasks (tenant_id, (payload->>'placement_id')) WHERE engine = 'verification';
CREATE INDEX tasks_finished_idx ON tasks (finished_at) WHERE campaign_id IS NOT NULL AND finished_at IS NOT NULL;

CREATE UNIQUE INDEX tasks_queued_key_idx ON tasks_queued (tenant_id, idempotency_key);
CREATE UNIQUE INDEX tasks_finished_key_idx ON tasks_finished (tenant_id, idempotency_key);
-- The dequeue's fetch path, and the running tasks (a tenant's count against its plan, a worker's
-- heartbeat, the reaper's expired leases): only the hot partition has these.
CREATE INDEX tasks_ready_idx ON tasks_queued (tenant_id, lane, run_at, id) WHERE state IN ('scheduled', 'available', 'failed_retryable');
CREATE INDEX tasks_running_idx ON tasks_queued (tenant_id) WHERE state = 'running';
CREATE INDEX tasks_lease_idx ON tasks_queued (lease_expires_at) WHERE state = 'running';

-- The parent for every query; the partitions too, since enqueueing writes `tasks_queued` directly.
SELECT enable_tenant_rls('tasks');
SELECT enable_tenant_rls('tasks_queued');
SELECT enable_tenant_rls('tasks_finished');
ANALYZE tasks;
