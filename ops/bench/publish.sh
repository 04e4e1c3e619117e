#!/usr/bin/env bash
# Publishing benchmark (issue 14), in one run against one local WordPress (Debian's package):
#   posts per second published by the web2 engine (guarded fetcher, exactly-once look-up, post)
#   against the same WordPress driven by a plain HTTP client making the same two requests per
#   post (the engine's own overhead: goal ≥ 0.9 of it), and against one request per post (what
#   publishing without the exactly-once look-up would cost), alternating, medians of the rounds;
#   and the engine with every publish taken through the per-account action limiter on a local
#   Redis (its overhead: goal ≥ 0.95 of the engine without it).
# Usage: ops/bench/publish.sh [posts per round, default 300] [rounds, default 3] [concurrency, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
source ops/lib/wordpress.sh
POSTS=${1:-300}; ROUNDS=${2:-3}; CONCURRENCY=${3:-8}

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" python3 curl "${WORDPRESS_PACKAGES[@]}"
swift build -c release --product linkwright-publish-bench 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
WORK=$(mktemp -d /tmp/linkwright-pbench.XXXXXX); chmod 755 "$WORK"
trap 'stop_wordpress; stop_redis; rm -rf "$WORK"' EXIT
start_wordpress "$WORK/wordpress" 2>/dev/null
start_redis "$WORK"
export BENCH_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
bench() { .build/release/linkwright-publish-bench "$1" "$WP_URL" "$WP_AUTHOR" "$WP_AUTHOR_APP_PASSWORD" "$POSTS" "$CONCURRENCY"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

declare -a ENGINE PLAIN POST LIMITED
for round in $(seq "$ROUNDS"); do
    e=$(bench engine); p=$(bench plain); o=$(bench plain-post); l=$(bench engine-limited)
    for r in "$e" "$p" "$o" "$l"; do [ "$(field "$r" failed)" = 0 ] || { echo "failures: $r" >&2; exit 1; }; done
    ENGINE+=("$(field "$e" per_second)"); PLAIN+=("$(field "$p" per_second)"); POST+=("$(field "$o" per_second)")
    LIMITED+=("$(field "$l" per_second)")
    echo "round $round: $e | $p | $o | $l" >&2
done
e=$(median "${ENGINE[@]}"); p=$(median "${PLAIN[@]}"); o=$(median "${POST[@]}"); l=$(median "${LIMITED[@]}")
cat <<MD

### Publishing to WordPress — $(date -u +%Y-%m-%d)

Command: \`ops/bench/publish.sh $POSTS $ROUNDS $CONCURRENCY\` (release build; Debian's WordPress $(dpkg-query -W -f '${Version}' wordpress 2>/dev/null) on \`php -S\` with four workers and MariaDB on loopback; $POSTS posts per round, $CONCURRENCY at a time; medians of $ROUNDS alternating rounds).
Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); shared and noisy.

| client | posts/s |
| --- | ---: |
| web2 engine (guarded fetcher, look-up, post) | $e |
| web2 engine with per-account action limits in Redis | $l |
| plain AsyncHTTPClient, same two requests per post | $p |
| plain AsyncHTTPClient, one request per post (no look-up) | $o |
| **ratio engine ÷ plain, same requests** | **$(python3 -c "print(f'{$e / $p:.2f}')")** |
| ratio engine ÷ one request per post | $(python3 -c "print(f'{$e / $o:.2f}')") |
| **ratio with action limits ÷ without** | **$(python3 -c "print(f'{$l / $e:.2f}')")** |
MD
