#!/usr/bin/env bash
# Data-channel throughput (issue #17): for each server (Portunus, then the real Janus 1.1.2 from
# Debian with only its EchoTest plugin, bench/load/janus-conf.sh), in its own fresh network
# namespace, the load tool's data-channel mode (loadtool --datachannel) echoes binary messages
# through the EchoTest as fast as SCTP's windows allow, for each configuration "PxC" (P
# PeerConnections of C reliable ordered channels each), and records echoed MB/s, the server's
# CPU seconds per second and CPU ms per MB echoed (utime+stime from /proc/<pid>/stat over the
# hold), RSS, and the tool's own CPU. Writes results.md, datachannel.csv and one JSON per run.
# Needs root (ip netns). Nothing leaves the namespace.
#
#   bench/load/datachannel.sh [--configs "1x1 1x50"] [--hold 15] [--warmup 3] [--message-size 16384]
#                             [--window 1048576] [--servers "portunus janus"] [--out DIR]
# Before the runs, each server gets an unmeasured 1x1 run of --warmup-run seconds (JIT).
# PORTUNUS_JAR=/path/portunus.jar uses that jar instead of ./portunus (which builds if needed).
# PORTUNUS_JAVA_OPTS / LOADTOOL_JAVA_OPTS: more JVM options for the server / the tool (e.g. a JFR recording).
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/find-java.sh"
. "$ROOT/scripts/jvm-options.sh"
CONFIGS="1x1 1x50"; HOLD=15; WARMUP=3; WARMUP_RUN=10; SIZE=16384; WINDOW=1048576; SERVERS="portunus janus"
OUT="/tmp/portunus-datachannel-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --configs) CONFIGS="$2"; shift 2 ;;
    --hold) HOLD="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --warmup-run) WARMUP_RUN="$2"; shift 2 ;;
    --message-size) SIZE="$2"; shift 2 ;;
    --window) WINDOW="$2"; shift 2 ;;
    --servers) SERVERS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "datachannel.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
NS="portunus-bench-dc-$$"
SERVER_IP=10.81.0.1
CLIENT_IP=10.81.0.2
PID=""
stop_server() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null
    PID=""
  fi
}
cleanup() { stop_server; ip netns del "$NS" 2>/dev/null; }
trap cleanup EXIT

if [ -n "${PORTUNUS_JAR:-}" ]; then JAR="$PORTUNUS_JAR"; else
  "$ROOT/portunus" --version >/dev/null || { echo "datachannel.sh: build failed" >&2; exit 1; }
  JAR="$ROOT/target/portunus.jar"
fi
LOADTOOL_JAR="${PORTUNUS_LOADTOOL_JAR:-$ROOT/target/loadtool/portunus-loadtool.jar}"
command -v janus >/dev/null || case " $SERVERS " in *" janus "*) echo "datachannel.sh: janus not installed" >&2; exit 1 ;; esac

