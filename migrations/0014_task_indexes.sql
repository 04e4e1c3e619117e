-- Indexes for how tasks are looked up now that history accumulates in `tasks_finished`.
--
-- A campaign's tasks are only ever looked up by their campaign (its task list, re-planning,
-- cancelling, the cascade when it is deleted), so tasks without one (verification, prospecting)
-- need no entry: every index entry not written saves work on each enqueue, claim and finish.
DROP INDEX tasks_campaign_idx;
CREATE INDEX tasks_campaign_idx ON tasks (tenant_id, campaign_id, id) WHERE campaign_id IS NOT NULL;

-- Dead tasks, listed and retried by id (operators act on them without knowing the tenant):
-- without this, each was a scan of the whole history.
CREATE INDEX tasks_dead_idx ON tasks_finished (id) WHERE state = 'dead';

-- The primary key leads with the id: ids are unique across all tasks (one sequence), and the
-- queue's statements find the tasks they hold by id lists. With the tenant first, a generic plan
-- could take the tenant's condition for the best lead and walk its whole backlog. Lookups by
-- tenant keep an index that leads with it in each partition (the idempotency keys').
ALTER TABLE tasks DROP CONSTRAINT tasks_pkey, ADD PRIMARY KEY (id, tenant_id, state);
