#!/usr/bin/env bash
# Admin API request-rate benchmark with wrk: ping at 1 and 16 connections, then list_sessions
# at 16 connections with N live sessions (created first over the Janus API, with the global
# session timeout set to 0 so none expires during the run; a second run against the same
# server creates only what is missing, so runs against two servers can alternate).
#   bench/wrk/admin-run.sh JANUS_URL ADMIN_URL [SECONDS] [SESSIONS]
#   e.g. bench/wrk/admin-run.sh http://127.0.0.1:8088/janus http://127.0.0.1:7088 10 1000
set -euo pipefail
janus="$1"; admin="$2"; secs="${3:-10}"; n="${4:-1000}"
secret="${ADMIN_SECRET:-janusoverlord}"
here="$(cd "$(dirname "$0")" && pwd)"
post() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$1"; }
post "$admin/admin" "{\"janus\":\"set_session_timeout\",\"timeout\":0,\"transaction\":\"b\",\"admin_secret\":\"$secret\"}" >/dev/null
count() { post "$admin/admin" "{\"janus\":\"list_sessions\",\"transaction\":\"b\",\"admin_secret\":\"$secret\"}" | { grep -o '[0-9]\{6,\}' || true; } | wc -l; }
missing=$((n - $(count)))
for _ in $(seq 1 "$missing"); do post "$janus" '{"janus":"create","transaction":"b"}'; done >/dev/null
live="$(count)"
echo "live sessions: $live"
echo "| request | connections | requests/s | p50 latency | p99 latency |"
echo "|---|---|---|---|---|"
run() {
  local script="$1" conns="$2" out rps p50 p99
  wrk -t1 -c"$conns" -d3s -s "$here/$script.lua" "$admin" >/dev/null
  out="$(ADMIN_SECRET="$secret" wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$here/$script.lua" "$admin")"
  rps="$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  echo "| $script | $conns | $rps | $p50 | $p99 | $(grep -E 'bytes per reply' <<<"$out" || true)"
}
run admin-ping 1
run admin-ping 16
run admin-list-sessions 16
