#!/usr/bin/env bash
# Rollup and dashboard benchmark (issue 7), on one PostgreSQL server:
#   rollup: EVENTS raw events (half finished campaign tasks, half ledger rows) over the last 30
#           days across CAMPAIGNS campaigns, rolled up by `linkwright rollup` (release build),
#           against the floor of reading the same events once (one aggregate scan of each table);
#   dashboard: p50/p99 of the campaign metrics query the API runs (30 days by day, one random
#           campaign, as the tenant role under row-level security) over CAMPAIGNS campaigns with
#           DAYS days of hourly rows, against the same figures computed from the raw tables.
# Prints Markdown for ops/bench/RESULTS.md. Generating the data takes minutes at the defaults.
# Usage: ops/bench/rollup.sh [events, default 10000000] [campaigns, default 10000] [days, default 90]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
EVENTS=${1:-10000000}; CAMPAIGNS=${2:-10000}; DAYS=${3:-90}; TENANTS=$(( (CAMPAIGNS + 99) / 100 ))

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" postgresql postgresql-contrib python3
swift build -c release --product linkwright 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
PGBENCH="$(pg_bindir)/pgbench"

WORK=$(mktemp -d /tmp/linkwright-rbench.XXXXXX); chmod 755 "$WORK"
trap 'stop_postgres; rm -rf "$WORK"' EXIT
start_postgres "$WORK"
DB="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAtX "$@"; }
LINKWRIGHT_DATABASE_URL="$DB" .build/release/linkwright migrate >/dev/null 2>&1
now() { date +%s.%N; }

echo "generating $CAMPAIGNS campaigns in $TENANTS tenants, $EVENTS raw events, $DAYS days of hourly rollups" >&2
started=$(now)
psql_ <<SQL
INSERT INTO tenants (id, name, slug) SELECT gen_random_uuid(), 'Bench ' || t, 'bench-' || t FROM generate_series(1, $TENANTS) t;
CREATE TABLE bench_campaigns AS
  SELECT row_number() OVER () AS n, t.id AS tenant_id, gen_random_uuid() AS id
  FROM tenants t, generate_series(1, 100) LIMIT $CAMPAIGNS;
CREATE UNIQUE INDEX ON bench_campaigns (n);
INSERT INTO campaigns (tenant_id, id, name, target_url, anchor_texts, keywords, engines, priority, daily_limit, budget_micros, min_authority, status)
  SELECT tenant_id, id, 'Campaign ' || n, 'https://client.example/', '{a}', '{}', '{web2}', 'normal', 10, 0, 0, 'active' FROM bench_campaigns;
INSERT INTO tasks (tenant_id, lane, engine, campaign_id, state, run_at, idempotency_key, finished_at)
  SELECT c.tenant_id, 'normal', 'web2', c.id, CASE WHEN i % 10 = 0 THEN 'dead' ELSE 'succeeded' END, now(), 'bench-' || i,
         now() - random() * interval '30 days'
  FROM generate_series(1, $EVENTS / 2) i JOIN bench_campaigns c ON c.n = 1 + i % $CAMPAIGNS;
INSERT INTO cost_ledger (tenant_id, campaign_id, task_id, kind, quantity, unit, amount_micros, idempotency_key, occurred_at)
  SELECT c.tenant_id, c.id, i, 'placement', 1, 'placement', 250000, 'bench-' || i, now() - random() * interval '30 days'
  FROM generate_series(1, $EVENTS / 2) i JOIN bench_campaigns c ON c.n = 1 + i % $CAMPAIGNS;
VACUUM ANALYZE tasks; VACUUM ANALYZE cost_ledger;
SQL
echo "raw events ready in $(python3 -c "print(round($(now) - $started))") s" >&2

# The floor: reading the same events once, grouped as the rollup groups them.
started=$(now)
psql_ -c "SELECT count(*) FROM (SELECT campaign_id, date_trunc('hour', finished_at) FROM tasks WHERE finished_at > now() - interval '31 days' GROUP BY 1, 2) a" \
      -c "SELECT count(*) FROM (SELECT campaign_id, date_trunc('hour', occurred_at) FROM cost_ledger WHERE occurred_at > now() - interval '31 days' GROUP BY 1, 2) b" >/dev/null
FLOOR=$(python3 -c "print($(now) - $started)")
started=$(now)
LINKWRIGHT_DATABASE_URL="$DB" .build/release/linkwright rollup --from "$(date -u -d '-31 days' +%Y-%m-%dT%H:00:00Z)" >"$WORK/rollup.log" 2>&1
ROLLUP=$(python3 -c "print($(now) - $started)")
ROWS=$(psql_ -c "SELECT count(*) FROM campaign_metrics_hourly")
CHECK=$(psql_ -c "SELECT (SELECT sum(cost_micros) FROM campaign_metrics_hourly) = (SELECT sum(amount_micros) FROM cost_ledger)")
echo "rollup: $ROLLUP s ($ROWS rows, totals equal: $CHECK); floor $FLOOR s" >&2

# Dashboard data: DAYS days of hourly rows for every campaign (replacing the rollup's).
started=$(now)
psql_ <<SQL
TRUNCATE campaign_metrics_hourly;
INSERT INTO campaign_metrics_hourly (tenant_id, campaign_id, hour, tasks_finished, tasks_failed, placements_created,
                                     placements_live, placements_lost, verification_checks, cost_micros)
  SELECT c.tenant_id, c.id, h, (random() * 5)::int, (random() * 1)::int, (random() * 3)::int, (random() * 3)::int, 0,
         (random() * 10)::int, (random() * 1000000)::bigint
  FROM bench_campaigns c, generate_series(date_trunc('hour', now()) - interval '$DAYS days', date_trunc('hour', now()), interval '1 hour') h;
