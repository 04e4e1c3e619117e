-- Hourly rollups per campaign, recomputed by the scheduler for the current and the two previous
-- hours every minute (so late events are counted) and rebuilt for any range by
-- `linkwright rollup`. Dashboards and the metrics API read only these rows.

CREATE TABLE campaign_metrics_hourly (
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    campaign_id         uuid NOT NULL,
    hour                timestamptz NOT NULL,
    tasks_finished      integer NOT NULL DEFAULT 0,
    tasks_failed        integer NOT NULL DEFAULT 0,
    placements_created  integer NOT NULL DEFAULT 0,
    placements_live     integer NOT NULL DEFAULT 0,
    placements_lost     integer NOT NULL DEFAULT 0,
    verification_checks integer NOT NULL DEFAULT 0,
    cost_micros         bigint NOT NULL DEFAULT 0,
    computed_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, campaign_id, hour)
);
CREATE INDEX campaign_metrics_hour_idx ON campaign_metrics_hourly (hour);
SELECT enable_tenant_rls('campaign_metrics_hourly');

-- What the rollup reads, by time. Only campaign tasks that finished enter the tasks index.
CREATE INDEX tasks_finished_idx ON tasks (finished_at) WHERE campaign_id IS NOT NULL AND finished_at IS NOT NULL;
CREATE INDEX placements_created_idx ON placements (created_at) WHERE campaign_id IS NOT NULL;
CREATE INDEX placement_checks_time_idx ON placement_checks (checked_at);
CREATE INDEX events_time_idx ON events (created_at);

-- When each scheduled job last finished (platform data: operators watch the lag).
CREATE TABLE job_runs (
    name         text PRIMARY KEY,
    finished_at  timestamptz NOT NULL,
    detail       text
);
GRANT SELECT, INSERT, UPDATE ON job_runs TO linkwright_system;
GRANT SELECT ON job_runs TO linkwright_app;
