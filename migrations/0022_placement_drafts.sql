-- A placement an engine published remembers the draft it came from, so a slot's journey reads
-- from one place: draft → approved → published (the page) → verified (the placement's state).
-- Placements added by hand or imported have none.
ALTER TABLE placements ADD COLUMN draft_id uuid;
CREATE INDEX placements_draft_idx ON placements (tenant_id, draft_id) WHERE draft_id IS NOT NULL;