ip netns add "$NS" || { echo "datachannel.sh: cannot create a network namespace (needs root)" >&2; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" link add da type veth peer name db
ip -n "$NS" addr add "$SERVER_IP/24" dev da
ip -n "$NS" addr add "$CLIENT_IP/24" dev db
ip -n "$NS" link set da up
ip -n "$NS" link set db up
# As bench/load/run.sh: libnice sends from the enforced interface to the other end, both local.
ip netns exec "$NS" sysctl -q -w net.ipv4.conf.all.accept_local=1 net.ipv4.conf.da.accept_local=1 \
  net.ipv4.conf.db.accept_local=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.da.rp_filter=0 net.ipv4.conf.db.rp_filter=0

start_server() {   # start_server NAME: starts it in the namespace, sets PID, waits for /janus/info
  local name="$1" conf="$OUT/$1-conf"
  rm -rf "$conf"; mkdir -p "$conf"
  if [ "$name" = portunus ]; then
    printf 'general: {\n\tdebug_level = 3\n}\nmedia: {\n\trtp_port_range = "20000-29999"\n}\nnat: {\n\tice_enforce_list = "%s"\n}\n' \
      "$SERVER_IP" >"$conf/janus.jcfg"
    ip netns exec "$NS" setsid "$JAVA_HOME/bin/java" $PORTUNUS_JVM_OPTIONS $PORTUNUS_HEAP_OPTIONS ${PORTUNUS_JAVA_OPTS:-} \
      -jar "$JAR" --config "$conf" >"$OUT/$name.log" 2>&1 &
  else
    "$ROOT/bench/load/janus-conf.sh" "$conf" "$SERVER_IP" 20000-29999
    ip netns exec "$NS" setsid janus -F "$conf" -C "$conf/janus.jcfg" -o -d 3 >"$OUT/$name.log" 2>&1 &
  fi
  PID=$!
  for _ in $(seq 1 300); do
    ip netns exec "$NS" curl -s -o /dev/null "http://$SERVER_IP:8088/janus/info" && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "datachannel.sh: $name did not start; log:" >&2; tail -30 "$OUT/$name.log" >&2
  return 1
}

run() {   # run NAME PxC HOLD WARMUP TAG: one load tool run, JSON to $OUT/NAME-TAG.json
  local p="${2%x*}" c="${2#*x}"
  ip netns exec "$NS" "$JAVA_HOME/bin/java" $LOADTOOL_JVM_OPTIONS ${LOADTOOL_JAVA_OPTS:-} -cp "$LOADTOOL_JAR" io.portunus.loadtool.LoadTool \
    --datachannel --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --sessions "$p" \
    --channels "$c" --message-size "$SIZE" --window "$WINDOW" --duration "$3" --warmup "$4" \
    --server-pid "$PID" --json >"$OUT/$1-$5.json" 2> >(tee "$OUT/$1-$5.progress" >&2)
}

echo "server,config,sessions,channels,up,mb_per_s,msgs_per_s,cpu_s_per_s,cpu_ms_per_mb,rss_mib,tool_cpu_s_per_s,bad_echoes,retransmissions" >"$OUT/datachannel.csv"
for server in $SERVERS; do
  echo "=== $server" >&2
  start_server "$server" || continue
  run "$server" 1x1 "$WARMUP_RUN" 1 warmup >/dev/null
  for cfg in $CONFIGS; do
    echo "--- $server: $cfg, ${HOLD} s" >&2
    run "$server" "$cfg" "$HOLD" "$WARMUP" "$cfg"
    jq -r --arg s "$server" --arg c "$cfg" '[$s, $c, .sessions, .channels_per_session, .sessions_up, .mb_per_second,
        .messages_per_second, .server_process.cpu_seconds_per_second, .server_process.cpu_ms_per_mb,
        ((.server_process.rss_kib // 0) / 1024 | floor), .load_tool_process.cpu_seconds_per_second, .bad_echoes,
        .our_retransmissions] | @csv' "$OUT/$server-$cfg.json" | tr -d '"' >>"$OUT/datachannel.csv"
    kill -0 "$PID" 2>/dev/null || { echo "datachannel.sh: $server died; log:" >&2; tail -30 "$OUT/$server.log" >&2; break; }
    sleep 2
  done
  stop_server
done

{
  echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). Host: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Binary messages of $SIZE bytes echoed by the EchoTest, at most $WINDOW bytes per PeerConnection sent and not yet echoed; each run held ${HOLD} s after ${WARMUP} s."
  echo
  echo "| server | PeerConnections x channels | up | echoed MB/s | messages/s | server CPU s/s | server CPU ms/MB | RSS MiB | load tool CPU s/s | bad echoes | our retransmissions |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  tail -n +2 "$OUT/datachannel.csv" | awk -F, '{printf "| %s | %s | %s | %.2f | %.0f | %.3f | %.1f | %s | %.3f | %s | %s |\n", $1,$2,$5,$6,$7,$8,$9,$10,$11,$12,$13}'
} >"$OUT/results.md"
cat "$OUT/results.md"
echo "results in $OUT" >&2
