-- Metering: what work costs, recorded once, and campaign budgets that cannot be overspent.
--
-- unit_costs is platform data: what one unit of each kind costs us, in integer micro-dollars
-- (operators change it with SQL; a ledger row keeps the amount computed when it was written).
-- cost_ledger is append-only: the application roles may read and insert, never change or
-- delete. Each row's idempotency key is the task's key and the kind, so a task's cost can be
-- written only once whatever happens to the task.

CREATE TABLE unit_costs (
    kind            text PRIMARY KEY CHECK (kind IN ('placement', 'verification', 'llm_tokens', 'scrape_credits', 'fetch')),
    unit            text NOT NULL,
    micros_per_unit bigint NOT NULL CHECK (micros_per_unit >= 0)
);
INSERT INTO unit_costs (kind, unit, micros_per_unit) VALUES
    ('placement',      'placement',  250000),
    ('verification',   'check',         200),
    ('llm_tokens',     'token',           2),
    ('scrape_credits', 'credit',       1000),
    ('fetch',          'request',        50);
GRANT SELECT ON unit_costs TO linkwright_app, linkwright_system;

CREATE TABLE cost_ledger (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    campaign_id     uuid,
    task_id         bigint,
    kind            text NOT NULL REFERENCES unit_costs (kind),
    quantity        bigint NOT NULL CHECK (quantity >= 0),
    unit            text NOT NULL,
    amount_micros   bigint NOT NULL CHECK (amount_micros >= 0),
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 300),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX cost_ledger_campaign_idx ON cost_ledger (tenant_id, campaign_id, occurred_at);
CREATE INDEX cost_ledger_time_idx ON cost_ledger (occurred_at);
SELECT enable_tenant_rls('cost_ledger');
REVOKE UPDATE, DELETE ON cost_ledger FROM linkwright_app, linkwright_system;

-- Budgets: spent is what the ledger charged the campaign; reserved is what tasks running now
-- may still charge (each task's share in tasks.reserved_micros until it ends). Work starts only
-- while spent + reserved + its own reservation stays within the budget (0 means no cap); a
-- campaign that cannot afford its next task is paused with status_reason 'budget_exhausted'.
ALTER TABLE campaigns
    ADD COLUMN spent_micros    bigint NOT NULL DEFAULT 0 CHECK (spent_micros >= 0),
    ADD COLUMN reserved_micros bigint NOT NULL DEFAULT 0 CHECK (reserved_micros >= 0);
ALTER TABLE tasks ADD COLUMN reserved_micros bigint NOT NULL DEFAULT 0 CHECK (reserved_micros >= 0);
