#!/usr/bin/env bash
# Does the dashboard's live feed cost the packet path? (issue #20, must-show 3.) One load-ladder
# step run twice against the same Portunus, in a fresh network namespace: N EchoTest sessions
# (audio + video) for HOLD seconds with no browser on the live feed, then the same with BROWSERS
# feed subscribers (curl, half reading at full speed, half throttled to 200 bytes/s so that
# their queues fill and drop), then again with none (so that warming up does not pass for a
# difference). Prints each run's loss, echo delay and server CPU per packet, and
# the feed's counters. Needs root (ip netns).
#   bench/load/dashboard-feed.sh [sessions 50] [hold 30] [browsers 100]
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/find-java.sh"
SESSIONS="${1:-50}"; HOLD="${2:-30}"; BROWSERS="${3:-100}"
NS="portunus-feed-$$"; SERVER_IP=10.80.0.1; CLIENT_IP=10.80.0.2
TMP="$(mktemp -d)"; PID=""; CURLS=()
cleanup() {
  for c in "${CURLS[@]}"; do kill "$c" 2>/dev/null; done
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null
  fi
  ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
"$ROOT/portunus" --version >/dev/null || exit 1
ip netns add "$NS" || exit 1
ip -n "$NS" link set lo up
ip -n "$NS" link add fa type veth peer name fb
ip -n "$NS" addr add "$SERVER_IP/24" dev fa
ip -n "$NS" addr add "$CLIENT_IP/24" dev fb
ip -n "$NS" link set fa up
ip -n "$NS" link set fb up
cat >"$TMP/janus.jcfg" <<JCFG
general: {
	debug_level = 3
	admin_secret = "janusoverlord"
}
media: {
	rtp_port_range = "20000-20999"
}
nat: {
	ice_enforce_list = "$SERVER_IP"
}
JCFG
ip netns exec "$NS" setsid "$ROOT/portunus" --config "$TMP" >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  ip netns exec "$NS" curl -s -o /dev/null "http://$SERVER_IP:8088/janus/info" && break
  sleep 0.1
done

# CPU ticks of the server's threads, summed by thread group: "io" (portunus-io-*: Netty's event
# loops, where the media loops run: the packet path), "feed" (the dashboard's fan-out thread),
# "admin" (the Admin HTTP server's loop, which writes to the browsers), "other" (GC, JIT, the rest).
thread_ticks() {
  for t in /proc/"$PID"/task/*; do
    # comm may hold spaces: take what is between the parentheses, then utime+stime (fields 14, 15)
    awk '{ s = $0; name = substr(s, index(s, "(") + 1); name = substr(name, 1, index(name, ")") - 1);
           rest = substr(s, index(s, ") ") + 2); split(rest, f, " "); print name, f[12] + f[13] }' "$t/stat" 2>/dev/null
  done | awk '{ g = "other"; if ($1 ~ /^portunus-io/) g = "io"; else if ($1 ~ /^portunus-dashb/) g = "feed";
               else if ($1 ~ /^portunus-admin/) g = "admin"; t[g] += $NF }
             END { printf "%d %d %d %d\n", t["io"], t["feed"], t["admin"], t["other"] }'
}
HZ=$(getconf CLK_TCK)

step() {  # step LABEL: one load-tool run, its summary line, then CPU by thread group
  local before; before=$(thread_ticks)
  ip netns exec "$NS" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "$ROOT/target/loadtool/portunus-loadtool.jar" io.portunus.loadtool.LoadTool \
    --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --sessions "$SESSIONS" --ramp 10 \
    --duration "$HOLD" --server-pid "$PID" --json >"$TMP/$1.json" 2>/dev/null
  jq -r --arg l "$1" '"| \($l) | \(.sessions_up)/'"$SESSIONS"' | \(.loss_percent) % | \(.echo_delay_ms.p50) / \(.echo_delay_ms.p99) ms | \(.server_process.cpu_seconds_per_second) s/s | \(.server_process.cpu_us_per_packet) µs |"' "$TMP/$1.json"
  local after; after=$(thread_ticks)
  echo "$1: server CPU by thread over the run (s): $(paste -d' ' <(echo "$before" | tr ' ' '\n') <(echo "$after" | tr ' ' '\n') \
    | awk -v hz="$HZ" 'BEGIN { split("io feed admin other", n, " ") } { printf "%s %.2f  ", n[NR], ($2 - $1) / hz }')" >>"$TMP/threads.txt"
}
feed_stats() {
  ip netns exec "$NS" curl -s http://127.0.0.1:7088/admin \
    -d '{"janus":"dashboard_status","transaction":"s","admin_secret":"janusoverlord"}' | jq -c .status.live_feed
}

echo "| live feed | sessions up | loss | echo p50 / p99 | server CPU | CPU per packet |"
echo "|---|---|---|---|---|---|"
step "no browser"
for i in $(seq 1 "$BROWSERS"); do
  rate=""; [ $((i % 2)) = 0 ] && rate="--limit-rate 200"
  ip netns exec "$NS" curl -sN $rate -X POST -d '{"admin_secret":"janusoverlord"}' \
    http://127.0.0.1:7088/dashboard/feed >/dev/null 2>&1 &
  CURLS+=($!)
done
sleep 2
step "$BROWSERS browsers"
echo "feed after the second run: $(feed_stats)"
for c in "${CURLS[@]}"; do kill "$c" 2>/dev/null; done
CURLS=()
sleep 2
step "no browser again"
echo
cat "$TMP/threads.txt"
