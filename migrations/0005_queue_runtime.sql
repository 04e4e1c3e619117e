-- What the dequeue needs beyond the tasks themselves.
--
-- queue_turns: one row per (tenant, lane) that has ever had work, holding when that tenant was
-- last served in that lane. The dequeue serves tenants least-recently-served first, which is
-- round-robin between tenants, and locks the rows of the tenants it is serving (SKIP LOCKED), so
-- a tenant's running count cannot be raced past its plan's concurrency by two workers at once.
-- A row per tenant and lane, never per task: enqueueing adds no per-task write.
--
-- task_results: an engine's result, written in the same transaction that completes the task and
-- keyed by the task's idempotency key, so a re-delivered task cannot record its effect twice.

CREATE TABLE queue_turns (
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    lane      text NOT NULL CHECK (lane IN ('high', 'normal', 'bulk', 'verification')),
    served_at timestamptz NOT NULL DEFAULT '-infinity',
    PRIMARY KEY (tenant_id, lane)
);
CREATE INDEX queue_turns_order_idx ON queue_turns (lane, served_at, tenant_id);
SELECT enable_tenant_rls('queue_turns');

CREATE INDEX tasks_running_idx ON tasks (tenant_id) WHERE state = 'running';

CREATE TABLE task_results (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    idempotency_key text NOT NULL,
    task_id         bigint NOT NULL,
    engine          text NOT NULL,
    result          jsonb NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, idempotency_key)
);
SELECT enable_tenant_rls('task_results');

-- The hot table is vacuumed far more often than the default, so dead tuples from finished
-- tasks do not pile up at the head of the fetch index.
ALTER TABLE tasks SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_cost_delay = 0);
