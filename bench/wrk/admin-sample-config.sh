#!/usr/bin/env bash
# Admin API request rates on Debian's sample configuration (json = "indented" in the transport
# files), Portunus against Janus 1.1.2 side by side (issue #16): list_sessions with N idle
# sessions, and handle_info of a live EchoTest call (one load-tool session: real ICE, DTLS,
# SRTP audio and video), both at 16 connections. Both servers run at once in a network
# namespace (lo, and a veth pair 10.77.0.1/10.77.0.2 inside it, no route out), each with a
# janus.js EchoTest call from headless Chromium held for the whole run (e2e/media/hold-calls.mjs:
# 30 s of full media, then the browser's tracks disabled, so the calls go on with black frames and
# silence and Chromium's video coding leaves the CPU to the servers): Janus from
# e2e/scripts/real-janus.sh (a copy of /etc/janus, admin_http on 37088, -d 3), Portunus on a
# copy of that same folder with its ports moved (48088/47088/48188/47188). Rounds alternate
# between the servers, so load from others on a shared machine falls on both. Needs root.
#   bench/wrk/admin-sample-config.sh [ROUNDS] [SECONDS] [SESSIONS]
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS="${1:-3}"; SECS="${2:-10}"; N="${3:-1000}"
NS="portunus-admbench-$$"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq missing: apt-get install jq" >&2; exit 1; }
OUT="$(mktemp -d)"
JSTATE="$OUT/janus"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR="$ROOT/target/portunus.jar"
PPID_P=""; CALLS_PID=""
cleanup() {
  [ -n "$CALLS_PID" ] && kill -TERM "$CALLS_PID" 2>/dev/null
  [ -n "$PPID_P" ] && kill -TERM "$PPID_P" 2>/dev/null
  REAL_JANUS_STATE_DIR="$JSTATE" "$ROOT/e2e/scripts/real-janus.sh" stop >/dev/null 2>&1
  sleep 1; [ -n "$PPID_P" ] && kill -KILL "$PPID_P" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' TERM INT
in_ns() { ip netns exec "$NS" "$@"; }
ip netns add "$NS" || { echo "cannot create a network namespace (needs root)" >&2; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" link add pa type veth peer name pb
ip -n "$NS" addr add 10.77.0.1/24 dev pa
ip -n "$NS" addr add 10.77.0.2/24 dev pb
ip -n "$NS" link set pa up
ip -n "$NS" link set pb up
# Both ends are local addresses: accept packets whose source is our own (libnice sends from pa).
in_ns sysctl -q -w net.ipv4.conf.all.accept_local=1 net.ipv4.conf.pa.accept_local=1 net.ipv4.conf.pb.accept_local=1 \
  net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.pa.rp_filter=0 net.ipv4.conf.pb.rp_filter=0

[ -f "$JAR" ] || "$ROOT/portunus" --version >/dev/null
in_ns env REAL_JANUS_STATE_DIR="$JSTATE" REAL_JANUS_DEBUG=3 REAL_JANUS_ICE_ENFORCE=10.77.0.1 \
  REAL_JANUS_HTTP_PORT=38088 REAL_JANUS_ADMIN_HTTP_PORT=37088 REAL_JANUS_WS_PORT=38188 REAL_JANUS_ADMIN_WS_PORT=37188 \
  "$ROOT/e2e/scripts/real-janus.sh" start >&2 || exit 1
PCONF="$OUT/portunus-conf"
cp -r "$JSTATE/conf" "$PCONF"
sed -i -e "s|$JSTATE/conf|$PCONF|" -e 's/38088/48088/; s/37088/47088/; s/38188/48188/; s/37188/47188/' "$PCONF"/*.jcfg
grep -h 'json = ' "$PCONF/janus.transport.http.jcfg" "$JSTATE/conf/janus.transport.http.jcfg" | sed 's/^/# http transport: /' >&2
# ip netns exec and ./portunus both exec, so $! is the JVM's pid.
ip netns exec "$NS" "$ROOT/portunus" --config "$PCONF" -d 3 >"$OUT/portunus.log" 2>&1 &
PPID_P=$!
for _ in $(seq 1 600); do in_ns curl -s -o /dev/null http://127.0.0.1:48088/janus/info && break; sleep 0.1; done

declare -A JANUS_URL=([portunus]=http://127.0.0.1:48088/janus [janus]=http://127.0.0.1:38088/janus)
declare -A ADMIN_URL=([portunus]=http://127.0.0.1:47088 [janus]=http://127.0.0.1:37088)
post() { in_ns curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$1"; }
admin() { post "${ADMIN_URL[$1]}/admin$3" "{\"janus\":\"$2\",\"transaction\":\"b\",\"admin_secret\":\"janusoverlord\"}"; }

# One live janus.js call per server, for the whole run.
[ -d "$ROOT/e2e/node_modules" ] || (cd "$ROOT/e2e" && npm ci --no-audit --no-fund >/dev/null)
(cd "$ROOT/e2e" && exec ip netns exec "$NS" node media/hold-calls.mjs "${JANUS_URL[portunus]}" "${JANUS_URL[janus]}") >"$OUT/calls.jsonl" 2>"$OUT/calls.err" &
CALLS_PID=$!
for _ in $(seq 1 600); do [ "$(wc -l <"$OUT/calls.jsonl")" -ge 2 ] && break; sleep 0.2; done
declare -A CALL
for s in portunus janus; do
  CALL[$s]="$(jq -r --arg u "${JANUS_URL[$s]}" 'select(.server == $u) | "\(.sessionId) \(.handleId)"' "$OUT/calls.jsonl")"
  [ -n "${CALL[$s]}" ] || { echo "no live call on $s:"; cat "$OUT/calls.err"; exit 1; } >&2
  echo "# $s: live call (session handle) ${CALL[$s]}" >&2
  post "${ADMIN_URL[$s]}/admin" '{"janus":"set_session_timeout","timeout":0,"transaction":"b","admin_secret":"janusoverlord"}' >/dev/null
  # N idle sessions over one keep-alive connection (a process per request is minutes on a busy machine).
  in_ns python3 - "${JANUS_URL[$s]}" "$N" <<'PY'
import http.client, sys
from urllib.parse import urlparse
url, n = urlparse(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection(url.hostname, url.port)
for _ in range(n):
    conn.request("POST", url.path, body='{"janus":"create","transaction":"b"}', headers={"Content-Type": "application/json"})
    conn.getresponse().read()
PY
  echo "# $s: $(admin "$s" list_sessions "" | jq '.sessions | length') sessions" >&2
done
for _ in $(seq 1 600); do grep -q muted "$OUT/calls.jsonl" && break; sleep 0.2; done

# The server's CPU time (all threads, clock ticks) from /proc: per request it does not depend on
# how much of the shared machine the scheduler gave the server.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A SERVER_PID=([portunus]="$PPID_P" [janus]="$(cat "$JSTATE/janus.pid")")
run() {   # run SERVER SCRIPT -> "rps p99 bytes cpu_us_per_request"
  local s="$1" script="$2" out before after
  set -- ${CALL[$s]}
  in_ns env SESSION_ID="$1" HANDLE_ID="$2" wrk -t1 -c16 -d3s -s "$ROOT/bench/wrk/$script.lua" "${ADMIN_URL[$s]}" >/dev/null
  before="$(cpu_ticks "${SERVER_PID[$s]}")"
  out="$(in_ns env SESSION_ID="$1" HANDLE_ID="$2" wrk -t1 -c16 -d"${SECS}s" --latency -s "$ROOT/bench/wrk/$script.lua" "${ADMIN_URL[$s]}")"
  after="$(cpu_ticks "${SERVER_PID[$s]}")"
  echo "$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/bytes per reply/ {print $4}' <<<"$out")" \
    "$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.0f", t * 1e6 / hz / $1}' <<<"$out")"
}
# Warm-up (not counted): 10 s of each request against each server, so the JVM's JIT is done.
for s in portunus janus; do
  set -- ${CALL[$s]}
  for script in admin-list-sessions admin-handle-info; do
    in_ns env SESSION_ID="$1" HANDLE_ID="$2" wrk -t1 -c16 -d10s -s "$ROOT/bench/wrk/$script.lua" "${ADMIN_URL[$s]}" >/dev/null
  done
done
echo "| round | request | Portunus req/s | p99 | bytes | CPU µs/req | Janus 1.1.2 req/s | p99 | bytes | CPU µs/req | ratio req/s | ratio CPU/req |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for r in $(seq 1 "$ROUNDS"); do
  for script in admin-list-sessions admin-handle-info; do
    read -r prps pp99 pbytes pcpu <<<"$(run portunus "$script")"
    read -r jrps jp99 jbytes jcpu <<<"$(run janus "$script")"
    echo "| $r | ${script#admin-} | $prps | $pp99 | $pbytes | $pcpu | $jrps | $jp99 | $jbytes | $jcpu |" \
      "$(awk -v a="$prps" -v b="$jrps" 'BEGIN {printf "%.1f×", a / b}') | $(awk -v a="$pcpu" -v b="$jcpu" 'BEGIN {printf "%.1f×", b / a}') |"
  done
done
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for s in portunus janus; do
  set -- ${CALL[$s]}
  admin "$s" handle_info "/$1/$2" | jq -c '{ice: .info.webrtc.ice.state, dtls: .info.webrtc.dtls["dtls-state"], media: [(.info.webrtc.media // {})[] | {type, in: .stats.in.packets, out: .stats.out.packets}]}' | sed "s/^/# $s call at the end: /" >&2
done
