#!/usr/bin/env bash
# Why a task's tenant is checked per statement, not by a foreign key (migration 0015), measured
# in one run on one PostgreSQL server with the real schema (`linkwright migrate`):
#   foreign key:   the queue's partitioned tasks table as it was before 0015, a trigger per row
#                  checking the tenant (and the campaign's key, which both layouts keep);
#   per statement: the real tables, one check per INSERT statement over its distinct tenants;
#   none:          the same tables with no tenant check at all, the floor.
# Each round inserts TASKS no-op tasks in one statement (a bulk enqueue's chunk) into each
# layout's hot partition, then finishes them in one UPDATE (which moves them to the finished
# partition), alternating the layouts; medians and ratios go out as Markdown for RESULTS.md.
# Usage: ops/bench/tenant-check.sh [tasks per statement, default 5000] [rounds, default 15]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
TASKS=${1:-5000}; ROUNDS=${2:-15}

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" postgresql postgresql-contrib python3
swift build -c release --product linkwright 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
WORK=$(mktemp -d /tmp/linkwright-tcheck.XXXXXX); chmod 755 "$WORK"
trap 'stop_postgres; rm -rf "$WORK"' EXIT
start_postgres "$WORK"
export PGOPTIONS="-c client_min_messages=warning"
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_ -c "CREATE DATABASE bench"
LINKWRIGHT_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/bench" .build/release/linkwright migrate >/dev/null

# The layouts compared with the real tables: partitioned copies of them, made from the schema
# itself (columns, checks, every index, the campaign's key), so they follow it as it changes.
layout() {  # $1 name, $2 extra DDL for the parent
    cat <<SQL
CREATE TABLE $1 (LIKE tasks INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES) PARTITION BY LIST (state);
CREATE TABLE ${1}_queued (LIKE tasks_queued INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE TABLE ${1}_finished (LIKE tasks_finished INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
ALTER TABLE $1 ATTACH PARTITION ${1}_queued FOR VALUES IN ('scheduled', 'available', 'running', 'failed_retryable');
ALTER TABLE $1 ATTACH PARTITION ${1}_finished FOR VALUES IN ('succeeded', 'dead', 'cancelled');
ALTER TABLE $1 ADD FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE;
$2
SQL
}
psql_ -d bench <<SQL
INSERT INTO tenants (id, name, slug) VALUES ('00000000-0000-0000-0000-000000000001', 'bench', 'bench');
$(layout with_key "ALTER TABLE with_key ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;")
$(layout no_check "")
SQL

run() {  # $1 parent table, $2 partition to insert into, $3 round → "insert_ms finish_ms"
    psql_ -d bench <<SQL
DO \$\$
DECLARE t0 timestamptz; ins float8; fin float8;
BEGIN
    t0 := clock_timestamp();
    INSERT INTO $2 (tenant_id, lane, engine, state, run_at, idempotency_key, max_attempts)
    SELECT '00000000-0000-0000-0000-000000000001', 'normal', 'noop', 'available', now(), 'r$3-' || g, 3
      FROM generate_series(1, $TASKS) g;
    ins := extract(epoch FROM clock_timestamp() - t0) * 1000;
    t0 := clock_timestamp();
    UPDATE $1 SET state = 'succeeded', finished_at = now() WHERE state = 'available';
    fin := extract(epoch FROM clock_timestamp() - t0) * 1000;
    RAISE WARNING '% %', round(ins::numeric, 2), round(fin::numeric, 2);
END \$\$;
SQL
}

declare -a KI KF SI SF NI NF
for round in $(seq "$ROUNDS"); do
    read -r ki kf < <(run with_key with_key_queued "$round" 2>&1 | sed 's/.*WARNING: *//')
    read -r si sf < <(run tasks tasks_queued "$round" 2>&1 | sed 's/.*WARNING: *//')
    read -r ni nf < <(run no_check no_check_queued "$round" 2>&1 | sed 's/.*WARNING: *//')
    KI+=("$ki"); KF+=("$kf"); SI+=("$si"); SF+=("$sf"); NI+=("$ni"); NF+=("$nf")
    echo "round $round: insert ms key $ki / statement $si / none $ni; finish ms key $kf / statement $sf / none $nf" >&2
done
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.1f}")' "$@"; }
ki=$(median "${KI[@]}"); kf=$(median "${KF[@]}"); si=$(median "${SI[@]}"); sf=$(median "${SF[@]}"); ni=$(median "${NI[@]}"); nf=$(median "${NF[@]}")
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
cat <<MD

### A task's tenant checked per statement, not per row (migration 0015) — $(date -u +%Y-%m-%d)

Command: \`ops/bench/tenant-check.sh $TASKS $ROUNDS\` (one PostgreSQL 15 on loopback, fsync off, the schema \`linkwright migrate\` makes; $TASKS no-op tasks per statement; medians of $ROUNDS rounds, layouts alternating).
Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m); shared and noisy.

| $TASKS tasks in one statement | foreign key (before) | per statement (now) | no check | now ÷ before |
| --- | ---: | ---: | ---: | ---: |
| insert into the hot partition, ms | $ki | $si | $ni | **$(ratio "$si" "$ki")** |
| finish: move to the finished partition, ms | $kf | $sf | $nf | **$(ratio "$sf" "$kf")** |
MD
