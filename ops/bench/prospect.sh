#!/usr/bin/env bash
# Prospecting benchmark (issue 15), in one run on this machine:
#   1. the crawl: a job of DOMAINS sites of PAGES pages on a local farm through the real queue,
#      workers, engine and recorder, against the politeness bound measured in the same run (one
#      domain crawled alone: a worker cannot finish domains faster than that at one request a
#      second), as domains/hour, their ratio (goal ≥ 0.8), CPU per page and peak RSS; medians of
#      ROUNDS rounds;
#   2. creating a 10,000-domain job through the API (multipart upload to `linkwright serve`,
#      release build), goal < 5 s;
#   3. exporting a 50,000-domain job's results (200,000 matches) as CSV and JSON, with the
#      server's resident memory sampled every 100 ms before and during (goal: under 64 MiB).
# Usage: ops/bench/prospect.sh [domains, default 1000] [pages, default 10] [concurrency, default 96] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
DOMAINS=${1:-1000}; PAGES=${2:-10}; CONCURRENCY=${3:-96}; ROUNDS=${4:-3}

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" python3 curl
swift build -c release --product linkwright-prospect-bench 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
swift build -c release --product linkwright 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
WORK=$(mktemp -d /tmp/linkwright-prbench.XXXXXX); chmod 755 "$WORK"
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; stop_postgres; rm -rf "$WORK"' EXIT
start_postgres "$WORK"
export LINKWRIGHT_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
median() { python3 -c 'import statistics,sys; print(round(statistics.median(float(x) for x in sys.argv[1:]), 2))' "$@"; }
round1() { python3 -c 'import sys; print(round(float(sys.argv[1]), 1))' "$1"; }

declare -a RATE BOUND RATIO CPU RSS
for round in $(seq "$ROUNDS"); do
    r=$(.build/release/linkwright-prospect-bench "$DOMAINS" "$PAGES" "$CONCURRENCY" 2>/dev/null | tail -n 1)
    [ "$(field "$r" failed)" = 0 ] || { echo "failures: $r" >&2; exit 1; }
    RATE+=("$(field "$r" domains_per_hour)"); BOUND+=("$(field "$r" politeness_bound_per_hour)"); RATIO+=("$(field "$r" ratio)")
    CPU+=("$(field "$r" cpu_ms_per_page)"); RSS+=("$(field "$r" peak_rss_mib)")
    echo "round $round: $r" >&2
done

# The API: a release `serve` on its own database.
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE api"
PORT=$(free_port)
LINKWRIGHT_WORKER_CONCURRENCY=16,16,0,16 .build/release/linkwright serve --database-url "postgres://postgres@127.0.0.1:$PG_PORT/api" \
    --port "$PORT" --data-dir "$WORK/data" --log-format json >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/readyz" 2>/dev/null && break; sleep 0.2; done
TOKEN=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/auth/signup" -H 'content-type: application/json' \
    -d '{"email":"bench@example.test","password":"correct horse battery","tenant_name":"Bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
with open(f"{work}/domains-10k.csv", "w") as f:
    f.write("domain\n" + "".join(f"https://www.shop{i}.example.com/about\n" for i in range(10000)))
with open(f"{work}/domains-50k.txt", "w") as f:
    f.write("".join(f"site{i}.example.org\n" for i in range(50000)))
with open(f"{work}/keywords.txt", "w") as f:
    f.write("".join(f"keyword {i}\n" for i in range(100)))
PY
declare -a CREATE
for round in $(seq "$ROUNDS"); do
    t=$(curl -fsS -o "$WORK/created.json" -w '%{time_total}' "http://127.0.0.1:$PORT/api/v1/prospecting/jobs" -H "authorization: Bearer $TOKEN" \
        -F "name=bench $round" -F mode=free-only -F auto_start=false -F "domains=@$WORK/domains-10k.csv" -F "keywords=@$WORK/keywords.txt")
    grep -q '"summary":"10,000 unique domains"' "$WORK/created.json" || { cat "$WORK/created.json" >&2; exit 1; }
    CREATE+=("$t")
done

