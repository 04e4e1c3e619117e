#!/usr/bin/env bash
# Why finished tasks leave the hot table (issue 3, migration 0013), measured in one run on one
# PostgreSQL server. The same history (HISTORY finished tasks) and the same work (a BACKLOG-task
# backlog claimed and finished 10 at a time by one pgbench client) on two layouts with the
# queue's indexes:
#   single:      one table for every state (the layout before migration 0013);
#   partitioned: partitioned by state, finished tasks moved out (the layout now).
# For each: the claim-and-finish cycle rate, then what vacuuming after that work costs (the
# whole table for the single layout; the hot partition, where the dead rows are, for the
# partitioned one), and the size of what the dequeue works on. Autovacuum is off, so both
# vacuums find the same dead rows. Rounds alternate the layouts; medians and ratios go out as
# Markdown for ops/bench/RESULTS.md.
# Usage: ops/bench/hot-table.sh [history, default 1000000] [backlog, default 20000] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
HISTORY=${1:-1000000}; BACKLOG=${2:-20000}; ROUNDS=${3:-3}

ensure_packages postgresql postgresql-contrib python3
PGBENCH="$(pg_bindir)/pgbench"
WORK=$(mktemp -d /tmp/linkwright-hot.XXXXXX); chmod 755 "$WORK"
trap 'stop_postgres; rm -rf "$WORK"' EXIT
start_postgres "$WORK"
export PGOPTIONS="-c client_min_messages=warning"
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
TENANT=00000000-0000-0000-0000-000000000001

columns="tenant_id uuid NOT NULL, id bigint NOT NULL, lane text NOT NULL, engine text NOT NULL, campaign_id uuid,
    payload jsonb NOT NULL DEFAULT '{}', state text NOT NULL, attempt int NOT NULL DEFAULT 0, run_at timestamptz NOT NULL,
    lease_owner text, lease_expires_at timestamptz, idempotency_key text NOT NULL, finished_at timestamptz"
hot_indexes() {  # $1 table: the fetch index and the running tasks' indexes
    cat <<SQL
CREATE INDEX ON $1 (tenant_id, lane, run_at, id) WHERE state IN ('scheduled', 'available', 'failed_retryable');
CREATE INDEX ON $1 (tenant_id) WHERE state = 'running';
CREATE INDEX ON $1 (lease_expires_at) WHERE state = 'running';
SQL
}
every_indexes() {  # $1 table: what every task is found by
    cat <<SQL
CREATE INDEX ON $1 (tenant_id, campaign_id, id);
CREATE INDEX ON $1 (finished_at) WHERE campaign_id IS NOT NULL AND finished_at IS NOT NULL;
SQL
}
fill() {  # $1 table to insert into (the parent routes by state)
    cat <<SQL
INSERT INTO $1 (tenant_id, id, lane, engine, campaign_id, state, attempt, run_at, idempotency_key, finished_at)
SELECT '$TENANT', g, 'normal', 'noop', gen_random_uuid(), 'succeeded', 1, now() - interval '2 days', 'done-' || g, now() - interval '1 day'
FROM generate_series(1, $HISTORY) g;
INSERT INTO $1 (tenant_id, id, lane, engine, state, run_at, idempotency_key)
SELECT '$TENANT', $HISTORY + g, 'normal', 'noop', 'available', now() - interval '1 hour', 'todo-' || g FROM generate_series(1, $BACKLOG) g;
SQL
}

setup_single() {
    psql_ -d bench <<SQL
DROP TABLE IF EXISTS tasks_single, tasks_part;
CREATE TABLE tasks_single ($columns, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, idempotency_key)) WITH (autovacuum_enabled = off);
$(hot_indexes tasks_single)
$(every_indexes tasks_single)
$(fill tasks_single)
VACUUM (FREEZE, ANALYZE) tasks_single;
SQL
}
setup_partitioned() {
    psql_ -d bench <<SQL
DROP TABLE IF EXISTS tasks_single, tasks_part;
CREATE TABLE tasks_part ($columns, PRIMARY KEY (tenant_id, id, state)) PARTITION BY LIST (state);
CREATE TABLE tasks_part_queued PARTITION OF tasks_part FOR VALUES IN ('scheduled', 'available', 'running', 'failed_retryable')
    WITH (autovacuum_enabled = off);
CREATE TABLE tasks_part_finished PARTITION OF tasks_part FOR VALUES IN ('succeeded', 'dead', 'cancelled') WITH (autovacuum_enabled = off);
CREATE UNIQUE INDEX ON tasks_part_queued (tenant_id, idempotency_key);
CREATE UNIQUE INDEX ON tasks_part_finished (tenant_id, idempotency_key);
$(hot_indexes tasks_part_queued)
$(every_indexes tasks_part)
$(fill tasks_part)
VACUUM (FREEZE, ANALYZE) tasks_part;
SQL
}
# One cycle as the queue does it: claim the tenant's 10 oldest due tasks, then finish them.
cycle() {  # $1 table to claim from, $2 table to finish through
    cat <<SQL
UPDATE $1 SET state = 'running', attempt = attempt + 1, lease_owner = 'bench', lease_expires_at = now() + interval '1 minute'
 WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM $1 WHERE tenant_id = '$TENANT' AND lane = 'normal'
                             AND state IN ('scheduled', 'available', 'failed_retryable') AND run_at <= now()
                           ORDER BY run_at, id LIMIT 10 FOR UPDATE SKIP LOCKED);
