#!/usr/bin/env bash
# Verification benchmark (issue 4): PLACEMENTS placements over DOMAINS test domains mapped to
# loopback, checked at 1 request/s per domain (robots.txt included), with the real checker.
# Prints checks/s beside the politeness-bound ideal, CPU time per check and peak memory, as
# Markdown for ops/bench/RESULTS.md. Rounds are run one after another; medians are reported.
# Usage: ops/bench/verify.sh [placements, default 10000] [domains, default 2000] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
source ops/lib/common.sh
PLACEMENTS=${1:-10000}; DOMAINS=${2:-2000}; ROUNDS=${3:-3}; CONCURRENCY=${CONCURRENCY:-2000}

ensure_swift
ensure_packages "${BUILD_PACKAGES[@]}" publicsuffix python3
swift build -c release --product linkwright-verify-bench 2>&1 | grep -v "_FILE_OFFSET_BITS" | tail -n 1 >&2

declare -a LINES
for round in $(seq "$ROUNDS"); do
    line=$(.build/release/linkwright-verify-bench "$PLACEMENTS" "$DOMAINS" "$CONCURRENCY")
    echo "round $round: $line" >&2
    LINES+=("$line")
done
python3 - "$PLACEMENTS" "$DOMAINS" "$CONCURRENCY" "$ROUNDS" "${LINES[@]}" <<'PY'
import json, statistics, sys, datetime, os, subprocess
placements, domains, concurrency, rounds = sys.argv[1:5]
runs = [json.loads(l) for l in sys.argv[5:]]
med = lambda k: statistics.median(float(r[k]) for r in runs)
mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.split("\n")[1].split()[1]
print(f"""
### Verification: {placements} placements over {domains} domains at 1 request/s/domain — {datetime.date.today()}

Command: `ops/bench/verify.sh {placements} {domains} {rounds}` (release build; a local Hummingbird site on 127.0.0.1 serving a 13 KiB article with the link; every domain maps to it through the injected resolver, the SSRF guard on with only that address and port exempt; {concurrency} checks in flight; medians of {rounds} rounds).
Machine: {os.cpu_count()} cores, {mem} GiB; shared and noisy.

| measurement | value |
| --- | ---: |
| checks per second | {med('checks_per_second'):.1f} |
| politeness-bound ideal (each domain's robots.txt and pages 1 s apart, domains in parallel) | {med('ideal_checks_per_second'):.1f} |
| **ratio measured ÷ ideal** | **{med('checks_per_second') / med('ideal_checks_per_second'):.2f}** |
| CPU time per check (both the checker and the local site) | {med('cpu_ms_per_check'):.3f} ms |
| peak memory (resident) | {med('peak_rss_mib'):.0f} MiB |
| checks that found the link live | {int(med('live'))} of {placements} |
""")
PY
