-- Foundation: tenants, users, operators, refresh tokens, API keys, audit log.
--
-- Two roles carry the application's privileges. Every pooled connection of the app is put
-- into one of them at connect time (startup parameter `role`), so no query the app sends
-- runs with the migrating user's rights:
--   linkwright_app     tenant requests; row-level security scopes every row to
--                      current_setting('app.tenant_id'), and with no tenant set it sees nothing.
--   linkwright_system  the explicit cross-tenant path (login by email, refresh tokens,
--                      operators, audit writes); its own policies say so in the open.
-- Neither has BYPASSRLS: isolation is enforced by policies, not by who connected.

DO $$ BEGIN
    CREATE ROLE linkwright_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$ BEGIN
    CREATE ROLE linkwright_system NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
-- The migrating user must be allowed to switch into both roles at connect time.
DO $$ BEGIN
    IF NOT pg_has_role(current_user, 'linkwright_app', 'MEMBER') THEN
        EXECUTE format('GRANT linkwright_app TO %I', current_user);
    END IF;
    IF NOT pg_has_role(current_user, 'linkwright_system', 'MEMBER') THEN
        EXECUTE format('GRANT linkwright_system TO %I', current_user);
    END IF;
END $$;

GRANT USAGE ON SCHEMA public TO linkwright_app, linkwright_system;

-- The tenant the current transaction acts for, or NULL when none was set.
CREATE FUNCTION app_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
GRANT EXECUTE ON FUNCTION app_tenant_id() TO linkwright_app, linkwright_system;

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    email         text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
-- Emails sign in without naming a tenant, so they are unique across the platform. This is
-- the one index that does not lead with tenant_id; under Citus, logins would move to a
-- reference table.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Platform staff, outside every tenant.
CREATE TABLE operators (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX operators_email_key ON operators (lower(email));

-- Rotating refresh tokens. A family is one login session; `used_at` marks a rotated token, and
-- presenting a rotated token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id           uuid PRIMARY KEY,
    family_id    uuid NOT NULL,
    tenant_id    uuid REFERENCES tenants (id) ON DELETE CASCADE,
    subject_kind text NOT NULL CHECK (subject_kind IN ('user', 'operator')),
    subject_id   uuid NOT NULL,
    secret_hash  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    revoked_at   timestamptz,
    CHECK ((subject_kind = 'user') = (tenant_id IS NOT NULL))
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_subject_idx ON refresh_tokens (subject_id);

CREATE TABLE api_keys (
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    name         text NOT NULL,
    prefix       text NOT NULL,
    key_hash     bytea NOT NULL,
    scopes       text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write', 'admin'] AND cardinality(scopes) > 0),
    created_by   uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    PRIMARY KEY (tenant_id, id)
);
-- A key is found by its hash before its tenant is known (see users_email_key).
CREATE UNIQUE INDEX api_keys_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_list_idx ON api_keys (tenant_id, created_at DESC, id DESC);

-- Append-only record of every mutating request. Platform events with no tenant (an operator's
-- action, a failed login for an unknown email) carry the nil UUID. Partitioned by month so
-- retention is DROP TABLE on a partition.
CREATE TABLE audit_log (
    tenant_id      uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    id             uuid NOT NULL,
    actor_kind     text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'operator', 'anonymous')),
    actor_id       uuid,
    action         text NOT NULL,
    target_id      text,
    request_id     text NOT NULL,
    client_address text,
    outcome        text NOT NULL CHECK (outcome IN ('success', 'failure')),
    status         integer NOT NULL,
    details        jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, created_at, id)
) PARTITION BY RANGE (created_at);
CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;

-- Creates the monthly partitions of a partitioned table from this month to `months_ahead`
-- months ahead. Called at start-up by the migrating user; idempotent.
CREATE FUNCTION ensure_monthly_partitions(parent regclass, months_ahead integer) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    name text;
BEGIN
    FOR i IN 0..months_ahead LOOP
        name := format('%s_%s', parent::text, to_char(month, 'YYYY_MM'));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                           name, parent, month::timestamp AT TIME ZONE 'UTC',
                           (month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
END $$;
SELECT ensure_monthly_partitions('audit_log', 2);

-- Row-level security: forced, so even the owning role is subject to it.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants TO linkwright_app
    USING (id = app_tenant_id()) WITH CHECK (id = app_tenant_id());
CREATE POLICY system_access ON tenants TO linkwright_system USING (true) WITH CHECK (true);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'refresh_tokens', 'api_keys', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I TO linkwright_app '
                       'USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
        EXECUTE format('CREATE POLICY system_access ON %I TO linkwright_system USING (true) WITH CHECK (true)', t);
    END LOOP;
END $$;

GRANT SELECT, UPDATE ON tenants TO linkwright_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, api_keys TO linkwright_app;
GRANT SELECT ON audit_log TO linkwright_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, users, operators, refresh_tokens, api_keys TO linkwright_system;
GRANT SELECT, INSERT ON audit_log TO linkwright_system;
