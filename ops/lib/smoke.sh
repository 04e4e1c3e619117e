#!/usr/bin/env bash
# End-to-end checks of the linkwright binary that only a real process can make: --help,
# the embedded cluster's lifecycle (create, lock, stop on SIGTERM, reuse with data intact),
# the operator CLI. Usage: BIN=path/to/linkwright smoke.sh WORKDIR. Writes WORKDIR/passed.
set -euo pipefail
source "$(dirname "$0")/common.sh"
DIR="$1"; mkdir -p "$DIR"; chmod 755 "$DIR"
passed=0
SMOKE_PID=""
cleanup_smoke() {
    [ -n "$SMOKE_PID" ] && kill -TERM "$SMOKE_PID" 2>/dev/null && wait "$SMOKE_PID" 2>/dev/null
    [ -f "$DIR/data/postgres/postmaster.pid" ] && as_pg_user "$(pg_bindir)/pg_ctl" -D "$DIR/data/postgres" -m immediate stop >/dev/null 2>&1
    return 0
}
trap cleanup_smoke EXIT
pass() { passed=$((passed + 1)); echo "  ok: $1"; }
fail() { echo "  FAILED: $1" >&2; exit 1; }

help=$("$BIN" serve --help)
for var in LINKWRIGHT_HOST LINKWRIGHT_PORT LINKWRIGHT_DATA_DIR LINKWRIGHT_DATABASE_URL LINKWRIGHT_REDIS_URL \
           LINKWRIGHT_JWT_SECRET LINKWRIGHT_METRICS_TOKEN LINKWRIGHT_ALLOW_PRIVATE_TARGETS LINKWRIGHT_LOG_FORMAT \
           LINKWRIGHT_CONCURRENCY_CAPS; do
    grep -q "$var" <<<"$help" || fail "serve --help does not document $var"
done
pass "serve --help documents every environment variable"
# docs/operations.md carries the settings table the binary prints; they must not drift apart.
DOCS="$(dirname "$0")/../../docs/operations.md"
diff <("$BIN" settings --markdown) <(sed -n '/<!-- settings:begin -->/,/<!-- settings:end -->/p' "$DOCS" | sed '1d;$d') >/dev/null \
    || fail "docs/operations.md's settings table differs from 'linkwright settings --markdown'; paste its output between the markers"
pass "docs/operations.md lists every setting as the binary defines it"
set +e
misconfigured=$(LINKWRIGHT_CONTENT_PROVIDERS=anthropic "$BIN" serve --port "$(free_port)" --data-dir "$DIR/unused" 2>&1); code=$?
set -e
[ $code -ne 0 ] && grep -q "LINKWRIGHT_ANTHROPIC_API_KEY is required" <<<"$misconfigured" || fail "a provider without its key: $misconfigured"
pass "serve refuses a content provider without its key, naming the setting"
"$BIN" version | grep -qE "^linkwright [0-9]+\.[0-9]+\.[0-9]+" || fail "version"
pass "version"

PORT=$(free_port)
export LINKWRIGHT_DATA_DIR="$DIR/data" LINKWRIGHT_PORT="$PORT"
unset LINKWRIGHT_DATABASE_URL
start_serve() {
    "$BIN" serve >>"$DIR/serve.log" 2>&1 &
    SMOKE_PID=$!
    for _ in $(seq 120); do
        curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0
        kill -0 "$SMOKE_PID" 2>/dev/null || { cat "$DIR/serve.log"; fail "serve exited during start-up"; }
        sleep 0.5
    done
    cat "$DIR/serve.log"; fail "serve did not become ready"
}
stop_serve() {
    kill -TERM "$SMOKE_PID"
    wait "$SMOKE_PID" || fail "serve did not exit cleanly on SIGTERM"
    SMOKE_PID=""
}
json() { curl -sS -X "$1" "http://127.0.0.1:$PORT$2" -H 'content-type: application/json' ${3:+-d "$3"}; }

start_serve
pass "serve starts on an embedded cluster in the data dir"
json POST /api/v1/auth/signup '{"email":"smoke@example.test","password":"correct horse battery","tenant_name":"Smoke"}' | grep -q access_token \
    || fail "signup on the embedded cluster"
pass "signup works on the embedded cluster"

set +e
second=$("$BIN" serve --port "$(free_port)" 2>&1); code=$?
set -e
[ $code -ne 0 ] && grep -q "already serving from the data directory" <<<"$second" || fail "a second serve on the same data dir: $second"
pass "a second serve on the same data dir exits with a clear message"

# An operator can be added while the server runs on the embedded default (no downtime): the
# command uses the running server's cluster instead of refusing the data directory's lock.
printf 'live operator passphrase\n' | "$BIN" admin create-operator --email live-ops@example.test --password-stdin >"$DIR/live-ops.txt" 2>&1 \
    || { cat "$DIR/live-ops.txt"; fail "admin create-operator while serve runs"; }
