#!/usr/bin/env bash
# HTTP request-rate benchmark of the Janus API with wrk (Debian package), against a server
# already listening (default http://127.0.0.1:8088). Prints a Markdown table row per case.
#   bench/wrk/run.sh [URL] [SECONDS]
set -euo pipefail
url="${1:-http://127.0.0.1:8088}"
secs="${2:-10}"
here="$(cd "$(dirname "$0")" && pwd)"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
echo "| request | connections | requests/s | p50 latency | p99 latency |"
echo "|---|---|---|---|---|"
for script in ping info create-destroy; do
  for conns in 1 16; do
    # Warm the JIT up first so the measured run is steady state.
    wrk -t1 -c"$conns" -d3s -s "$here/$script.lua" "$url" >/dev/null
    out="$(wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$here/$script.lua" "$url")"
    rps="$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
    p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
    p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
    errs="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
    echo "| $script | $conns | $rps | $p50 | $p99 |${errs:+ $errs}"
  done
done
