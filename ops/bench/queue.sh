#!/usr/bin/env bash
# Queue benchmark (issue 3), in one run on one PostgreSQL server:
#   ours:  no-op tasks end to end through the real queue (bulk enqueue, then N workers draining
#          with fairness, the plan cap, leases and heartbeats on), in tasks/s;
#   floor: pgbench doing the raw cycle on a plain table (fetch 10 with SKIP LOCKED, complete
#          them), draining the same pre-filled backlog, in tasks/s.
# Rounds alternate the two; medians and the ratio go out as Markdown for ops/bench/RESULTS.md.
# Then: claim latency with a 1,000,000-task backlog against a 10,000-task one, and with
# 1,000,000 finished tasks in the table against none.
# Usage: ops/bench/queue.sh [tasks, default 50000] [workers, default 4] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
TASKS=${1:-50000}; WORKERS=${2:-4}; ROUNDS=${3:-3}; BATCH=10

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" postgresql postgresql-contrib python3
for product in linkwright linkwright-queue-bench; do
    swift build -c release --product "$product" 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
done
PGBENCH="$(pg_bindir)/pgbench"

WORK=$(mktemp -d /tmp/linkwright-qbench.XXXXXX); chmod 755 "$WORK"
trap 'stop_postgres; rm -rf "$WORK"' EXIT
start_postgres "$WORK"
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt "$@"; }

cat >"$WORK/cycle.sql" <<'SQL'
UPDATE bench_jobs SET state = 'running', owner = :client_id
 WHERE id IN (SELECT id FROM bench_jobs WHERE state = 'available' ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED);
UPDATE bench_jobs SET state = 'done' WHERE owner = :client_id AND state = 'running';
SQL

declare -a OURS ENQ FLOOR
for round in $(seq "$ROUNDS"); do
    psql_ -c "DROP DATABASE IF EXISTS q" -c "CREATE DATABASE q"
    LINKWRIGHT_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/q" .build/release/linkwright migrate >/dev/null
    line=$(.build/release/linkwright-queue-bench "postgres://postgres@127.0.0.1:$PG_PORT/q" "$TASKS" "$WORKERS" "$BATCH")
    OURS+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["drain_per_second"])' "$line")")
    ENQ+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["enqueue_per_second"])' "$line")")

    psql_ -d q -c "DROP TABLE IF EXISTS bench_jobs" \
        -c "CREATE TABLE bench_jobs (id bigserial PRIMARY KEY, state text NOT NULL DEFAULT 'available', owner int)" \
        -c "CREATE INDEX ON bench_jobs (id) WHERE state = 'available'" \
        -c "INSERT INTO bench_jobs (state) SELECT 'available' FROM generate_series(1, $TASKS)" -c "VACUUM ANALYZE bench_jobs"
    per_client=$(( TASKS / 10 / WORKERS ))
    start=$(date +%s.%N)
    "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c "$WORKERS" -j 2 -t "$per_client" -f "$WORK/cycle.sql" q >/dev/null
    end=$(date +%s.%N)
    left=$(psql_ -d q -c "SELECT count(*) FROM bench_jobs WHERE state <> 'done'")
    FLOOR+=("$(python3 -c "print(int(($TASKS - $left) / ($end - $start)))")")
    echo "round $round: ours ${OURS[-1]} tasks/s end to end (enqueue ${ENQ[-1]} tasks/s) | pgbench floor ${FLOOR[-1]} tasks/s" >&2
done

# The fetch path against a 1,000,000-task backlog held by one tenant, with a second tenant's 10
# arriving after it; the same measurement with 10,000 waiting, in the same run, is the reference.
psql_ -c "DROP DATABASE IF EXISTS q" -c "CREATE DATABASE q"
LINKWRIGHT_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/q" .build/release/linkwright migrate >/dev/null
mapfile -t BACKLOG < <(.build/release/linkwright-queue-bench "postgres://postgres@127.0.0.1:$PG_PORT/q" backlog 1000000)
printf '%s\n' "${BACKLOG[@]}" >&2
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

median() { python3 -c 'import statistics,sys; print(int(statistics.median(float(x) for x in sys.argv[1:])))' "$@"; }
ours=$(median "${OURS[@]}"); floor=$(median "${FLOOR[@]}"); enq=$(median "${ENQ[@]}")
cat <<MD

### Queue: no-op tasks end to end against the SKIP LOCKED floor — $(date -u +%Y-%m-%d)

Command: \`ops/bench/queue.sh $TASKS $WORKERS $ROUNDS\` (release build; one PostgreSQL 15 on loopback, fsync off, shared by both sides; $TASKS tasks, $WORKERS workers / pgbench clients, batches of $BATCH; medians of $ROUNDS alternating rounds).
Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m); shared and noisy.

| measurement | tasks/s |
| --- | ---: |
| pgbench floor: fetch 10 with SKIP LOCKED, complete (two transactions per cycle) | $floor |
| Linkwright end to end: dequeue (fair, capped, leased), run no-op engine, complete with result | $ours |
| **ratio ours ÷ floor** | **$(python3 -c "print(f'{$ours/$floor:.2f}')")** |
| Linkwright bulk enqueue (chunks of 5,000, one transaction each, two in flight) | $enq |

One claim of 10 (fair dequeue, then completion) with one tenant holding the backlog and a second
tenant's 10 tasks enqueued after it; 300 claims each, in the same run:

| backlog | median ms | p99 ms | claims until the second tenant's 10 were all out | backlog enqueued, tasks/s |
| ---: | ---: | ---: | ---: | ---: |
| 10,000 | $(field "${BACKLOG[0]}" median_ms) | $(field "${BACKLOG[0]}" p99_ms) | $(field "${BACKLOG[0]}" claims_until_small_tenant_done) | $(field "${BACKLOG[0]}" enqueue_per_second) |
| 1,000,000 | $(field "${BACKLOG[2]}" median_ms) | $(field "${BACKLOG[2]}" p99_ms) | $(field "${BACKLOG[2]}" claims_until_small_tenant_done) | $(field "${BACKLOG[2]}" enqueue_per_second) |
| **ratio 1,000,000 ÷ 10,000 (median)** | **$(python3 -c "print(f'{$(field "${BACKLOG[2]}" median_ms)/$(field "${BACKLOG[0]}" median_ms):.2f}')")** | | | |
| 10,000, with 1,000,000 finished tasks of the same tenant in the table | $(field "${BACKLOG[1]}" median_ms) | $(field "${BACKLOG[1]}" p99_ms) | $(field "${BACKLOG[1]}" claims_until_small_tenant_done) | $(field "${BACKLOG[1]}" enqueue_per_second) |
| **ratio with history ÷ without (median)** | **$(python3 -c "print(f'{$(field "${BACKLOG[1]}" median_ms)/$(field "${BACKLOG[0]}" median_ms):.2f}')")** | | | **$(python3 -c "print(f'{$(field "${BACKLOG[1]}" enqueue_per_second)/$(field "${BACKLOG[0]}" enqueue_per_second):.2f}')")** |
MD
