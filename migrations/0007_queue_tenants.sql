-- One row per tenant with queued work, locked by every claim for that tenant (in any lane) and
-- rewritten by every claim that hands out work. The claim is one autocommit statement, so its
-- snapshot is taken before it locks: a claim row whose version differs from the snapshot's says
-- another claim for this tenant committed in between, and this statement's count of the
-- tenant's running tasks would be stale. Such a tenant is skipped for this claim, which keeps the
-- plan's concurrency cap exact without a second statement. Replaces locking the tenants row.
CREATE TABLE queue_tenants (
    tenant_id  uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    claimed_at timestamptz NOT NULL DEFAULT '-infinity'
) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
SELECT enable_tenant_rls('queue_tenants');
INSERT INTO queue_tenants (tenant_id) SELECT DISTINCT tenant_id FROM queue_turns;
