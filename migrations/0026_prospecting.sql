-- Prospecting: jobs that crawl a list of domains for a client's keywords.
--
-- A job's domains are numbered in the order given (`position`) and each is `waiting`, `issued`
-- (its task is in the queue) or finished. Issuing marks domains `issued` in the transaction that
-- enqueues their tasks; a domain's completion marks it finished in the transaction that completes
-- its task; pausing cancels the tasks no worker has started and puts their domains back to
-- `waiting` in one transaction. So pausing, resuming and workers dying can neither skip a domain
-- nor record one twice. `in_flight` counts the issued domains. Progress counters are kept on the
-- job as work completes: status never counts results.
CREATE TABLE prospect_jobs (
    tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                    uuid NOT NULL,
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    mode                  text NOT NULL CHECK (mode IN ('free-only', 'premium-only', 'smart-hybrid')),
    state                 text NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'running', 'pausing', 'paused', 'completed', 'failed', 'archived')),
    status_reason         text CHECK (length(status_reason) <= 500),
    keywords              text[] NOT NULL,
    client_domain         text CHECK (length(client_domain) <= 253),
    max_credits           bigint NOT NULL CHECK (max_credits >= 0),
    max_pages_per_domain  integer NOT NULL CHECK (max_pages_per_domain BETWEEN 1 AND 1000),
    full_crawl_threshold  integer NOT NULL CHECK (full_crawl_threshold BETWEEN 1 AND 10000),
    domains_total         integer NOT NULL CHECK (domains_total BETWEEN 1 AND 50000),
    duplicates_removed    integer NOT NULL DEFAULT 0,
    in_flight             integer NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
    domains_done          integer NOT NULL DEFAULT 0,
    domains_failed        integer NOT NULL DEFAULT 0,
    pages_fetched         bigint NOT NULL DEFAULT 0,
    direct_requests       bigint NOT NULL DEFAULT 0,
    premium_requests      bigint NOT NULL DEFAULT 0,
    js_requests           bigint NOT NULL DEFAULT 0,
    credits_used          bigint NOT NULL DEFAULT 0,
    cost_micros           bigint NOT NULL DEFAULT 0,
    matches               bigint NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    started_at            timestamptz,
    completed_at          timestamptz,
    last_activity_at      timestamptz,
    -- When the job's results and files are removed and it becomes `archived` (completion + 90 days).
    retain_until          timestamptz,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX prospect_jobs_list_idx ON prospect_jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX prospect_jobs_retention_idx ON prospect_jobs (retain_until) WHERE state = 'completed' OR state = 'failed';
SELECT enable_tenant_rls('prospect_jobs');

-- One row per domain of a job: what became of it, for the error and cost reports.
CREATE TABLE prospect_domains (
    tenant_id         uuid NOT NULL,
    job_id            uuid NOT NULL,
    position          integer NOT NULL,
    domain            text NOT NULL CHECK (length(domain) <= 253),
    state             text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'issued', 'crawled', 'failed', 'disallowed')),
    -- How many times the domain was handed to the queue (a pause takes back the tasks not started):
    -- part of its task's idempotency key, so a re-issued domain is a new task.
    issues            integer NOT NULL DEFAULT 0,
    failure_reason    text CHECK (length(failure_reason) <= 500),
    http_status       integer,
    retry_count       integer NOT NULL DEFAULT 0,
    last_attempt_at   timestamptz,
    pages             integer NOT NULL DEFAULT 0,
    direct_requests   integer NOT NULL DEFAULT 0,
    premium_requests  integer NOT NULL DEFAULT 0,
    js_requests       integer NOT NULL DEFAULT 0,
    credits           integer NOT NULL DEFAULT 0,
    cost_micros       bigint NOT NULL DEFAULT 0,
    matches           integer NOT NULL DEFAULT 0,
    finished_at       timestamptz,
    PRIMARY KEY (tenant_id, job_id, position),
    FOREIGN KEY (tenant_id, job_id) REFERENCES prospect_jobs (tenant_id, id) ON DELETE CASCADE
);
-- The next domains to issue, in order, without stepping over the finished ones.
CREATE INDEX prospect_domains_waiting_idx ON prospect_domains (tenant_id, job_id, position) WHERE state = 'waiting';
-- The domains in the queue now (at most a batch a job), checked for tasks that died.
CREATE INDEX prospect_domains_issued_idx ON prospect_domains (tenant_id, job_id) WHERE state = 'issued';
-- Throughput over the last 15 minutes reads only the domains finished in them.
CREATE INDEX prospect_domains_finished_idx ON prospect_domains (tenant_id, job_id, finished_at) WHERE finished_at IS NOT NULL;
SELECT enable_tenant_rls('prospect_domains');

