# The VideoRoom ladder of bench/load/run.sh --videoroom (issue #19), sourced by run.sh: uses its
# start_server, stop_server, after_hold, process_columns, udp_errors, NS, PID, OUT, STEPS, HOLD, RAMP, WARMUP, WARMUP_RUN, WARMUP_RUNS,
# BITRATE. Per server: start, the unmeasured warm-up runs (1 room, 10 subscribers), the idle RSS,
# then each step; videoroom.csv, results.md and videoroom.png in $OUT.

vr_load() {   # vr_load NAME ROOMS SUBSCRIBERS HOLD WARMUP TAG: one load tool run, JSON to $OUT/NAME-TAG.json
  local AFTER; AFTER="$(after_hold "$1" "$6")"
  ip netns exec "$NS" "$JAVA_HOME/bin/java" $LOADTOOL_JVM_OPTIONS -cp "$LOADTOOL_JAR" io.portunus.loadtool.LoadTool \
    --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --rooms "$2" --subscribers "$3" \
    --ramp "$RAMP" --duration "$4" --warmup "$5" --video-bitrate "$BITRATE" --server-pid "$PID" --json \
    ${AFTER:+--after-hold "$AFTER"} \
    >"$OUT/$1-$6.json" 2> >(tee "$OUT/$1-$6.progress" >&2)
}

rss_kib() {   # rss_kib PID
  awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

videoroom_ladder() {
  local csv="$OUT/videoroom.csv"
  echo "server,step,rooms,subscribers,up,failed,forwarded_pps,cpu_s_per_s,cpu_us_per_pkt,rss_mib,rss_kib_per_sub,threads,loss_pct,worst_loss_pct,p50_ms,p99_ms,max_ms,jitter_audio_ms,jitter_video_ms,tool_cpu_s_per_s,publisher_late_ticks,admin_ping_rps,admin_ping_p99,wakeups_per_s,jit_cpu_s_per_s,udp_drops" >"$csv"
  for server in $SERVERS; do
    echo "=== $server (VideoRoom)" >&2
    start_server "$server" || continue
    for w in $(seq 1 "$WARMUP_RUNS"); do vr_load "$server" 1 10 "$WARMUP_RUN" 1 warmup >/dev/null; done
    sleep 2
    local idle; idle=$(rss_kib "$PID")
    echo "--- $server: idle RSS after the warm-up run $((idle / 1024)) MiB" >&2
    for step in $STEPS; do
      local rooms=1 subs="$step"
      case "$step" in *x*) rooms="${step%x*}"; subs="${step#*x}" ;; esac
      echo "--- $server: $rooms room(s) x $subs subscribers, ${HOLD} s" >&2
      local udp_before; udp_before=$(udp_errors)
      vr_load "$server" "$rooms" "$subs" "$HOLD" "$WARMUP" "$step"
      jq -r --arg s "$server" --arg step "$step" --argjson idle "$idle" '[$s, $step, .rooms, .sessions, .sessions_up,
          .sessions_failed, .packets_per_second, .server_process.cpu_seconds_per_second,
          .server_process.cpu_us_per_packet, ((.server_process.rss_kib // 0) / 1024 | floor),
          (((.server_process.rss_kib // 0) - $idle) / .sessions | floor), .server_process.threads, .loss_percent,
          .worst_session_loss_percent, .echo_delay_ms.p50, .echo_delay_ms.p99, .echo_delay_ms.max,
          .jitter_ms.audio_mean, .jitter_ms.video_mean, .load_tool_process.cpu_seconds_per_second, .publisher_late_ticks] | @csv' \
          "$OUT/$server-$step.json" | tr -d '"' | tr -d '\n' >>"$csv"
      jq -r '.after_hold.output // ""' "$OUT/$server-$step.json" | awk '
          /^Requests\/sec/ {rps=$2} $1=="99%" {p99=$2} END {printf ",%s,%s", rps, p99}' >>"$csv"
      process_columns "$OUT/$server-$step.json" "$udp_before" >>"$csv"
      kill -0 "$PID" 2>/dev/null || { echo "run.sh: $server died; log:" >&2; tail -30 "$OUT/$server.log" >&2; break; }
      sleep 2
    done
    stop_server
  done

  {
    echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). Host: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "VideoRoom steps: $STEPS (S = 1 room x S subscribers, RxS = R rooms); one publisher per room (audio 50 pkt/s + video $BITRATE); each step held ${HOLD} s after a ${WARMUP} s warm-up; ramp ${RAMP}/s."
    echo
    echo "| server | step | subscribers up / failed | forwarded pkt/s | server CPU s/s | CPU µs / forwarded pkt | RSS MiB | RSS KiB / subscriber | threads | loss % | worst subscriber loss % | delay p50 ms | delay p99 ms | delay max ms | jitter audio / video ms | load tool CPU s/s | publisher late ticks | admin ping c16 req/s | admin ping p99 | wake-ups/s | JIT compilers CPU s/s | CPU µs / forwarded pkt less the JIT | UDP drops |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    tail -n +2 "$csv" | awk -F, '{printf "| %s | %s | %s / %s | %.0f | %.3f | %.2f | %s | %s | %s | %.3f | %.3f | %.2f | %.2f | %.1f | %.2f / %.2f | %.2f | %s | %s | %s | %.0f | %.3f | %.2f | %s |\n", $1,$2,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25, ($7 > 0 ? $9 - $25 * 1e6 / $7 : 0), $26}'
  } >"$OUT/results.md"
  cat "$OUT/results.md"

  if command -v gnuplot >/dev/null; then
    local plots_cpu="" plots_loss="" plots_p99=""
    for s in $SERVERS; do
      grep "^$s," "$csv" | tr ',' ' ' >"$OUT/$s-vr.dat"
      [ -s "$OUT/$s-vr.dat" ] || continue
      plots_cpu="$plots_cpu${plots_cpu:+, }'$OUT/$s-vr.dat' using 0:9:xtic(2) with linespoints title '$s'"
      plots_loss="$plots_loss${plots_loss:+, }'$OUT/$s-vr.dat' using 0:14:xtic(2) with linespoints title '$s worst subscriber'"
      plots_p99="$plots_p99${plots_p99:+, }'$OUT/$s-vr.dat' using 0:16:xtic(2) with linespoints title '$s'"
    done
    if [ -n "$plots_cpu" ]; then
      gnuplot <<GP
set terminal pngcairo size 1200,420 font ',10'
set output '$OUT/videoroom.png'
set multiplot layout 1,3 title 'VideoRoom fan-out: 1 publisher per room (audio + video $BITRATE), subscribers per step (RxS = R rooms), hold ${HOLD} s'
set xlabel 'step (subscribers)'
set grid
set key top left
set ylabel 'server CPU µs per forwarded packet'
set yrange [0:*]
plot $plots_cpu
set ylabel 'loss % (worst subscriber)'
plot $plots_loss
set ylabel 'publisher-to-subscriber delay p99 ms'
set logscale y
set yrange [*:*]
plot $plots_p99
unset multiplot
GP
      echo "plot: $OUT/videoroom.png"
    fi
  else
    echo "run.sh: gnuplot not installed (apt-get install -y gnuplot-nox): no plot" >&2
  fi
  echo "results: $OUT/results.md"
}
