#!/usr/bin/env bash
# Soak (issue #14): Portunus under churn for a long time, sampled every 10 s.
# In a fresh network namespace (nothing leaves it), Portunus runs with the sample HTTP event
# handler posting every event to bench/load/event-sink.py, the Admin API on 127.0.0.1:7088, and
# at the same time:
#   - bench/soak/churn.py: API sessions created and destroyed (EchoTest attached, an offer sent,
#     one round in three torn down at once by detach, hangup or destroy racing the offer) by
#     --workers workers, plus Admin polling (list_sessions, list_handles, handle_info) once a second;
#   - the load tool (io.portunus.loadtool.LoadTool) in cycles: --load-sessions EchoTest sessions
#     (audio + video at --video-bitrate) held --load-hold seconds, then --load-pause seconds of none.
# Every --interval seconds it records the server's RSS, heap after a full GC (jcmd GC.run, then
# GC.heap_info), threads and open file descriptors in samples.csv. Those samples fall anywhere in
# the load cycle (six media sessions live or none), so their heap and RSS swing with the cycle;
# hence a second series, phase.csv, sampled at one fixed phase: at the end of each idle gap, when
# no load session is live, just before the next cycle starts (the load loop waits for it). The
# trends are fitted to both (least squares, per hour, from minute 10 on and over the second half);
# the phase-aligned ones are those to read. Writes summary.md and soak.png (gnuplot).
# --nmt runs the server with -XX:NativeMemoryTracking=summary, takes a baseline once it is up and
# writes `VM.native_memory summary.diff` to nmt/ every 10th phase sample and at the end, and
# the NMT committed total in phase.csv: where RSS grows, it tells which native area does.
# Everything runs under nice so the soak does not starve the machine. Needs root (ip netns).
#
#   bench/soak/run.sh [--duration 3600] [--interval 10] [--workers 2] [--load-sessions 6]
#                     [--load-hold 50] [--load-pause 10] [--video-bitrate 300k] [--nmt] [--out DIR]
# PORTUNUS_JAR=/path/portunus.jar uses that jar instead of ./portunus (which builds if needed);
# PORTUNUS_LOADTOOL_JAR likewise for target/loadtool/portunus-loadtool.jar (a copy keeps a build
# made during the soak from replacing the jars under it).
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/find-java.sh"
. "$ROOT/scripts/jvm-options.sh"
DURATION=3600; INTERVAL=10; WORKERS=2; LOAD_SESSIONS=6; LOAD_HOLD=50; LOAD_PAUSE=10; BITRATE=300k
OUT="/tmp/portunus-soak-$(date +%Y%m%d-%H%M%S)"
NMT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --interval) INTERVAL="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --load-sessions) LOAD_SESSIONS="$2"; shift 2 ;;
    --load-hold) LOAD_HOLD="$2"; shift 2 ;;
    --load-pause) LOAD_PAUSE="$2"; shift 2 ;;
    --video-bitrate) BITRATE="$2"; shift 2 ;;
    --nmt) NMT=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "soak: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
NS="portunus-soak-$$"
SERVER_IP=10.81.0.1
CLIENT_IP=10.81.0.2
SECRET=soaksecret
PID=""; SINK=""; CHURN=""; LOADER=""
NICE="nice -n 10"

