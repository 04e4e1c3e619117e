#!/usr/bin/env bash
# The API contract, checked two ways: the checked-in OpenAPI document is validated by
# openapi-spec-validator, then schemathesis drives a live `linkwright serve` with generated
# requests and checks every response against the document: no 5xx, a declared status code,
# content type and headers, and a body matching its schema.
# Usage: BIN=path/to/linkwright contract.sh WORKDIR DATABASE_URL. Writes WORKDIR/passed.
set -euo pipefail
source "$(dirname "$0")/common.sh"
DIR="$1"; URL="$2"; mkdir -p "$DIR"; chmod 755 "$DIR"
SPEC=Sources/LinkwrightServer/OpenAPI/openapi.json
python3 -c "import openapi_spec_validator" 2>/dev/null || python3 -m pip install --quiet "openapi-spec-validator==0.9.0" >&2
command -v schemathesis >/dev/null || python3 -m pip install --quiet "schemathesis==4.32.5" >&2

python3 -m openapi_spec_validator "$SPEC"
echo "  ok: $SPEC is a valid OpenAPI document"

PORT=$(free_port)
printf 'operator passphrase 1\n' | LINKWRIGHT_DATA_DIR="$DIR/data" LINKWRIGHT_DATABASE_URL="$URL" \
    "$BIN" admin create-operator --email ops@contract.test --password-stdin >/dev/null
LINKWRIGHT_DATA_DIR="$DIR/data" LINKWRIGHT_DATABASE_URL="$URL" LINKWRIGHT_PORT="$PORT" "$BIN" serve >"$DIR/serve.log" 2>&1 &
SERVE_PID=$!
trap 'kill -TERM "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 120); do
    curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
    kill -0 "$SERVE_PID" 2>/dev/null || { cat "$DIR/serve.log"; echo "serve exited" >&2; exit 1; }
    sleep 0.5
done

# A tenant on the largest plan, so the run is not mostly 429s, and an admin-scoped API key for
# schemathesis to call with (keys do not expire mid-run as access tokens would).
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -fsS -X "${4:-POST}" "$BASE$1" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} -d "$2"; }
OWNER=$(post /api/v1/auth/signup '{"email":"owner@contract.test","password":"contract passphrase","tenant_name":"Contract"}')
TENANT=$(json "['tenant']['id']" <<<"$OWNER"); OWNER_TOKEN=$(json "['access_token']" <<<"$OWNER")
OPS_TOKEN=$(post /api/v1/auth/login '{"email":"ops@contract.test","password":"operator passphrase 1"}' | json "['access_token']")
post "/api/v1/admin/tenants/$TENANT" '{"plan":"agency"}' "$OPS_TOKEN" PATCH >/dev/null
KEY=$(post /api/v1/api-keys '{"name":"contract","scopes":["read","write","admin"]}' "$OWNER_TOKEN" | json "['key']")

# Three runs, each with the credential its operations need. Changing or removing users can
# legitimately remove the key's own creator (schemathesis promotes another user to owner, then
# deletes the first), which revokes the key, so those two operations run last with their own key.
# Operators' routes run with an operator's token, so they are exercised past their 403.
FAILED=0
run_schemathesis() {
    local name="$1" token="$2"; shift 2
    schemathesis run "$BASE/api/v1/openapi.json" --header "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
        --phases examples,coverage,fuzzing --max-examples "${CONTRACT_MAX_EXAMPLES:-20}" --workers 2 \
        --request-timeout 30 --suppress-health-check all --no-color ${CONTRACT_ARGS:-} "$@" >"$DIR/schemathesis-$name.log" 2>&1
}
contract() {
    local name="$1"
    set +e
    run_schemathesis "$@"
    local status=$?
    # schemathesis itself sometimes crashes while generating a case ("Runtime Error", from
    # CPython's AST recursion bug gh-106905 under hypothesis): that is the tool, not the API.
    # A run whose only errors are such crashes, with no contract failure, runs again with a new
    # seed, up to three runs in all (one rerun was not always enough); a contract failure is
    # never retried.
    local attempt=1
    while [ "$status" -ne 0 ] && [ "$attempt" -lt 3 ] && ! grep -q "= FAILURES =" "$DIR/schemathesis-$name.log" \
        && grep -q "Runtime Error" "$DIR/schemathesis-$name.log"; do
        echo "  $name: schemathesis crashed generating cases (no contract failure); running it again" >&2
        cp "$DIR/schemathesis-$name.log" "$DIR/schemathesis-$name.crashed-$attempt.log"
        attempt=$((attempt + 1))
        run_schemathesis "$@"
        status=$?
    done
    set -e
    grep -E "^  [0-9]+ generated|Tested:" "$DIR/schemathesis-$name.log" | sed "s/^/  $name: /"
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$DIR/schemathesis-$name.log"
        mkdir -p test-artifacts && cp "$DIR/schemathesis-$name.log" test-artifacts/
        echo "  FAILED: schemathesis ($name) found responses that break the contract; log in test-artifacts/schemathesis-$name.log" >&2
        FAILED=1
    else
        echo "  ok: every response schemathesis provoked ($name) matches the contract"
    fi
}
USER_CHANGES='^(updateUserRole|deleteUser)$'
contract tenant "$KEY" --exclude-tag Admin --exclude-operation-id-regex "$USER_CHANGES"
contract admin "$OPS_TOKEN" --include-tag Admin
KEY2=$(post /api/v1/api-keys '{"name":"contract users","scopes":["read","write","admin"]}' "$OWNER_TOKEN" | json "['key']")
contract users "$KEY2" --include-operation-id-regex "$USER_CHANGES"
[ "$FAILED" -eq 0 ] || exit 1
echo 4 >"$DIR/passed"
