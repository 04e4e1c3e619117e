#!/usr/bin/env bash
# Content pipeline benchmark (issue 13), in one run on one PostgreSQL server:
#   drafts per second through the whole pipeline (content task claimed, draft written, sanitised,
#   checked, compared with the tenant's earlier drafts, recorded with its band keys in the
#   completing transaction), with the template writer and with a zero-latency provider,
#   alternating, medians of the rounds;
#   the near-duplicate check per new draft against EXISTING earlier drafts of one tenant: the
#   band-index lookup the engine does against, as reference, a scan of every earlier signature
#   already in memory; for diverse (model-like) drafts and for template drafts.
# Usage: ops/bench/content.sh [drafts per round, default 2000] [rounds, default 3] [existing, default 100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
DRAFTS=${1:-2000}; ROUNDS=${2:-3}; EXISTING=${3:-100000}

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" postgresql python3
for product in linkwright linkwright-content-bench; do
    swift build -c release --product "$product" 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2
done
WORK=$(mktemp -d /tmp/linkwright-cbench.XXXXXX); chmod 755 "$WORK"
trap 'stop_postgres; rm -rf "$WORK"' EXIT
start_postgres "$WORK"
fresh() {
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "DROP DATABASE IF EXISTS c" -c "CREATE DATABASE c"
    LINKWRIGHT_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/c" .build/release/linkwright migrate >/dev/null 2>&1
}
bench() { .build/release/linkwright-content-bench "postgres://postgres@127.0.0.1:$PG_PORT/c" "$@"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

declare -a TEMPLATE INSTANT FLAGGED
for round in $(seq "$ROUNDS"); do
    fresh; t=$(bench pipeline "$DRAFTS" template)
    fresh; i=$(bench pipeline "$DRAFTS" instant)
    TEMPLATE+=("$(field "$t" per_second)"); INSTANT+=("$(field "$i" per_second)"); FLAGGED+=("$(field "$t" flagged)")
    echo "round $round: template $t | instant $i" >&2
done
fresh; diverse=$(bench similarity "$EXISTING" 200); echo "similarity: $diverse" >&2
TEMPLATE_EXISTING=$((EXISTING / 5))
fresh; template=$(bench similarity-template "$TEMPLATE_EXISTING" 100); echo "similarity: $template" >&2

t=$(median "${TEMPLATE[@]}"); i=$(median "${INSTANT[@]}")
cat <<MD

### Content pipeline and near-duplicate check — $(date -u +%Y-%m-%d)

Command: \`ops/bench/content.sh $DRAFTS $ROUNDS $EXISTING\` (release build; one PostgreSQL 15 on loopback, fsync off; one tenant, one campaign, 40 content tasks in flight, completions batched as in \`serve\`; medians of $ROUNDS alternating rounds).
Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); shared and noisy.

| pipeline, $DRAFTS drafts | drafts/s |
| --- | ---: |
| template writer (writes each article) | $t |
| zero-latency provider (model-like articles made before the clock starts) | $i |
| **ratio template ÷ zero-latency** | **$(python3 -c "print(f'{$t / $i:.2f}')")** |

Drafts the template rounds flagged as too similar after three rewrites: ${FLAGGED[*]} of $DRAFTS (each flagged draft was written four times).

| near-duplicate check per new draft | earlier drafts | band-index lookup median ms | p99 ms | in-memory scan median ms | ratio lookup ÷ scan | closest seen |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| diverse drafts (as models write) | $EXISTING | $(field "$diverse" indexed_median_ms) | $(field "$diverse" indexed_p99_ms) | $(field "$diverse" scan_median_ms) | $(python3 -c "print(f'{$(field "$diverse" indexed_median_ms) / $(field "$diverse" scan_median_ms):.2f}')") | $(field "$diverse" closest) |
| template drafts | $TEMPLATE_EXISTING | $(field "$template" indexed_median_ms) | $(field "$template" indexed_p99_ms) | $(field "$template" scan_median_ms) | $(python3 -c "print(f'{$(field "$template" indexed_median_ms) / $(field "$template" scan_median_ms):.2f}')") | $(field "$template" closest) |
MD
