-- Review batches: up to 175 drafts a person goes through in one sitting. Each item keeps a
-- snapshot of its draft (version, body, checks) as it was when it joined, and, after a
-- regeneration, the snapshot before it, so the reviewer compares the two. A draft waits in one
-- batch at a time: while its item is undecided it cannot join another.
CREATE TABLE review_batches (
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    campaign_id   uuid,
    created_by    uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX review_batches_list_idx ON review_batches (tenant_id, created_at, id);
SELECT enable_tenant_rls('review_batches');

CREATE TABLE review_items (
    tenant_id   uuid NOT NULL,
    batch_id    uuid NOT NULL,
    id          uuid NOT NULL,
    draft_id    uuid NOT NULL,
    position    integer NOT NULL,
    snapshot    jsonb NOT NULL,
    previous    jsonb,
    decision    text NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'rejected', 'needs_regeneration')),
    notes       text CHECK (length(notes) <= 2000),
    decided_by  uuid,
    decided_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, batch_id, draft_id),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES review_batches (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, draft_id) REFERENCES drafts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX review_items_batch_idx ON review_items (tenant_id, batch_id, position);
CREATE UNIQUE INDEX review_items_open_draft_idx ON review_items (tenant_id, draft_id) WHERE decision IN ('pending', 'needs_regeneration');
SELECT enable_tenant_rls('review_items');