UPDATE $2 SET state = 'succeeded', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
 WHERE tenant_id = '$TENANT' AND lease_owner = 'bench' AND state = 'running';
SQL
}
run() {  # $1 layout; prints: cycle rate (tasks/s), vacuum ms, hot relation MiB
    local claim finish vacuum_target start end rate vacuum_ms size
    if [ "$1" = single ]; then setup_single; claim=tasks_single; finish=tasks_single; vacuum_target=tasks_single
    else setup_partitioned; claim=tasks_part_queued; finish=tasks_part; vacuum_target=tasks_part_queued; fi
    cycle "$claim" "$finish" >"$WORK/cycle.sql"
    start=$(date +%s.%N)
    "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c 1 -t $(( BACKLOG / 10 )) -f "$WORK/cycle.sql" bench >/dev/null
    end=$(date +%s.%N)
    rate=$(python3 -c "print(int($BACKLOG / ($end - $start)))")
    size=$(psql_ -d bench -c "SELECT round(pg_total_relation_size('$vacuum_target') / 1048576.0, 1)")
    vacuum_ms=$(psql_ -d bench -c '\timing on' -c "VACUUM $vacuum_target" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
    left=$(psql_ -d bench -c "SELECT count(*) FROM $finish WHERE state <> 'succeeded'")
    [ "$left" = 0 ] || { echo "$1: $left tasks not finished" >&2; exit 1; }
    echo "$rate $vacuum_ms $size"
}

psql_ -c "CREATE DATABASE bench"
declare -a S_RATE S_VAC S_SIZE P_RATE P_VAC P_SIZE
for round in $(seq "$ROUNDS"); do
    read -r rate vac size < <(run single); S_RATE+=("$rate"); S_VAC+=("$vac"); S_SIZE+=("$size")
    read -r rate vac size < <(run partitioned); P_RATE+=("$rate"); P_VAC+=("$vac"); P_SIZE+=("$size")
    echo "round $round: single $(( ${S_RATE[-1]} )) tasks/s, vacuum ${S_VAC[-1]} ms, ${S_SIZE[-1]} MiB | partitioned ${P_RATE[-1]} tasks/s, vacuum ${P_VAC[-1]} ms, ${P_SIZE[-1]} MiB" >&2
done

median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
sr=$(median "${S_RATE[@]}"); pr=$(median "${P_RATE[@]}"); sv=$(median "${S_VAC[@]}"); pv=$(median "${P_VAC[@]}")
ss=$(median "${S_SIZE[@]}"); ps=$(median "${P_SIZE[@]}")
cat <<MD

### Queue: finished tasks out of the hot table — $(date -u +%Y-%m-%d)

Command: \`ops/bench/hot-table.sh $HISTORY $BACKLOG $ROUNDS\` (one PostgreSQL 15 on loopback, fsync off, autovacuum off on these tables; $HISTORY finished tasks of one tenant, then its $BACKLOG-task backlog claimed and finished 10 at a time by one pgbench client, with the queue's indexes; medians of $ROUNDS alternating rounds).
Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m); shared and noisy.

| measurement | one table for every state | partitioned by state | partitioned ÷ one table |
| --- | ---: | ---: | ---: |
| claim 10 and finish them, tasks/s | ${sr%.*} | ${pr%.*} | $(ratio "$pr" "$sr") |
| VACUUM afterwards (what holds the dead rows), ms | $sv | $pv | $(ratio "$pv" "$sv") |
| size of what the dequeue works on, MiB (heap and indexes) | $ss | $ps | $(ratio "$ps" "$ss") |
MD