# A 50,000-domain job with four matches a domain, written straight into its partition.
JOB=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/prospecting/jobs" -H "authorization: Bearer $TOKEN" -F "name=export" -F mode=free-only \
    -F auto_start=false -F "domains=@$WORK/domains-50k.txt" -F "keywords=@$WORK/keywords.txt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job"]["id"])')
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d api -qc "
    INSERT INTO prospect_results (tenant_id, job_id, domain, url, keyword, frequency, context, crawl_method, http_status)
    SELECT d.tenant_id, d.job_id, d.domain, 'https://' || d.domain || '/page-' || k, 'keyword ' || k, 1 + k,
           repeat('Some context around the keyword, as a reader would see it on the page. ', 4), 'direct', 200
    FROM prospect_domains d CROSS JOIN generate_series(1, 4) k WHERE d.job_id = '$JOB'"
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
export_run() {
    local format=$1 base peak id state
    base=$(rss); peak=$base
    local started; started=$(date +%s.%N)
    id=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/prospecting/jobs/$JOB/exports" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
        -d "{\"format\":\"$format\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    while true; do
        now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
        state=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/prospecting/jobs/$JOB/exports/$id" -H "authorization: Bearer $TOKEN" \
            | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["state"], d["rows"], d["bytes"])')
        case "$state" in running*) sleep 0.1 ;; *) break ;; esac
    done
    local ended; ended=$(date +%s.%N)
    echo "$format $state $(python3 -c "print(round($ended - $started, 2))") $((base / 1024)) $((peak / 1024))"
}
CSV=$(export_run csv); JSON=$(export_run json)
# The same exports alone in a process of their own: what an export itself keeps resident.
TENANT=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d api -Atc "SELECT tenant_id FROM prospect_jobs WHERE id = '$JOB'")
ALONE_CSV=$(.build/release/linkwright-prospect-bench export "postgres://postgres@127.0.0.1:$PG_PORT/api" "$TENANT" "$JOB" csv 2>/dev/null | tail -n 1)
ALONE_JSON=$(.build/release/linkwright-prospect-bench export "postgres://postgres@127.0.0.1:$PG_PORT/api" "$TENANT" "$JOB" json 2>/dev/null | tail -n 1)
echo "alone: $ALONE_CSV | $ALONE_JSON" >&2
[ "$(field "$ALONE_CSV" state)" = ready ] && [ "$(field "$ALONE_JSON" state)" = ready ] || { echo "an export alone failed" >&2; exit 1; }
echo "exports: $CSV | $JSON" >&2
read -r _ csv_state csv_rows csv_bytes csv_s csv_base csv_peak <<<"$CSV"
read -r _ json_state json_rows json_bytes json_s json_base json_peak <<<"$JSON"
[ "$csv_state" = ready ] && [ "$json_state" = ready ] || { echo "an export failed: $CSV | $JSON" >&2; exit 1; }

rate=$(median "${RATE[@]}"); bound=$(median "${BOUND[@]}")
cat <<MD

### Prospecting — $(date -u +%Y-%m-%d)

Command: \`ops/bench/prospect.sh $DOMAINS $PAGES $CONCURRENCY $ROUNDS\` (release builds; PostgreSQL 15 on loopback; a farm of $DOMAINS local sites of $PAGES pages each, all in their sitemaps, one request a second per domain; $CONCURRENCY workers on the bulk lane, the tenant's plan raised to match; medians of $ROUNDS rounds).
Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); shared and noisy.

| measure | value |
| --- | ---: |
| domains/hour through the queue, workers and recorder | $rate |
| politeness bound in the same run ($CONCURRENCY workers ÷ one domain crawled alone) | $bound |
| **ratio to the bound (goal ≥ 0.8)** | **$(median "${RATIO[@]}")** |
| CPU per page (workers, database client and the farm serving the pages, one process) | $(median "${CPU[@]}") ms |
| peak RSS of that process | $(median "${RSS[@]}") MiB |
| **creating a 10,000-domain job through the API (multipart upload, goal < 5 s)** | **$(median "${CREATE[@]}") s** |
| CSV export of a 50,000-domain job ($csv_rows rows, $((csv_bytes / 1048576)) MiB) | $csv_s s |
| JSON export of the same ($json_rows rows, $((json_bytes / 1048576)) MiB) | $json_s s |
| **peak RSS of a process doing only the CSV export (goal < 64 MiB)** | **$(round1 "$(field "$ALONE_CSV" peak_rss_mib)") MiB** ($(round1 "$(field "$ALONE_CSV" seconds)") s) |
| **peak RSS of a process doing only the JSON export** | **$(round1 "$(field "$ALONE_JSON" peak_rss_mib)") MiB** ($(round1 "$(field "$ALONE_JSON" seconds)") s) |
| the API server's RSS before → peak during the CSV export (it also holds the pools, caches and the uploads before) | $csv_base → $csv_peak MiB |
| the same during the JSON export | $json_base → $json_peak MiB |
MD
