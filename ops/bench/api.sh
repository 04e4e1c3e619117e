#!/usr/bin/env bash
# API rate-limit benchmark (issue 6), in one run against one PostgreSQL and one Redis:
#   GET /api/v1/me with an access token, loaded by wrk, on the real application twice: with the
#   Redis-backed GCRA limiter, and with limits off. Rounds alternate the two; p50/p99 latency
#   and requests/s medians and their ratios go out as Markdown for ops/bench/RESULTS.md.
#   Then limiter decisions per second, through Redis and in process.
# The tenant is on a plan with an allowance no run can spend, so every request is allowed and
# both sides do the same work but the limiter's.
# Usage: ops/bench/api.sh [seconds per round, default 10] [rounds, default 5] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
SECONDS_PER_ROUND=${1:-10}; ROUNDS=${2:-5}; CONNECTIONS=${3:-32}

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" wrk curl python3
for product in linkwright linkwright-api-bench; do
    swift build -c release --product "$product" 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
done

WORK=$(mktemp -d /tmp/linkwright-apibench.XXXXXX); chmod 755 "$WORK"
BENCH_PID=""
cleanup() {
    [ -n "$BENCH_PID" ] && kill -TERM "$BENCH_PID" 2>/dev/null && wait "$BENCH_PID" 2>/dev/null
    stop_postgres; stop_redis; rm -rf "$WORK"
}
trap cleanup EXIT
start_postgres "$WORK"
start_redis "$WORK"
DB="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
REDIS="redis://127.0.0.1:$REDIS_PORT/0"
LINKWRIGHT_DATABASE_URL="$DB" .build/release/linkwright migrate >/dev/null 2>&1
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc \
    "INSERT INTO plans (name, active_campaigns, placements_per_month, concurrent_tasks, api_requests_per_minute) VALUES ('bench', 1, 1, 1, 2000000000)"

LIMITED=$(free_port); OPEN=$(free_port)
mkfifo "$WORK/ready"
.build/release/linkwright-api-bench serve "$DB" "$REDIS" "$LIMITED" "$OPEN" >"$WORK/ready" 2>"$WORK/bench.log" &
BENCH_PID=$!
read -r _ <"$WORK/ready"

TOKEN=$(curl -fsS -X POST "http://127.0.0.1:$OPEN/api/v1/auth/signup" -H 'content-type: application/json' \
    -d '{"email":"bench@example.test","password":"correct horse battery","tenant_name":"Bench"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "UPDATE tenants SET plan = 'bench'"
curl -fsS -D - -o /dev/null "http://127.0.0.1:$LIMITED/api/v1/me" -H "Authorization: Bearer $TOKEN" | grep -qi '^ratelimit-policy: "bench"' \
    || { echo "the limited side does not report the bench policy" >&2; exit 1; }

run_wrk() {  # port -> "p50_ms p99_ms requests_per_second non2xx"
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_ROUND}s" --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1/api/v1/me" |
        python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
p50, p99 = ms("50"), ms("99")
print(f"{p50:.3f} {p99:.3f} {rps:.1f} {bad.group(1) if bad else 0}")'
}

declare -a ON OFF
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then on=$(run_wrk "$LIMITED"); off=$(run_wrk "$OPEN"); else off=$(run_wrk "$OPEN"); on=$(run_wrk "$LIMITED"); fi
    echo "round $round: limiter on [$on] off [$off] (p50 ms, p99 ms, req/s, non-2xx)" >&2
    ON+=("$on"); OFF+=("$off")
done
DECISIONS=$(.build/release/linkwright-api-bench decisions "$REDIS" 5 64)
echo "decisions: $DECISIONS" >&2

python3 - "$SECONDS_PER_ROUND" "$ROUNDS" "$CONNECTIONS" "$DECISIONS" "${#ON[@]}" "${ON[@]}" "${OFF[@]}" <<'PY'
import datetime, json, os, statistics, subprocess, sys
seconds, rounds, connections, decisions, n = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5])
on = [list(map(float, r.split())) for r in sys.argv[6:6 + n]]
off = [list(map(float, r.split())) for r in sys.argv[6 + n:6 + 2 * n]]
med = lambda rows, i: statistics.median(r[i] for r in rows)
mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.split("\n")[1].split()[1]
bad = int(sum(r[3] for r in on + off))
print(f"""
### API rate limiter: GET /api/v1/me with and without the Redis limiter — {datetime.date.today()}

Command: `ops/bench/api.sh {seconds} {rounds} {connections}` (release build; wrk -t2 -c{connections}, {seconds} s per side per round, sides alternating, medians of {rounds} rounds; one PostgreSQL, one Redis, both applications in one process on loopback; the tenant's plan allows more than any run can spend, so every request is allowed). Non-2xx responses in all rounds: {bad}.
Machine: {os.cpu_count()} cores, {mem} GiB; shared and noisy; wrk, the server, PostgreSQL and Redis share the cores.

| measurement | limiter on (Redis) | limits off | ratio on ÷ off |
| --- | ---: | ---: | ---: |
| p50 latency | {med(on, 0):.2f} ms | {med(off, 0):.2f} ms | {med(on, 0) / med(off, 0):.2f} |
| p99 latency | {med(on, 1):.2f} ms | {med(off, 1):.2f} ms | {med(on, 1) / med(off, 1):.2f} |
| requests per second | {med(on, 2):.0f} | {med(off, 2):.0f} | {med(on, 2) / med(off, 2):.2f} |

Limiter decisions per second (64 concurrent callers, 5 s, keys spread over 6,400): **{decisions['redis_decisions_per_second']:,}** through Redis (one EVALSHA each, pipelined over 4 connections), {decisions['local_decisions_per_second']:,} in process.{' (Redis was unreachable during the run: these are fallback figures.)' if decisions['degraded'] else ''}
""")
PY
