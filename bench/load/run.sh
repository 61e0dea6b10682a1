#!/usr/bin/env bash
# The WebRTC load ladder (issue #7): for each server (Portunus, then the real Janus 1.1.2 from
# Debian), in its own fresh network namespace, run the load tool at each step of the ladder
# (N concurrent EchoTest sessions, audio + video, each step held for HOLD seconds) and record
# per step the server's CPU seconds per second and CPU µs per relayed packet (utime+stime from
# /proc/<pid>/stat over the hold), RSS, threads, loss and p50/p99 echo delay. Writes
# results.md (Markdown table), ladder.csv, one JSON per step, and ladder.png (gnuplot).
# Needs root (ip netns). Nothing leaves the namespace.
#
#   bench/load/run.sh [--steps "10 50 100 200"] [--hold 30] [--ramp 20] [--servers "portunus janus"]
#                     [--video-bitrate 1m] [--warmup 3] [--warmup-run 20] [--warmup-runs 2] [--admin-ping 10] [--out DIR]
# Before the ladder, each server gets --warmup-runs unmeasured runs of 10 sessions, --warmup-run
# seconds each. One run of 20 s does not let Portunus's JIT settle: the sessions of the first
# step take branches the warm-up's compiled code never saw (sessions ending, new streams), the
# JIT throws that code away and compiles it again, slowly at 10 sessions' packet rate, and the
# first steps count that work (the table's "JIT compilers CPU" column; docs/benchmarks.md,
# 2026-12-07). A second run profiles the ending and starting of sessions before the ladder.
# "UDP drops": datagrams the namespace's sockets dropped during a step's run (InErrors: the
# server's and the tool's, mostly full receive buffers). Loss without drops is a packet the server
# never sent back: the tool waits for late ones until none has come back for 0.5 s (at most 10 s),
# so a packet delayed on a saturated host counts in the delay figures, not as lost.
# --events: both servers with the sample HTTP event handler on (all events, grouped, compact,
# broadcast, stats_period 1) posting to bench/load/event-sink.py in the namespace; the events
# it received go in events-SERVER.json.
# After each step's measured hold, with the media still flowing, wrk sends admin pings at 16
# connections for --admin-ping seconds (0: skip) to 127.0.0.1:7088/admin; requests/s and p99 go
# in the table (outside the CPU window, so wrk's own CPU does not count against the server).
# --breakdown: Portunus runs with Native Memory Tracking, and bench/load/memory-breakdown.sh
# writes where its memory goes (heap, threads, code, GC, direct buffers...) to
# breakdown-portunus.md: idle after start, after each step's hold with the media still flowing
# (instead of the admin pings), and idle again 10 s after the last step's sessions are gone.
# Its figures include NMT's own cost: use the runs without it for CPU.
# --videoroom (issue #19): the VideoRoom ladder instead. Both servers get Debian's sample
# janus.plugin.videoroom.jcfg (room 1234; Janus with only the VideoRoom plugin); a step "S" is
# one room with one publisher (audio + video) and S subscribers, "RxS" R rooms of S subscribers
# (rooms 1235... created by the tool with room 1234's settings). Default steps
# "10 50 100 200 400 10x20"; video at 128k unless --video-bitrate (room 1234's REMB cap). The table has CPU per forwarded packet (what the subscribers got),
# loss overall and of the worst subscriber, publisher-to-subscriber delay, RSS and RSS per
# subscriber (over the idle RSS after the warm-up run). Results in videoroom.csv/videoroom.png.
# PORTUNUS_JAR=/path/portunus.jar uses that jar instead of ./portunus (which builds if needed).
# PORTUNUS_EXTRA_JCFG='dashboard: {...}' adds groups to Portunus's janus.jcfg (A/B runs of a setting).
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/find-java.sh"
. "$ROOT/scripts/jvm-options.sh"
STEPS="10 50 100 200"; HOLD=30; RAMP=20; SERVERS="portunus janus"; BITRATE=1m; WARMUP=3; ADMIN_PING=10; WARMUP_RUN=20; WARMUP_RUNS=2; EVENTS=""; BREAKDOWN=""; VIDEOROOM=""
STEPS_SET=""; BITRATE_SET=""
OUT="/tmp/portunus-load-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) STEPS="$2"; STEPS_SET=1; shift 2 ;;
    --hold) HOLD="$2"; shift 2 ;;
    --ramp) RAMP="$2"; shift 2 ;;
    --servers) SERVERS="$2"; shift 2 ;;
    --video-bitrate) BITRATE="$2"; BITRATE_SET=1; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --warmup-run) WARMUP_RUN="$2"; shift 2 ;;
    --warmup-runs) WARMUP_RUNS="$2"; shift 2 ;;
    --events) EVENTS=1; shift ;;
    --breakdown) BREAKDOWN=1; shift ;;
    --videoroom) VIDEOROOM=1; shift ;;
    --admin-ping) ADMIN_PING="$2"; [ "$2" = 0 ] && ADMIN_PING=""; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
