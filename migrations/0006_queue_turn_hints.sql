-- The dequeue's first step reads queue_turns only: which tenants are due in a lane, and who
-- was served longest ago. Measured before this migration, deciding "is this tenant due" from
-- the tasks themselves grew with the whole ready backlog (a hash over every ready task, ≈ 13 ms
-- per dequeue with 30,000 waiting), and every dequeue's served_at update left a dead entry in
-- the served_at index.
--
-- next_run_at is a lower bound on when the tenant's earliest unfinished task in the lane is due:
-- every path that makes a task due earlier (enqueue, a retry, a reaped or released lease, a
-- dead task retried) lowers it, and the dequeue that serves a tenant sets it exactly. A bound
-- that is too early costs one wasted look; it is never too late, so no task waits on it.
--
-- No index on served_at or next_run_at: the table holds a row per tenant and lane with work, is
-- read whole and sorted, and without them every update is HOT and pruned in place.
ALTER TABLE queue_turns ADD COLUMN next_run_at timestamptz NOT NULL DEFAULT '-infinity';
DROP INDEX queue_turns_order_idx;
ALTER TABLE queue_turns SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
