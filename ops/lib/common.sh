# Shared by ops/run, ops/test and the benchmarks: installing what is missing and starting
# throwaway PostgreSQL and Redis servers on loopback. Sourced, not executed.

# Runs a command as root when we are not root (sudo if present), as is when we are.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

# Installs the Debian packages the project needs that are not installed yet.
ensure_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

BUILD_PACKAGES=(pkg-config libhiredis-dev libargon2-dev libgumbo-dev libssl-dev zlib1g-dev)
# publicsuffix: the Public Suffix List, read at run time to find a host's registrable domain.
RUNTIME_PACKAGES=(postgresql redis-server publicsuffix)

ensure_swift() {
    command -v swift >/dev/null && return 0
    for d in /opt/swift/usr/bin /opt/swift/bin; do
        [ -x "$d/swift" ] && export PATH="$d:$PATH" && return 0
    done
    echo "swift is not on PATH; install the Swift 6.2+ toolchain first" >&2
    return 1
}

pg_bindir() {
    local d
    if command -v pg_config >/dev/null; then d=$(pg_config --bindir); [ -x "$d/initdb" ] && { echo "$d"; return; }; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    echo "PostgreSQL server binaries (initdb) not found" >&2
    return 1
}

free_port() {
    python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# Runs a command as the postgres user when we are root (PostgreSQL refuses to run as root).
as_pg_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres DIR: a throwaway cluster on 127.0.0.1, trust auth, fsync off.
# Sets PG_PORT and PG_DIR.
start_postgres() {
    PG_DIR="$1/pg"; PG_PORT=$(free_port)
    local bin; bin=$(pg_bindir) || return 1
    mkdir -p "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown -R postgres "$1" && chmod 755 "$1"
    as_pg_user "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log"; return 1; }
    as_pg_user "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=600" \
        start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
}

stop_postgres() {
    [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] || return 0
    as_pg_user "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
}

# start_redis DIR: a throwaway redis-server on 127.0.0.1, no persistence. Sets REDIS_PORT.
start_redis() {
    REDIS_PORT=$(free_port)
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --daemonize yes --pidfile "$1/redis.pid" --logfile "$1/redis.log" --dir "$1"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "redis did not start" >&2; cat "$1/redis.log" >&2; return 1
}

stop_redis() {
    [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
