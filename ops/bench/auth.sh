#!/usr/bin/env bash
# Benchmark for the foundation (issue 2), on the release build, in one run:
#   1. GET /api/v1/me with a JWT against GET /healthz: throughput ratio and p99;
#   2. login throughput (Argon2id, m=19 MiB t=2 p=1), and /healthz p99 measured during that
#      login flood against /healthz p99 alone.
# Starts its own PostgreSQL on loopback; prints a Markdown section for ops/bench/RESULTS.md.
# Usage: ops/bench/auth.sh [seconds per run, default 10] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
DURATION=${1:-10}
ROUNDS=${2:-3}

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" postgresql redis-server wrk curl python3
for product in linkwright linkwright-api-bench; do
    swift build -c release --product "$product" 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
done

WORK=$(mktemp -d /tmp/linkwright-bench.XXXXXX); chmod 755 "$WORK"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; stop_postgres; stop_redis; rm -rf "$WORK"; }
trap cleanup EXIT
start_postgres "$WORK"
start_redis "$WORK"
DB="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
LINKWRIGHT_DATABASE_URL="$DB" .build/release/linkwright migrate >/dev/null 2>&1
# The application as serve builds it, with API rate limits off (the benchmark driver's open
# side): these figures are the request path and Argon2, not the limiter, which answers a flood
# from one address with 429s. ops/bench/api.sh measures the limiter.
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
mkfifo "$WORK/ready"
.build/release/linkwright-api-bench serve "$DB" "redis://127.0.0.1:$REDIS_PORT/0" "$(free_port)" "$PORT" >"$WORK/ready" 2>"$WORK/serve.log" &
SERVER_PID=$!
read -r _ <"$WORK/ready"

EMAIL="bench@example.test"; PASSWORD="correct horse battery"
TOKEN=$(curl -fsS -X POST "$URL/api/v1/auth/signup" -H 'content-type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"tenant_name\":\"Bench\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

cat >"$WORK/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"$EMAIL","password":"$PASSWORD"}'
LUA

# Prints "<requests/s> <p50 ms> <p99 ms> <non-2xx>" for one wrk run.
measure() {
    wrk --latency "$@" 2>&1 | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
p50, p99 = ms("50%"), ms("99%")
print("%.0f %.2f %.2f %s" % (rps, p50, p99, bad.group(1) if bad else 0))'
}

median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.2f}")' "$@"; }

declare -a H_RPS H_P99 M_RPS M_P99 L_RPS L_P99 Q_P99 F_P99 BAD
for round in $(seq "$ROUNDS"); do
    read -r rps _ p99 bad < <(measure -t2 -c64 -d"${DURATION}s" "$URL/healthz"); H_RPS+=("$rps"); H_P99+=("$p99")
    read -r rps _ p99 bad < <(measure -t2 -c64 -d"${DURATION}s" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/me"); M_RPS+=("$rps"); M_P99+=("$p99"); BAD+=("$bad")
    # /healthz alone at a light load, then the same load while logins flood the server.
    read -r _ _ p99 _ < <(measure -t1 -c8 -d"${DURATION}s" "$URL/healthz"); Q_P99+=("$p99")
    measure -t1 -c32 -d"${DURATION}s" -s "$WORK/login.lua" "$URL/api/v1/auth/login" >"$WORK/login.out" &
    FLOOD_PID=$!  # taken at once: the process substitution below changes $!
    sleep 1
    read -r _ _ p99 _ < <(measure -t1 -c8 -d"$((DURATION - 2))s" "$URL/healthz"); F_P99+=("$p99")
    wait "$FLOOD_PID"
    read -r rps _ p99 bad < <(cat "$WORK/login.out"); L_RPS+=("$rps"); L_P99+=("$p99"); BAD+=("$bad")
    echo "round $round: healthz ${H_RPS[-1]}/s p99 ${H_P99[-1]} ms | me ${M_RPS[-1]}/s p99 ${M_P99[-1]} ms | login ${L_RPS[-1]}/s p99 ${L_P99[-1]} ms | healthz p99 ${Q_P99[-1]} ms alone, ${F_P99[-1]} ms under login flood" >&2
done

bad_total=$(python3 -c "import sys; print(sum(int(x) for x in sys.argv[1:]))" "${BAD[@]}")
[ "$bad_total" -eq 0 ] || { echo "$bad_total responses were not 2xx: the figures would measure errors, not work" >&2; exit 1; }
h_rps=$(median "${H_RPS[@]}"); m_rps=$(median "${M_RPS[@]}")
h_p99=$(median "${H_P99[@]}"); m_p99=$(median "${M_P99[@]}")
q_p99=$(median "${Q_P99[@]}"); f_p99=$(median "${F_P99[@]}")
cat <<MD

### Foundation: authenticated request and login flood — $(date -u +%Y-%m-%d)

Command: \`ops/bench/auth.sh $DURATION $ROUNDS\` (release build, PostgreSQL 15 on loopback, wrk; medians of $ROUNDS rounds of ${DURATION} s, run alternately in one run).
Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(. /etc/os-release; echo "$PRETTY_NAME"); shared and noisy.

| measurement | req/s | p99 ms |
| --- | ---: | ---: |
| GET /healthz (wrk -t2 -c64) | $h_rps | $h_p99 |
| GET /api/v1/me with a JWT (wrk -t2 -c64) | $m_rps | $m_p99 |
| **ratio /me ÷ /healthz** | **$(python3 -c "print(f'{$m_rps/$h_rps:.2f}')")** | **$(python3 -c "print(f'{$m_p99/$h_p99:.2f}')")×** |
| POST /api/v1/auth/login, correct password (wrk -t1 -c32) | $(median "${L_RPS[@]}") | $(median "${L_P99[@]}") |
| GET /healthz alone (wrk -t1 -c8) | | $q_p99 |
| GET /healthz during the login flood (wrk -t1 -c8) | | $f_p99 |
| **ratio healthz p99 under flood ÷ alone** | | **$(python3 -c "print(f'{$f_p99/$q_p99:.2f}')")×** |

Non-2xx responses across all runs: $(python3 -c "import sys; print(sum(int(x) for x in sys.argv[1:]))" "${BAD[@]}").
MD