VACUUM ANALYZE campaign_metrics_hourly;
GRANT SELECT ON bench_campaigns TO linkwright_app;
SQL
HOURLY=$(psql_ -c "SELECT count(*) FROM campaign_metrics_hourly")
echo "$HOURLY hourly rows in $(python3 -c "print(round($(now) - $started))") s" >&2

# The API's query (RollupRepository.series), as the tenant role, 30 days by day; then the same
# figures from the raw tables.
# Both scripts pick a random campaign and act as its tenant, as the API does.
PREAMBLE='\set n random(1, :campaigns)
SELECT tenant_id AS t, id AS c FROM bench_campaigns WHERE n = :n \gset
BEGIN;
SELECT set_config('"'"'app.tenant_id'"'"', :t, true);
SET LOCAL ROLE linkwright_app;
SET LOCAL timezone = '"'"'UTC'"'"';'
{ echo "$PREAMBLE"; cat <<'SQL'; } >"$WORK/dashboard.sql"
SELECT date_trunc('day', hour), sum(tasks_finished), sum(tasks_failed), sum(placements_created), sum(placements_live),
       sum(placements_lost), sum(verification_checks), sum(cost_micros)
FROM campaign_metrics_hourly
WHERE hour >= now() - interval '30 days' AND hour < now() AND campaign_id = :c
GROUP BY 1 ORDER BY 1;
COMMIT;
SQL
{ echo "$PREAMBLE"; cat <<'SQL'; } >"$WORK/raw.sql"
SELECT d, sum(f), sum(x), sum(m) FROM (
  SELECT date_trunc('day', finished_at) d, count(*) FILTER (WHERE state = 'succeeded') f, count(*) FILTER (WHERE state = 'dead') x, 0 m
  FROM tasks WHERE campaign_id = :c AND finished_at >= now() - interval '30 days' GROUP BY 1
  UNION ALL
  SELECT date_trunc('day', occurred_at), 0, 0, sum(amount_micros) FROM cost_ledger
  WHERE campaign_id = :c AND occurred_at >= now() - interval '30 days' GROUP BY 1) s
GROUP BY 1 ORDER BY 1;
COMMIT;
SQL
latency() {  # script -> "p50_ms p99_ms"
    (cd "$WORK" && rm -f pgbench_log.* && "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M extended -c 2 -j 2 -T 20 -D campaigns="$CAMPAIGNS" \
        -l -f "$1" postgres >"$WORK/pgbench.out" 2>&1) || { cat "$WORK/pgbench.out" >&2; return 1; }
    cat "$WORK"/pgbench_log.* | python3 -c '
import statistics, sys
v = sorted(int(l.split()[2]) / 1000 for l in sys.stdin)
print(f"{statistics.median(v):.3f} {v[int(len(v) * 0.99) - 1]:.3f} {len(v)}")'
}
DASH=$(latency dashboard.sql); RAW=$(latency raw.sql)
echo "dashboard [$DASH] raw [$RAW] (p50 ms, p99 ms, queries)" >&2

python3 - "$EVENTS" "$CAMPAIGNS" "$DAYS" "$ROLLUP" "$FLOOR" "$ROWS" "$CHECK" "$HOURLY" $DASH $RAW <<'PY'
import datetime, os, subprocess, sys
events, campaigns, days = map(int, sys.argv[1:4])
rollup, floor = float(sys.argv[4]), float(sys.argv[5])
rows, check, hourly = sys.argv[6], sys.argv[7], int(sys.argv[8])
d50, d99, dn, r50, r99, rn = map(float, sys.argv[9:15])
mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.split("\n")[1].split()[1]
print(f"""
### Rollups and dashboard queries — {datetime.date.today()}

Command: `ops/bench/rollup.sh {events} {campaigns} {days}` (release `linkwright rollup`; one PostgreSQL 15 on loopback, fsync off; {events:,} raw events = {events // 2:,} finished campaign tasks + {events // 2:,} ledger rows over 30 days, {campaigns:,} campaigns; dashboard data {hourly:,} hourly rows = {days} days × {campaigns:,} campaigns; queries by pgbench, 2 clients, 20 s each, as the tenant role under row-level security, a random campaign each).
Machine: {os.cpu_count()} cores, {mem} GiB; shared and noisy.

| measurement | value | reference | ratio |
| --- | ---: | ---: | ---: |
| rollup of {events:,} events (31 days, a day per transaction) | {rollup:.1f} s ({events / rollup:,.0f} events/s) | one grouped scan of the same events: {floor:.1f} s | {rollup / floor:.2f} |
| campaign dashboard query, 30 days by day, p50 | {d50:.2f} ms | same figures from the raw tables: {r50:.2f} ms | {d50 / r50:.3f} |
| campaign dashboard query, p99 | {d99:.2f} ms | from the raw tables: {r99:.2f} ms | {d99 / r99:.3f} |

Rollup wrote {rows} rows; rolled-up cost equals the ledger's: {check}. Queries measured: {int(dn):,} on rollups, {int(rn):,} on raw tables.
""")
PY
