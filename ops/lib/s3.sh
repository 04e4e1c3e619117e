# An S3-compatible server on loopback for the export tests: moto's server (PyPI), in a virtualenv
# kept in ~/.cache/linkwright. `source ops/lib/s3.sh; start_s3 DIR` sets S3_URL (path-style
# endpoint) with a bucket `linkwright-exports` made; `stop_s3` ends it. moto checks the request's
# shape (multipart parts, ETags, the completion's list) as S3 does. Sourced, not executed.
S3_PACKAGES=(python3-venv)
S3_VENV="${LINKWRIGHT_CACHE:-$HOME/.cache/linkwright}/moto-5"

start_s3() {
    S3_DIR="$1"; mkdir -p "$S3_DIR"
    if [ ! -x "$S3_VENV/bin/moto_server" ]; then
        python3 -m venv "$S3_VENV"
        "$S3_VENV/bin/pip" install --quiet "moto[server]>=5,<6" >"$S3_DIR/pip.log" 2>&1 || { cat "$S3_DIR/pip.log"; return 1; }
    fi
    local port; port=$(free_port)
    "$S3_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$S3_DIR/moto.log" 2>&1 &
    S3_PID=$!
    S3_URL="http://127.0.0.1:$port"
    for _ in $(seq 100); do
        curl -fsS -o /dev/null "$S3_URL/moto-api/" 2>/dev/null && break
        sleep 0.1
    done
    curl -fsS -X PUT -o /dev/null "$S3_URL/linkwright-exports" || { cat "$S3_DIR/moto.log"; return 1; }
}

stop_s3() {
    if [ -n "${S3_PID:-}" ]; then kill "$S3_PID" 2>/dev/null || true; wait "$S3_PID" 2>/dev/null || true; S3_PID=; fi
}
