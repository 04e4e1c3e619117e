#!/usr/bin/env bash
# Browser tests of the web app: Playwright (from PyPI) driving Debian's chromium against a real
# `linkwright serve` on the test PostgreSQL. Screenshots at 375 and 1440 px go to
# test-artifacts/browser/. Usage: BIN=path/to/linkwright browser.sh WORKDIR DATABASE_URL.
# Writes WORKDIR/passed.
set -euo pipefail
source "$(dirname "$0")/common.sh"
DIR="$1"; URL="$2"; mkdir -p "$DIR"; chmod 755 "$DIR"
ensure_packages chromium
python3 -c "import playwright" 2>/dev/null || python3 -m pip install --quiet playwright >&2

ARTIFACTS="$(pwd)/test-artifacts/browser"
rm -rf "$ARTIFACTS"; mkdir -p "$ARTIFACTS"
PORT=$(free_port)
# An operator for the operations page, made the way a person would: with the CLI.
printf 'operator passphrase 1\n' | LINKWRIGHT_DATA_DIR="$DIR/data" LINKWRIGHT_DATABASE_URL="$URL" \
    "$BIN" admin create-operator --email ops@browser.test --password-stdin >/dev/null
LINKWRIGHT_DATA_DIR="$DIR/data" LINKWRIGHT_DATABASE_URL="$URL" LINKWRIGHT_PORT="$PORT" "$BIN" serve >"$DIR/serve.log" 2>&1 &
SERVE_PID=$!
trap 'kill -TERM "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    kill -0 "$SERVE_PID" 2>/dev/null || { cat "$DIR/serve.log"; echo "serve exited" >&2; exit 1; }
    sleep 0.5
done
set +e
python3 ops/browser/app_test.py "http://127.0.0.1:$PORT" "$ARTIFACTS" | tee "$DIR/browser.log"
STATUS=${PIPESTATUS[0]}
set -e
grep -c "^ok:" "$DIR/browser.log" >"$DIR/passed" || echo 0 >"$DIR/passed"
[ "$STATUS" -eq 0 ] || { echo "browser tests failed; screenshots in $ARTIFACTS, server log:" >&2; tail -n 50 "$DIR/serve.log" >&2; exit 1; }
