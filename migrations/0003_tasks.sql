-- The task queue's table. Tasks are created in the same transaction as the state change that
-- plans them (a campaign starting), each with an idempotency key unique within its tenant, so
-- planning twice never enqueues twice.
--
-- Index design for the dequeue (tenant-fair: pick a tenant, then its oldest ready task):
-- the ready index leads with tenant_id and lane and holds only unfinished tasks, so finished
-- tasks never sit at the head of the fetch path.

CREATE TABLE tasks (
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    lane             text NOT NULL CHECK (lane IN ('high', 'normal', 'bulk', 'verification')),
    engine           text NOT NULL,
    campaign_id      uuid,
    payload          jsonb NOT NULL DEFAULT '{}'::jsonb,
    state            text NOT NULL CHECK (state IN ('scheduled', 'available', 'running', 'succeeded',
                                                    'failed_retryable', 'dead', 'cancelled')),
    attempt          integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts     integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    run_at           timestamptz NOT NULL,
    lease_owner      text,
    lease_expires_at timestamptz,
    last_error       text,
    idempotency_key  text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX tasks_ready_idx ON tasks (tenant_id, lane, run_at, id)
    WHERE state IN ('scheduled', 'available', 'failed_retryable');
CREATE INDEX tasks_campaign_idx ON tasks (tenant_id, campaign_id, id);
CREATE INDEX tasks_lease_idx ON tasks (lease_expires_at) WHERE state = 'running';

SELECT enable_tenant_rls('tasks');
