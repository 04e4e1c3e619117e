-- Drafts: what a content task wrote for one slot of a campaign, its checks, and its history.
-- One draft per slot (the slot's idempotency key); a regeneration is a new version of the same
-- draft, the previous ones kept in draft_versions for the reviewer to compare.
--
-- draft_bands holds each draft's MinHash band keys: a new draft's candidates for near-duplicate
-- comparison are found by an index lookup on (tenant, band, key), never by reading every text.
CREATE TABLE drafts (
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             uuid NOT NULL,
    campaign_id    uuid NOT NULL,
    slot_key       text NOT NULL CHECK (length(slot_key) <= 300),
    engine         text NOT NULL CHECK (engine IN ('comments', 'web2', 'forums', 'social')),
    kind           text NOT NULL CHECK (kind IN ('article', 'comment', 'forum_reply', 'forum_bio', 'mastodon_post', 'bluesky_post')),
    state          text NOT NULL CHECK (state IN ('generating', 'ready', 'approved', 'rejected', 'regenerating', 'published', 'failed')),
    version        integer NOT NULL DEFAULT 1,
    anchor         text NOT NULL,
    body           text NOT NULL DEFAULT '',
    provider       text,
    model          text,
    checks         jsonb NOT NULL DEFAULT '[]',
    passed         boolean NOT NULL DEFAULT false,
    -- Still too similar to an earlier draft after three regenerations: the reviewer is told.
    flagged        boolean NOT NULL DEFAULT false,
    similarity     real,
    minhash        bigint[],
    tokens_in      integer NOT NULL DEFAULT 0,
    tokens_out     integer NOT NULL DEFAULT 0,
    -- A reviewer's notes for the next version, and why a draft was rejected.
    notes          text CHECK (length(notes) <= 2000),
    reject_reason  text CHECK (length(reject_reason) <= 2000),
    decided_by     uuid,
    decided_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, slot_key),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX drafts_campaign_idx ON drafts (tenant_id, campaign_id, created_at, id);
CREATE INDEX drafts_state_idx ON drafts (tenant_id, campaign_id, state);
SELECT enable_tenant_rls('drafts');

CREATE TABLE draft_versions (
    tenant_id   uuid NOT NULL,
    draft_id    uuid NOT NULL,
    version     integer NOT NULL,
    body        text NOT NULL,
    checks      jsonb NOT NULL,
    provider    text,
    notes       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, draft_id, version),
    FOREIGN KEY (tenant_id, draft_id) REFERENCES drafts (tenant_id, id) ON DELETE CASCADE
);
SELECT enable_tenant_rls('draft_versions');

CREATE TABLE draft_bands (
    tenant_id  uuid NOT NULL,
    band       smallint NOT NULL,
    key        bigint NOT NULL,
    draft_id   uuid NOT NULL,
    PRIMARY KEY (tenant_id, band, key, draft_id),
    FOREIGN KEY (tenant_id, draft_id) REFERENCES drafts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX draft_bands_draft_idx ON draft_bands (tenant_id, draft_id);
SELECT enable_tenant_rls('draft_bands');

-- A campaign's content tasks, found when its drafts are listed or its plan changes.
CREATE INDEX tasks_content_idx ON tasks (tenant_id, (payload->>'slot_key')) WHERE engine = 'content';