cleanup() {
  [ -n "$LOADER" ] && kill -- -"$LOADER" 2>/dev/null
  [ -n "$CHURN" ] && kill -TERM "$CHURN" 2>/dev/null
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null
  fi
  [ -n "$SINK" ] && kill -TERM "$SINK" 2>/dev/null
  sleep 0.5
  ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 143' INT TERM   # so that a kill (or timeout) still runs cleanup

if [ -n "${PORTUNUS_JAR:-}" ]; then
  JAR="$PORTUNUS_JAR"
else
  "$ROOT/portunus" --version >/dev/null || { echo "soak: build failed" >&2; exit 1; }
  JAR="$ROOT/target/portunus.jar"
fi
LOADTOOL_JAR="${PORTUNUS_LOADTOOL_JAR:-$ROOT/target/loadtool/portunus-loadtool.jar}"
NMT_OPTION=""; [ "$NMT" = 1 ] && NMT_OPTION="-XX:NativeMemoryTracking=summary"
command -v jq >/dev/null || { echo "soak: jq not installed" >&2; exit 1; }

ip netns add "$NS" || { echo "soak: cannot create a network namespace (needs root)" >&2; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" link add sa type veth peer name sb
ip -n "$NS" addr add "$SERVER_IP/24" dev sa
ip -n "$NS" addr add "$CLIENT_IP/24" dev sb
ip -n "$NS" link set sa up
ip -n "$NS" link set sb up

conf="$OUT/conf"; mkdir -p "$conf"
cat >"$conf/janus.jcfg" <<JCFG
general: {
	debug_level = 3
	admin_secret = "$SECRET"
	session_timeout = 60
}
events: {
	broadcast = true
	stats_period = 5
}
media: {
	rtp_port_range = "20000-29999"
}
nat: {
	ice_enforce_list = "$SERVER_IP"
}
JCFG
printf 'general: {\n\thttp = true\n\tjson = "compact"\n}\nadmin: {\n\tadmin_http = true\n}\n' >"$conf/janus.transport.http.jcfg"
printf 'general: {\n\tenabled = true\n\tevents = "all"\n\tgrouping = true\n\tjson = "compact"\n\tbackend = "http://127.0.0.1:18999/events"\n}\n' \
  >"$conf/janus.eventhandler.sampleevh.jcfg"

ip netns exec "$NS" $NICE python3 "$ROOT/bench/load/event-sink.py" 18999 "$OUT/events.json" &
SINK=$!
ip netns exec "$NS" setsid $NICE "$JAVA_HOME/bin/java" $PORTUNUS_JVM_OPTIONS $PORTUNUS_HEAP_OPTIONS $NMT_OPTION ${PORTUNUS_JAVA_OPTS:-} \
  -jar "$JAR" --config "$conf" >"$OUT/server.log" 2>&1 &
PID=$!
up=0
for _ in $(seq 1 300); do
  ip netns exec "$NS" curl -s -o /dev/null "http://$SERVER_IP:8088/janus/info" && { up=1; break; }
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
[ "$up" = 1 ] || { echo "soak: Portunus did not start; log:" >&2; tail -30 "$OUT/server.log" >&2; exit 1; }
if [ "$NMT" = 1 ]; then
  mkdir -p "$OUT/nmt"
  "$JAVA_HOME/bin/jcmd" "$PID" VM.native_memory baseline >/dev/null 2>&1
  "$JAVA_HOME/bin/jcmd" "$PID" VM.native_memory summary >"$OUT/nmt/start.txt" 2>&1
fi

ip netns exec "$NS" $NICE python3 "$ROOT/bench/soak/churn.py" "http://$SERVER_IP:8088/janus" \
  "http://127.0.0.1:7088/admin" "$SECRET" "$ROOT/portunus-media/src/test/resources/sdp/chromium-offer.sdp" "$WORKERS" \
  "$OUT/churn.json" &
CHURN=$!

# The load cycles, in their own process group so cleanup ends the current run too. At the end of
# each idle gap (no load session live) the loop asks the sampler for a phase-aligned sample by
# creating OUT/phase-request and waits (at most 30 s) until the sampler has removed it.
setsid bash -c '
  i=0
  while :; do
    i=$((i + 1))
    ip netns exec "$0" nice -n 10 "$JAVA_HOME/bin/java" $1 -cp "$2" io.portunus.loadtool.LoadTool \
      --server "http://$3:8088/janus" --local-address "$4" --sessions "$5" --ramp 3 --duration "$6" \
      --warmup 0 --video-bitrate "$7" --json >"$8/load-$i.json" 2>/dev/null
    sleep "$9"
    echo "$i" >"$8/phase-request"
    for _ in $(seq 1 300); do [ -e "$8/phase-request" ] || break; sleep 0.1; done
  done' "$NS" "$LOADTOOL_JVM_OPTIONS" "$LOADTOOL_JAR" "$SERVER_IP" "$CLIENT_IP" "$LOAD_SESSIONS" "$LOAD_HOLD" \
  "$BITRATE" "$OUT" "$LOAD_PAUSE" &
LOADER=$!

heap_after_gc_kib() {   # full GC, then the sum of "used" over the heap's spaces, in KiB
  "$JAVA_HOME/bin/jcmd" "$PID" GC.run >/dev/null 2>&1
  "$JAVA_HOME/bin/jcmd" "$PID" GC.heap_info 2>/dev/null | awk '
    /^ *(PSYoungGen|ParOldGen|garbage-first heap|def new generation|tenured generation)/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v } }
    END { print s + 0 }'
}