if [ -n "$VIDEOROOM" ]; then
  [ -z "$STEPS_SET" ] && STEPS="10 50 100 200 400 10x20"
  [ -z "$BITRATE_SET" ] && BITRATE=128k   # the sample room's bitrate cap (REMB): what a browser would send
  . "$ROOT/bench/load/videoroom-steps.sh"
fi
NS="portunus-bench-load-$$"
SERVER_IP=10.79.0.1
CLIENT_IP=10.79.0.2
PID=""
SINK=""
EVENTS_URL="http://127.0.0.1:18999/events"
cleanup() {
  stop_server
  [ -n "$SINK" ] && kill "$SINK" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
}
stop_server() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null
    PID=""
  fi
}
trap cleanup EXIT

if [ -n "${PORTUNUS_JAR:-}" ]; then
  JAR="$PORTUNUS_JAR"
else
  "$ROOT/portunus" --version >/dev/null || { echo "run.sh: build failed" >&2; exit 1; }
  JAR="$ROOT/target/portunus.jar"
fi
LOADTOOL_JAR="${PORTUNUS_LOADTOOL_JAR:-$ROOT/target/loadtool/portunus-loadtool.jar}"   # its own module and jar
command -v janus >/dev/null || case " $SERVERS " in *" janus "*) echo "run.sh: janus not installed (apt-get install -y janus)" >&2; exit 1 ;; esac

