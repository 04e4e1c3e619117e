-- Connected accounts: where engines may publish, and with which credentials. The secret
-- (application password, bot password, access token) is stored only sealed with AES-256-GCM
-- under the key named by secret_key_id, bound to its row (the tenant and connection ids are its
-- additional authenticated data); a dump of this table alone reveals no secret. secret_hint is
-- the last four characters a person is shown to recognise it.
CREATE TABLE connections (
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             uuid NOT NULL,
    platform       text NOT NULL CHECK (platform IN ('wordpress', 'mediawiki', 'forum', 'mastodon', 'bluesky', 'commenter')),
    label          text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    base_url       text NOT NULL CHECK (length(base_url) <= 2048),
    username       text NOT NULL CHECK (length(username) BETWEEN 1 AND 200),
    email          text CHECK (length(email) <= 320),
    owned          boolean NOT NULL DEFAULT false,
    secret_key_id  text,
    secret_sealed  bytea,
    secret_hint    text NOT NULL DEFAULT '',
    state          text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'failing', 'disabled')),
    last_error     text CHECK (length(last_error) <= 1000),
    last_error_at  timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, platform, base_url, username),
    CHECK ((secret_key_id IS NULL) = (secret_sealed IS NULL)),
    CHECK ((platform = 'commenter') = (secret_sealed IS NULL)),
    CHECK (platform <> 'commenter' OR NOT owned)
);
CREATE INDEX connections_list_idx ON connections (tenant_id, created_at, id);
-- Rotation finds the rows still sealed under an old key.
CREATE INDEX connections_key_idx ON connections (secret_key_id) WHERE secret_key_id IS NOT NULL;
SELECT enable_tenant_rls('connections');