-- A job's tasks still in the queue, found when it is paused (the hot partition only: finished
-- tasks are never looked for).
CREATE INDEX tasks_prospect_job_idx ON tasks_queued (tenant_id, (payload->>'job_id')) WHERE engine = 'prospecting';

-- Matches: one partition per job, created with the job and dropped with it at retention, so
-- 100 million rows never slow a job's status, paging or export (each reads its own partition)
-- and removing 90-day-old results costs one DROP, not a DELETE of millions of rows. The URL's
-- MD5 stands in for the URL in the unique key (URLs are longer than an index entry may be).
CREATE SEQUENCE prospect_result_ids AS bigint;
GRANT USAGE ON SEQUENCE prospect_result_ids TO linkwright_app, linkwright_system;
CREATE TABLE prospect_results (
    tenant_id      uuid NOT NULL,
    job_id         uuid NOT NULL,
    id             bigint NOT NULL DEFAULT nextval('prospect_result_ids'),
    domain         text NOT NULL,
    url            text NOT NULL CHECK (length(url) <= 2048),
    url_key        uuid NOT NULL GENERATED ALWAYS AS (md5(url)::uuid) STORED,
    keyword        text NOT NULL,
    frequency      integer NOT NULL CHECK (frequency >= 1),
    context        text NOT NULL,
    crawl_method   text NOT NULL CHECK (crawl_method IN ('direct', 'premium', 'premium_js')),
    http_status    integer NOT NULL,
    already_links  boolean NOT NULL DEFAULT false,
    found_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, job_id, id),
    UNIQUE (tenant_id, job_id, url_key, keyword)
) PARTITION BY LIST (job_id);
ALTER SEQUENCE prospect_result_ids OWNED BY prospect_results.id;
-- The JSON export reads a job's matches grouped by domain and keyword, a page at a time by key.
CREATE INDEX prospect_results_domain_idx ON prospect_results (tenant_id, job_id, domain, keyword, id);
SELECT enable_tenant_rls('prospect_results');

-- The application roles cannot run DDL; these two functions, owned by the migrating user, do
-- exactly the one thing each says. A partition gets the same tenant policies as its parent, so
-- it is isolated even if someone queries it by name.
CREATE FUNCTION create_prospect_partition(job uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    partition text := 'prospect_results_' || replace(job::text, '-', '');
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF prospect_results FOR VALUES IN (%L)', partition, job);
    IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = partition) THEN
        PERFORM enable_tenant_rls(partition::regclass);
    END IF;
END $$;
CREATE FUNCTION drop_prospect_partition(job uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS %I', 'prospect_results_' || replace(job::text, '-', ''));
END $$;
REVOKE ALL ON FUNCTION create_prospect_partition(uuid), drop_prospect_partition(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_prospect_partition(uuid), drop_prospect_partition(uuid) TO linkwright_app, linkwright_system;

-- Exports run in the background and are downloaded for 7 days. A running export's process
-- beats `heartbeat_at` as it writes; an export whose process died (no beat for two minutes) is
-- claimed and written again by another.
CREATE TABLE prospect_exports (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    job_id       uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('results', 'errors', 'costs')),
    format       text NOT NULL CHECK (format IN ('csv', 'json')),
    state        text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'ready', 'failed', 'expired')),
    storage      text NOT NULL CHECK (storage IN ('file', 's3')),
    location     text,
    rows         bigint NOT NULL DEFAULT 0,
    bytes        bigint NOT NULL DEFAULT 0,
    error        text CHECK (length(error) <= 500),
    created_at   timestamptz NOT NULL DEFAULT now(),
    ready_at     timestamptz,
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, job_id) REFERENCES prospect_jobs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX prospect_exports_job_idx ON prospect_exports (tenant_id, job_id, created_at DESC);
CREATE INDEX prospect_exports_running_idx ON prospect_exports (heartbeat_at) WHERE state = 'running';
CREATE INDEX prospect_exports_expiry_idx ON prospect_exports (expires_at) WHERE state = 'ready';
SELECT enable_tenant_rls('prospect_exports');

-- A job that stops on its credit cap, or finishes, is something a person reads about later.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
    CHECK (type IN ('link_lost', 'connection_failing', 'prospect_budget_exhausted', 'prospect_completed'));
