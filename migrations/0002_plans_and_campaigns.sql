-- Plans and campaigns.
--
-- Plans are platform data (not tenant-owned): every role may read them, none but the migrating
-- user may change them. A tenant has one plan; only operators change it, so the tenant role may
-- update the tenant's name and nothing else.

-- Puts a tenant-owned table under forced row-level security with the two standard policies and
-- the application roles' privileges, so no table can be added with a policy forgotten.
CREATE FUNCTION enable_tenant_rls(target regclass) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format('CREATE POLICY tenant_isolation ON %s TO linkwright_app '
                   'USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', target);
    EXECUTE format('CREATE POLICY system_access ON %s TO linkwright_system USING (true) WITH CHECK (true)', target);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO linkwright_app, linkwright_system', target);
END $$;

CREATE TABLE plans (
    name                     text PRIMARY KEY,
    active_campaigns         integer NOT NULL CHECK (active_campaigns >= 0),
    placements_per_month     integer NOT NULL CHECK (placements_per_month >= 0),
    concurrent_tasks         integer NOT NULL CHECK (concurrent_tasks >= 1),
    api_requests_per_minute  integer NOT NULL CHECK (api_requests_per_minute >= 1)
);
INSERT INTO plans (name, active_campaigns, placements_per_month, concurrent_tasks, api_requests_per_minute) VALUES
    ('free',     1,    50,  2,   60),
    ('pro',     10,  1000, 10,  600),
    ('agency', 100, 20000, 50, 3000);
GRANT SELECT ON plans TO linkwright_app, linkwright_system;

ALTER TABLE tenants ADD COLUMN plan text NOT NULL DEFAULT 'free' REFERENCES plans (name);
REVOKE UPDATE ON tenants FROM linkwright_app;
GRANT UPDATE (name) ON tenants TO linkwright_app;

CREATE TABLE campaigns (
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             uuid NOT NULL,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    target_url     text NOT NULL,
    anchor_texts   text[] NOT NULL,
    keywords       text[] NOT NULL,
    engines        text[] NOT NULL CHECK (cardinality(engines) > 0
                       AND engines <@ ARRAY['comments', 'web2', 'forums', 'social']),
    priority       text NOT NULL CHECK (priority IN ('high', 'normal', 'bulk')),
    daily_limit    integer NOT NULL CHECK (daily_limit BETWEEN 1 AND 1000),
    budget_micros  bigint NOT NULL CHECK (budget_micros >= 0),
    min_authority  integer NOT NULL CHECK (min_authority BETWEEN 0 AND 100),
    starts_at      timestamptz,
    ends_at        timestamptz CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at),
    status         text NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'active', 'paused', 'completed', 'archived')),
    status_reason  text,
    created_by     uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX campaigns_list_idx ON campaigns (tenant_id, created_at DESC, id DESC);
CREATE INDEX campaigns_status_idx ON campaigns (tenant_id, status);

SELECT enable_tenant_rls('campaigns');