sample() {   # seconds,rss_kib,heap_after_gc_kib,threads,fds (heap first: the GC may release pages)
  local heap rss threads fds
  heap=$(heap_after_gc_kib)
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$PID/status")
  fds=$(ls "/proc/$PID/fd" | wc -l)
  echo "$1,$rss,$heap,$threads,$fds"
}
janus_sessions() {   # sessions the Admin API lists (the churn's own, the load's should be gone)
  ip netns exec "$NS" curl -s -m 5 -H 'Content-Type: application/json' \
    -d "{\"janus\":\"list_sessions\",\"transaction\":\"soak\",\"admin_secret\":\"$SECRET\"}" \
    http://127.0.0.1:7088/admin | jq -r '.sessions | length' 2>/dev/null
}
nmt_committed_kib() {
  "$JAVA_HOME/bin/jcmd" "$PID" VM.native_memory summary 2>/dev/null |
    awk '/^Total:/ { for (i = 1; i <= NF; i++) if ($i ~ /^committed=/) { v = $i; sub(/committed=/, "", v); sub(/KB,?$/, "", v); print v; exit } }'
}
phase_sample() {   # at the end of an idle gap: the load cycle number is in OUT/phase-request
  local cycle line
  cycle=$(cat "$OUT/phase-request" 2>/dev/null)
  line=$(sample "$1")
  echo "$line,${cycle:-?},$(janus_sessions),$( [ "$NMT" = 1 ] && nmt_committed_kib)" >>"$OUT/phase.csv"
  if [ "$NMT" = 1 ] && [ $((${cycle:-1} % 10)) = 0 ]; then
    "$JAVA_HOME/bin/jcmd" "$PID" VM.native_memory summary.diff >"$OUT/nmt/cycle-$cycle-${1}s.txt" 2>&1
  fi
  rm -f "$OUT/phase-request"
}

echo "seconds,rss_kib,heap_after_gc_kib,threads,fds" >"$OUT/samples.csv"
echo "seconds,rss_kib,heap_after_gc_kib,threads,fds,cycle,janus_sessions,nmt_committed_kib" >"$OUT/phase.csv"
start=$(date +%s)
echo "soak: $DURATION s from $(date -u +%H:%M:%SZ), samples in $OUT/samples.csv and $OUT/phase.csv" >&2
next=$start
while :; do
  now=$(date +%s); t=$((now - start))
  kill -0 "$PID" 2>/dev/null || { echo "soak: Portunus died at $t s" >&2; tail -30 "$OUT/server.log" >&2; break; }
  if [ -e "$OUT/phase-request" ]; then phase_sample "$t"; continue; fi
  if [ "$now" -ge "$next" ]; then
    sample "$t" >>"$OUT/samples.csv"
    [ "$t" -ge "$DURATION" ] && break
    next=$((next + INTERVAL)); [ "$next" -le "$(date +%s)" ] && next=$(( $(date +%s) + 1 ))
  fi
  sleep 0.2
done
[ "$NMT" = 1 ] && "$JAVA_HOME/bin/jcmd" "$PID" VM.native_memory summary.diff >"$OUT/nmt/end.txt" 2>&1

kill -- -"$LOADER" 2>/dev/null; LOADER=""
kill -TERM "$CHURN" 2>/dev/null; wait "$CHURN" 2>/dev/null; CHURN=""
sleep 2
kill -TERM "$SINK" 2>/dev/null; wait "$SINK" 2>/dev/null; SINK=""

