-- Placements (a link from a source page to the tenant's target), every check made of them, and
-- the events worth telling a person about (a link lost).
--
-- A placement's state changes only in the transaction that completes its verification task,
-- with the check row and any event, so a re-delivered task cannot record a check twice (the
-- task's idempotency key guards the completion).
CREATE TABLE placements (
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id               uuid NOT NULL,
    campaign_id      uuid,
    source_url       text NOT NULL CHECK (length(source_url) <= 2048),
    target_url       text NOT NULL CHECK (length(target_url) <= 2048),
    expected_anchor  text CHECK (length(expected_anchor) <= 500),
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'live', 'live_nofollow', 'not_indexable',
                         'anchor_changed', 'missing', 'source_gone', 'blocked', 'unverifiable')),
    -- Clean checks in a row that found no link where there had been one; two make it lost.
    miss_streak      integer NOT NULL DEFAULT 0,
    ever_present     boolean NOT NULL DEFAULT false,
    unverifiable_streak integer NOT NULL DEFAULT 0,
    checks           integer NOT NULL DEFAULT 0,
    last_checked_at  timestamptz,
    next_check_at    timestamptz,
    recheck_seconds  integer NOT NULL DEFAULT 86400 CHECK (recheck_seconds >= 60),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source_url, target_url),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE SET NULL (campaign_id)
);
CREATE INDEX placements_state_idx ON placements (tenant_id, state, created_at, id);
CREATE INDEX placements_campaign_idx ON placements (tenant_id, campaign_id, created_at, id);
CREATE INDEX placements_list_idx ON placements (tenant_id, created_at, id);
SELECT enable_tenant_rls('placements');

CREATE TABLE placement_checks (
    tenant_id             uuid NOT NULL,
    placement_id          uuid NOT NULL,
    id                    bigint GENERATED ALWAYS AS IDENTITY,
    checked_at            timestamptz NOT NULL,
    state                 text NOT NULL,
    detail                text NOT NULL,
    http_status           integer,
    final_url             text,
    redirect_chain        jsonb NOT NULL DEFAULT '[]',
    link_found            boolean NOT NULL,
    anchor_text           text,
    rel                   text[] NOT NULL DEFAULT '{}',
    indexable             boolean,
    not_indexable_reason  text,
    canonical             text,
    response_time_ms      integer,
    PRIMARY KEY (tenant_id, checked_at, id)
) PARTITION BY RANGE (checked_at);
CREATE INDEX placement_checks_placement_idx ON placement_checks (tenant_id, placement_id, checked_at, id);
SELECT ensure_monthly_partitions('placement_checks', 2);
SELECT enable_tenant_rls('placement_checks');

CREATE TABLE events (
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    type          text NOT NULL CHECK (type IN ('link_lost')),
    placement_id  uuid,
    payload       jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX events_type_idx ON events (tenant_id, type, id);
SELECT enable_tenant_rls('events');

-- A placement's pending verification tasks, found when it is checked on demand or deleted.
CREATE INDEX tasks_placement_idx ON tasks (tenant_id, (payload->>'placement_id')) WHERE engine = 'verification';