json POST /api/v1/auth/login '{"email":"live-ops@example.test","password":"live operator passphrase"}' | grep -q access_token \
    || fail "the operator created while serving cannot sign in"
kill -0 "$SMOKE_PID" && curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || fail "serve stopped when create-operator ran beside it"
pass "admin create-operator works while serve runs on the embedded default"

# Connection secrets: the first start made a key file (mode 0600); rotating it while serve runs
# re-seals every secret under a new key and retires the old one.
keys="$DIR/data/secret-keys"
[ "$(stat -c %a "$keys")" = 600 ] || fail "the secret key file is not mode 0600"
smoke_token=$(json POST /api/v1/auth/login '{"email":"smoke@example.test","password":"correct horse battery"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -fsS -X POST "http://127.0.0.1:$PORT/api/v1/connections" -H "authorization: Bearer $smoke_token" -H 'content-type: application/json' \
    -d '{"platform":"wordpress","base_url":"https://blog.smoke.example","username":"editor","secret":"smoke application password"}' >/dev/null \
    || fail "creating a connection"
before=$(cat "$keys")
"$BIN" admin rotate-secret-key >"$DIR/rotate.txt" 2>&1 || { cat "$DIR/rotate.txt"; fail "admin rotate-secret-key while serve runs"; }
grep -q "1 secrets re-sealed" "$DIR/rotate.txt" || { cat "$DIR/rotate.txt"; fail "rotation did not re-seal the one secret"; }
[ "$(wc -l <"$keys")" -eq 1 ] && [ "$(cat "$keys")" != "$before" ] || fail "the old key was not retired from the key file"
curl -fsS "http://127.0.0.1:$PORT/api/v1/connections" -H "authorization: Bearer $smoke_token" | grep -q '"secret_hint":"word"' \
    || fail "connections after rotation"
kill -0 "$SMOKE_PID" || fail "serve stopped when rotate-secret-key ran beside it"
pass "admin rotate-secret-key re-seals secrets and retires the old key while serve runs"

stop_serve
[ -f "$DIR/data/postgres/postmaster.pid" ] && fail "embedded PostgreSQL still running after SIGTERM"
pass "SIGTERM stops the server and its PostgreSQL"

printf 'operator passphrase\n' | "$BIN" admin create-operator --email ops@example.test --password-stdin >/dev/null \
    || fail "admin create-operator"
pass "admin create-operator"

start_serve
json POST /api/v1/auth/login '{"email":"smoke@example.test","password":"correct horse battery"}' | grep -q access_token \
    || fail "data did not survive the restart"
pass "data survives a restart"
token=$(json POST /api/v1/auth/login '{"email":"ops@example.test","password":"operator passphrase"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -fsS "http://127.0.0.1:$PORT/api/v1/admin/tenants" -H "authorization: Bearer $token" | grep -q '"slug":"smoke"' \
    || fail "operator cannot list tenants"
pass "the operator created by the CLI reaches /api/v1/admin"
curl -fsS "http://127.0.0.1:$PORT/metrics" >"$DIR/metrics.txt" || fail "GET /metrics"
grep -q '^linkwright_rollup_lag_seconds ' "$DIR/metrics.txt" && grep -q '^linkwright_database_up 1' "$DIR/metrics.txt" \
    || fail "/metrics lacks the business and rollup gauges"
promtool check metrics <"$DIR/metrics.txt" >"$DIR/promtool.txt" 2>&1 || { cat "$DIR/promtool.txt"; fail "promtool check metrics"; }
pass "promtool check metrics passes on /metrics"
stop_serve
"$BIN" rollup --from "$(date -u -d '-2 hours' +%Y-%m-%dT%H:00:00Z)" | grep -q "day 1 of 1" || fail "linkwright rollup (backfill)"
pass "linkwright rollup backfills with progress"

# The operator's kit (issue 7): Prometheus configuration, alert rules and their unit tests.
(cd ops/prometheus && promtool check config prometheus.yml && promtool check rules alerts.yml && promtool test rules alerts_test.yml) \
    >"$DIR/prometheus.txt" 2>&1 || { cat "$DIR/prometheus.txt"; fail "promtool on ops/prometheus"; }
pass "ops/prometheus passes promtool check config, check rules and test rules"
python3 -c 'import json,sys; d=json.load(open("ops/grafana/linkwright.json")); assert d["panels"] and all(p["targets"] for p in d["panels"])' \
    || fail "ops/grafana/linkwright.json is not a dashboard with queries"
pass "ops/grafana dashboard parses"

echo "$passed" > "$DIR/passed"