ip netns add "$NS" || { echo "run.sh: cannot create a network namespace (needs root)" >&2; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" link add ba type veth peer name bb
ip -n "$NS" addr add "$SERVER_IP/24" dev ba
ip -n "$NS" addr add "$CLIENT_IP/24" dev bb
ip -n "$NS" link set ba up
ip -n "$NS" link set bb up
# libnice sends from the enforced interface (ba) to bb: accept packets whose source is one of
# our own addresses (both ends are local), as Portunus's go over lo anyway.
ip netns exec "$NS" sysctl -q -w net.ipv4.conf.all.accept_local=1 net.ipv4.conf.ba.accept_local=1 \
  net.ipv4.conf.bb.accept_local=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.ba.rp_filter=0 net.ipv4.conf.bb.rp_filter=0

start_server() {   # start_server NAME: starts it in the namespace, sets PID, waits for /janus/info
  local name="$1" conf="$OUT/$1-conf"
  rm -rf "$conf"; mkdir -p "$conf"
  if [ "$name" = portunus ]; then
    local evcfg=""
    [ -n "$EVENTS" ] && evcfg=$'events: {\n\tbroadcast = true\n\tstats_period = 1\n}'
    cat >"$conf/janus.jcfg" <<JCFG
general: {
	debug_level = 3
}
$evcfg
${PORTUNUS_EXTRA_JCFG:-}
media: {
	rtp_port_range = "20000-29999"
}
nat: {
	ice_enforce_list = "$SERVER_IP"
}
JCFG
    if [ -n "$EVENTS" ]; then
      printf 'general: {\n\tenabled = true\n\tevents = "all"\n\tgrouping = true\n\tjson = "compact"\n\tbackend = "%s"\n}\n' \
        "$EVENTS_URL" >"$conf/janus.eventhandler.sampleevh.jcfg"
    fi
    [ -n "$VIDEOROOM" ] && cp /etc/janus/janus.plugin.videoroom.jcfg "$conf/"
    ip netns exec "$NS" setsid "$JAVA_HOME/bin/java" $PORTUNUS_JVM_OPTIONS $PORTUNUS_HEAP_OPTIONS ${PORTUNUS_JAVA_OPTS:-} \
      ${BREAKDOWN:+-XX:NativeMemoryTracking=summary} \
      -jar "$JAR" --config "$conf" >"$OUT/$name.log" 2>&1 &
  else
    KEEP_PLUGIN="${VIDEOROOM:+videoroom}" EVENTS_URL="${EVENTS:+$EVENTS_URL}" "$ROOT/bench/load/janus-conf.sh" "$conf" "$SERVER_IP" 20000-29999
    ip netns exec "$NS" setsid janus -F "$conf" -C "$conf/janus.jcfg" -o -d 3 >"$OUT/$name.log" 2>&1 &
  fi
  PID=$!
  for _ in $(seq 1 300); do
    ip netns exec "$NS" curl -s -o /dev/null "http://$SERVER_IP:8088/janus/info" && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: $name did not start; log:" >&2; tail -30 "$OUT/$name.log" >&2
  return 1
}

breakdown() {   # breakdown NAME LABEL: one row of bench/load/memory-breakdown.sh (Portunus only)
  [ -n "$BREAKDOWN" ] && [ "$1" = portunus ] || return 0
  "$ROOT/bench/load/memory-breakdown.sh" "$PID" "$2" $([ -s "$OUT/breakdown-$1.md" ] || echo --header) >>"$OUT/breakdown-$1.md"
}
after_hold() {   # after_hold NAME SESSIONS: the command the load tool runs after the measured hold
  if [ -n "$BREAKDOWN" ] && [ "$1" = portunus ]; then
    echo "$ROOT/bench/load/memory-breakdown.sh $PID '$2' >>$OUT/breakdown-$1.md"
  elif [ -n "$ADMIN_PING" ]; then
    echo "wrk -t1 -c16 -d${ADMIN_PING}s --latency -s $ROOT/bench/wrk/admin-ping.lua http://127.0.0.1:7088"
  fi
}

process_columns() {   # process_columns JSON UDP_ERRORS_BEFORE: ",WAKEUPS,JIT,UDP_DROPS" and the line's end, the last columns of both ladders' CSV
  # The server threads' wake-ups (voluntary switches) per second and the JIT compilers' CPU
  # (still compiling in the first steps after a single warm-up run: Janus has none), then the
  # datagrams the namespace dropped since UDP_ERRORS_BEFORE (udp_errors before the run).
  jq -j '[.server_process.voluntary_switches_per_second,
      ([.server_process.cpu_seconds_per_second_by_thread // {} | to_entries[] | select(.key | test("Compiler")) | .value] | add // 0)]
      | ",\(.[0]),\(.[1])"' "$1"
  echo ",$(( $(udp_errors) - $2 ))"
}

udp_errors() {   # UDP datagrams the namespace's sockets dropped so far (InErrors: full receive buffers mostly), server and tool alike
  ip netns exec "$NS" awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ {print $4; exit}' /proc/net/snmp
}

load() {   # load NAME SESSIONS HOLD WARMUP [TAG]: one run of the load tool, JSON to $OUT/NAME-(TAG or SESSIONS).json
  local AFTER; AFTER="$(after_hold "$1" "$2 sessions${5:+, $5}")"
  # The tool runs with its own fixed options (LOADTOOL_JVM_OPTIONS: the parallel collector, none of
  # the server's heap options or PORTUNUS_JAVA_OPTS): the client stays the same across runs.
  ip netns exec "$NS" "$JAVA_HOME/bin/java" $LOADTOOL_JVM_OPTIONS -cp "$LOADTOOL_JAR" io.portunus.loadtool.LoadTool \
    --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --sessions "$2" --ramp "$RAMP" \
    --duration "$3" --warmup "$4" --video-bitrate "$BITRATE" --server-pid "$PID" --json \
    ${AFTER:+--after-hold "$AFTER"} \
    >"$OUT/$1-${5:-$2}.json" 2> >(tee "$OUT/$1-${5:-$2}.progress" >&2)
}

if [ -n "$VIDEOROOM" ]; then videoroom_ladder; exit $?; fi
echo "server,sessions,up,failed,echoed_pps,cpu_s_per_s,cpu_us_per_pkt,rss_mib,threads,loss_pct,worst_loss_pct,p50_ms,p99_ms,max_ms,jitter_audio_ms,jitter_video_ms,late_ticks,admin_ping_rps,admin_ping_p99,wakeups_per_s,jit_cpu_s_per_s,udp_drops" >"$OUT/ladder.csv"
for server in $SERVERS; do
  echo "=== $server" >&2
  if [ -n "$EVENTS" ]; then
    ip netns exec "$NS" python3 "$ROOT/bench/load/event-sink.py" 18999 "$OUT/events-$server.json" &
    SINK=$!
  fi
  start_server "$server" || continue
  # The unmeasured warm-up runs (JIT for Portunus, caches for both), then the ladder.
  breakdown "$server" "idle after start"
  for w in $(seq 1 "$WARMUP_RUNS"); do load "$server" 10 "$WARMUP_RUN" 1 warmup >/dev/null; done
  for n in $STEPS; do
    echo "--- $server: $n sessions, ${HOLD} s" >&2
    UDP_ERRORS_BEFORE=$(udp_errors)
    load "$server" "$n" "$HOLD" "$WARMUP"
    jq -r --arg s "$server" '[$s, .sessions, .sessions_up, .sessions_failed, .packets_per_second,
        .server_process.cpu_seconds_per_second, .server_process.cpu_us_per_packet,
        ((.server_process.rss_kib // 0) / 1024 | floor), .server_process.threads, .loss_percent,
        .worst_session_loss_percent, .echo_delay_ms.p50, .echo_delay_ms.p99, .echo_delay_ms.max,
        .jitter_ms.audio_mean, .jitter_ms.video_mean, .generator_late_ticks] | @csv' "$OUT/$server-$n.json" \
        | tr -d '"' | tr -d '\n' >>"$OUT/ladder.csv"
    # wrk's "Requests/sec" and 99% latency from the after-hold run (empty when skipped).
    jq -r '.after_hold.output // ""' "$OUT/$server-$n.json" | awk '
        /^Requests\/sec/ {rps=$2} $1=="99%" {p99=$2} END {printf ",%s,%s", rps, p99}' >>"$OUT/ladder.csv"
    process_columns "$OUT/$server-$n.json" "$UDP_ERRORS_BEFORE" >>"$OUT/ladder.csv"
    kill -0 "$PID" 2>/dev/null || { echo "run.sh: $server died; log:" >&2; tail -30 "$OUT/$server.log" >&2; break; }
    sleep 3
  done
  if [ -n "$BREAKDOWN" ]; then sleep 10; breakdown "$server" "idle after the ladder"; fi
  stop_server
  if [ -n "$SINK" ]; then
    kill -TERM "$SINK"; wait "$SINK" 2>/dev/null; SINK=""
    echo "events received from $server: $(cat "$OUT/events-$server.json")" >&2
  fi
done

{
  echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). Host: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Steps: $STEPS sessions; each held ${HOLD} s after a ${WARMUP} s warm-up; ramp ${RAMP}/s; audio 50 pkt/s + video $BITRATE."
  echo
  echo "| server | sessions | up | failed | echoed pkt/s | server CPU s/s | CPU µs/pkt | RSS MiB | threads | loss % | worst session loss % | echo p50 ms | echo p99 ms | echo max ms | jitter audio/video ms | generator late ticks | admin ping c16 req/s | admin ping p99 | wake-ups/s | JIT compilers CPU s/s | CPU µs/pkt less the JIT | UDP drops |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  tail -n +2 "$OUT/ladder.csv" | awk -F, '{printf "| %s | %s | %s | %s | %.0f | %.3f | %.1f | %s | %s | %.3f | %.3f | %.2f | %.2f | %.1f | %.2f / %.2f | %s | %s | %s | %.0f | %.3f | %.1f | %s |\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21, ($5 > 0 ? $7 - $21 * 1e6 / $5 : 0), $22}'
} >"$OUT/results.md"
cat "$OUT/results.md"

if command -v gnuplot >/dev/null; then
  for s in $SERVERS; do grep "^$s," "$OUT/ladder.csv" | tr ',' ' ' >"$OUT/$s.dat"; done
  plots_cpu=""; plots_loss=""
  for s in $SERVERS; do
    [ -s "$OUT/$s.dat" ] || continue
    plots_cpu="$plots_cpu${plots_cpu:+, }'$OUT/$s.dat' using 2:7 with linespoints title '$s'"
    plots_loss="$plots_loss${plots_loss:+, }'$OUT/$s.dat' using 2:10 with linespoints title '$s'"
  done
  if [ -n "$plots_cpu" ]; then
    gnuplot <<GP
set terminal pngcairo size 1000,420 font ',10'
set output '$OUT/ladder.png'
set multiplot layout 1,2 title 'EchoTest load: audio + video $BITRATE per session (hold ${HOLD} s)'
set xlabel 'concurrent sessions'
set grid
set key top left
set ylabel 'server CPU µs per relayed packet'
set yrange [0:*]
plot $plots_cpu
set ylabel 'loss %'
plot $plots_loss
unset multiplot
GP
    echo "plot: $OUT/ladder.png"
  fi
else
  echo "run.sh: gnuplot not installed (apt-get install -y gnuplot-nox): no plot" >&2
fi
echo "results: $OUT/results.md"