# Slope per hour of least-squares lines from minute 10 on (JIT warm-up and the heap settling come
# before) and over the second half, with first/last/min/max of each series.
fit() {   # fit FILE COLUMN NAME UNIT DIVISOR
  awk -F, -v c="$2" -v name="$3" -v unit="$4" -v d="$5" -v warm=600 -v half="$((DURATION / 2))" '
    function slope(n, sx, sy, sxx, sxy) { return (n > 1) ? (n * sxy - sx * sy) / (n * sxx - sx * sx) * 3600 : 0 }
    NR > 1 && $c != "" { v = $c / d; if (!seen++) { first = v; min = v }; last = v; if (v > max) max = v; if (v < min) min = v
             if ($1 >= warm) { n++; sx += $1; sy += v; sxx += $1 * $1; sxy += $1 * v }
             if ($1 >= half) { m++; tx += $1; ty += v; txx += $1 * $1; txy += $1 * v } }
    END { printf "| %s | %d | %.1f | %.1f | %.1f | %.1f | %+.2f | %+.2f |\n", name " (" unit ")", seen, first, last, min, max,
            slope(n, sx, sy, sxx, sxy), slope(m, tx, ty, txx, txy) }' "$1"
}
table() {   # table FILE
  echo "| series | samples | first | last | min | max | trend from minute 10, per hour | trend over the second half, per hour |"
  echo "|---|---|---|---|---|---|---|---|"
  fit "$1" 2 RSS MiB 1024
  fit "$1" 3 "heap after GC" MiB 1024
  fit "$1" 4 threads count 1
  fit "$1" 5 "file descriptors" count 1
  [ "$1" = "$OUT/phase.csv" ] && [ "$NMT" = 1 ] && fit "$1" 8 "NMT committed" MiB 1024
}
{
  echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). Host: $(nproc) cores (shared with other work; load average now $(cut -d' ' -f1-3 /proc/loadavg))."
  echo "Duration ${DURATION} s, sampled every ${INTERVAL} s; churn workers $WORKERS; load cycles of $LOAD_SESSIONS sessions (${LOAD_HOLD} s on, ${LOAD_PAUSE} s off, video $BITRATE)."
  echo "Churn: $(cat "$OUT/churn.json" 2>/dev/null). Events received by the sink: $(cat "$OUT/events.json" 2>/dev/null)."
  up=0; failed=0; cycles=0
  for f in "$OUT"/load-*.json; do   # the last one may be cut short by the end of the soak
    pair=$(jq -r 'select(type == "object" and has("sessions_up")) | "\(.sessions_up // 0) \(.sessions_failed // 0)"' "$f" 2>/dev/null | head -1)
    [ -n "$pair" ] || continue
    cycles=$((cycles + 1)); up=$((up + ${pair% *})); failed=$((failed + ${pair#* }))
  done
  echo "Load cycles completed: $cycles; sessions up $up, failed $failed."
  echo
  echo "Phase-aligned samples (end of each idle gap, no load session live; Admin list_sessions then saw $(awk -F, 'NR > 1 && $7 != "" { if (!n++) { lo = $7; hi = $7 }; if ($7 < lo) lo = $7; if ($7 > hi) hi = $7 } END { printf "%s-%s", lo, hi }' "$OUT/phase.csv") sessions, the churn's):"
  echo
  table "$OUT/phase.csv"
  echo
  echo "Every ${INTERVAL} s (any phase of the load cycle):"
  echo
  table "$OUT/samples.csv"
} >"$OUT/summary.md"
cat "$OUT/summary.md"

if command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal pngcairo size 1100,700 font ',10'
set output '$OUT/soak.png'
set datafile separator ','
set multiplot layout 2,2 title 'Portunus soak: API churn + EchoTest load cycles + Admin polling + events ($(date -u +%Y-%m-%d))'
set xlabel 'minutes'
set grid
set key top left
set yrange [0:*]
set style line 1 lc rgb '#b0b0b0' lw 1
set style line 2 lc rgb '#1f4e99' lw 2 pt 7 ps 0.5
set title 'RSS (MiB)'
plot '$OUT/samples.csv' every ::1 using (\$1/60):(\$2/1024) with lines ls 1 title 'every ${INTERVAL} s', \\
     '$OUT/phase.csv' every ::1 using (\$1/60):(\$2/1024) with linespoints ls 2 title 'end of idle gap'
set title 'heap after full GC (MiB)'
plot '$OUT/samples.csv' every ::1 using (\$1/60):(\$3/1024) with lines ls 1 title 'every ${INTERVAL} s', \\
     '$OUT/phase.csv' every ::1 using (\$1/60):(\$3/1024) with linespoints ls 2 title 'end of idle gap'
set title 'threads'
plot '$OUT/samples.csv' every ::1 using (\$1/60):4 with lines ls 1 title 'every ${INTERVAL} s', \\
     '$OUT/phase.csv' every ::1 using (\$1/60):4 with linespoints ls 2 title 'end of idle gap'
set title 'open file descriptors'
plot '$OUT/samples.csv' every ::1 using (\$1/60):5 with lines ls 1 title 'every ${INTERVAL} s', \\
     '$OUT/phase.csv' every ::1 using (\$1/60):5 with linespoints ls 2 title 'end of idle gap'
unset multiplot
GP
  echo "plot: $OUT/soak.png"
else
  echo "soak: gnuplot not installed (apt-get install -y gnuplot-nox): no plot" >&2
fi
