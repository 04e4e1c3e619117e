-- Blog comments (the `comments` engine).
--
-- A campaign names the posts its comment slots answer (`comment_pages`); each comment slot's
-- draft remembers its post (`drafts.page_url`) so its publishing task knows where to go.
ALTER TABLE campaigns ADD COLUMN comment_pages text[] NOT NULL DEFAULT '{}';
ALTER TABLE drafts ADD COLUMN page_url text CHECK (length(page_url) <= 2048);

-- Never more than one comment per post per tenant: a comment slot claims its post before it
-- publishes; a second slot of any campaign finds the post taken. A retried slot finds its own
-- claim.
CREATE TABLE comment_posts (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    page_url   text NOT NULL CHECK (length(page_url) <= 2048),
    slot_key   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, page_url)
);
SELECT enable_tenant_rls('comment_posts');

-- A held comment is a placement `pending_moderation` until it appears (then live like any
-- other) or `moderation_until` passes (`rejected_by_site`). `expected_rel` is what the platform
-- is known to add (WordPress `nofollow ugc` on comments, MediaWiki `nofollow`), so such a link
-- is what was expected rather than an alarm.
ALTER TABLE placements DROP CONSTRAINT placements_state_check;
ALTER TABLE placements ADD CONSTRAINT placements_state_check CHECK (state IN ('pending', 'live', 'live_nofollow', 'not_indexable',
    'anchor_changed', 'missing', 'source_gone', 'blocked', 'unverifiable', 'pending_moderation', 'rejected_by_site'));
ALTER TABLE placements ADD COLUMN moderation_until timestamptz;
ALTER TABLE placements ADD COLUMN expected_rel text CHECK (length(expected_rel) <= 100);
