#!/usr/bin/env bash
# The packet path's cost with metrics on and off (issue #18 must-show 5): the load ladder's
# 100-session step (EchoTest, audio + video), alternating Portunus with admin.metrics = false
# (nothing collected) and with metrics on and a real Prometheus scraping /metrics every second,
# ROUNDS times each, in a fresh network namespace. Prints a Markdown table of the server's
# CPU µs per relayed packet (utime+stime over the hold), loss and echo delay. Needs root.
#   bench/load/metrics-on-off.sh [sessions=100] [hold=20] [rounds=2]
# MODES="off off-prom on" adds a run with metrics off and Prometheus running all the same (its
# scrapes get a 404), to tell the server's cost of metrics from Prometheus's share of the machine.
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/find-java.sh"
. "$ROOT/scripts/jvm-options.sh"
SESSIONS="${1:-100}"; HOLD="${2:-20}"; ROUNDS="${3:-2}"
OUT="/tmp/portunus-metrics-bench-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
NS="portunus-bench-metrics-$$"; SERVER_IP=10.80.0.1; CLIENT_IP=10.80.0.2
PID=""; PROM=""
stop() {
  for p in $PROM $PID; do
    kill -TERM "$p" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  PID=""; PROM=""
}
trap 'stop; ip netns del "$NS" 2>/dev/null' EXIT
"$ROOT/portunus" --version >/dev/null || exit 1
JAR="$ROOT/target/portunus.jar"
LOADTOOL_JAR="$ROOT/target/loadtool/portunus-loadtool.jar"
ip netns add "$NS" || { echo "needs root (ip netns)" >&2; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" link add vm0 type veth peer name vm1
ip -n "$NS" addr add "$SERVER_IP/24" dev vm0
ip -n "$NS" addr add "$CLIENT_IP/24" dev vm1
ip -n "$NS" link set vm0 up
ip -n "$NS" link set vm1 up || { echo "network namespace set-up failed" >&2; exit 1; }

# With THREAD_CPU=1: each server thread's CPU ticks (utime+stime) before and after the measured
# step, summed by thread name with the digits dropped, to see which threads the difference is on.
thread_cpu() {
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(tr -d '0-9' <"$t/comm")" "$(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}')"
  done | awk -F'\t' '{s[$1]+=$2} END {for (k in s) print k "\t" s[k]}' | sort
}

run() {   # run MODE ROUND
  local mode="$1" conf="$OUT/conf-$1-$2"
  mkdir -p "$conf"
  printf 'general: {\n\tdebug_level = 3\n}\nmedia: {\n\trtp_port_range = "20000-29999"\n}\nnat: {\n\tice_enforce_list = "%s"\n}\n' \
    "$SERVER_IP" >"$conf/janus.jcfg"
  printf 'general: {\n\thttp = true\n\tport = 8088\n}\nadmin: {\n\tadmin_http = true\n\tadmin_port = 7088\n\tmetrics = %s\n}\n' \
    "$([ "$mode" = on ] && echo true || echo false)" >"$conf/janus.transport.http.jcfg"
  ip netns exec "$NS" setsid "$JAVA_HOME/bin/java" $PORTUNUS_JVM_OPTIONS $PORTUNUS_HEAP_OPTIONS ${PORTUNUS_JAVA_OPTS:-} -jar "$JAR" --config "$conf" \
    >"$OUT/server-$mode-$2.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do ip netns exec "$NS" curl -s -o /dev/null "http://$SERVER_IP:8088/janus/info" && break; sleep 0.1; done
  if [ "$mode" != off ]; then
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: portunus\n    static_configs:\n      - targets: ["127.0.0.1:7088"]\n' >"$conf/prometheus.yml"
    ip netns exec "$NS" setsid prometheus --config.file="$conf/prometheus.yml" --storage.tsdb.path="$conf/tsdb" \
      --web.listen-address=127.0.0.1:9099 >"$OUT/prometheus-$2.log" 2>&1 &
    PROM=$!
  fi
  # Unmeasured warm-up (JIT), then the measured step. The warm-up also asks for /metrics
  # SCRAPE_WARMUP times (in both modes; a 404 when off): at one scrape a second, the code the
  # scrape runs per series or per meter reaches the JIT's compile thresholds only after minutes,
  # so without this the "on" hold would measure the compiler's work on it, a one-off of a
  # server's first minutes, and not the cost of metrics in a running server.
  ip netns exec "$NS" python3 - "${SCRAPE_WARMUP:-2000}" <<'PY' &
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", 7088)
for _ in range(int(sys.argv[1])):
    try:
        conn.request("GET", "/metrics")
        conn.getresponse().read()
    except (OSError, http.client.HTTPException):
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", 7088)
PY
  local scrapes=$!
  ip netns exec "$NS" "$JAVA_HOME/bin/java" $LOADTOOL_JVM_OPTIONS -cp "$LOADTOOL_JAR" io.portunus.loadtool.LoadTool \
    --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --sessions 10 --ramp 20 --duration 15 --json >/dev/null 2>&1
  wait "$scrapes"
  # The hold starts once the ramp and the load tool's warm-up are over.
  [ -n "${THREAD_CPU:-}" ] && (sleep 24; thread_cpu "$PID" >"$OUT/threads-$mode-$2.before"; ps -o etimes= -p "$PID" >"$OUT/threads-$mode-$2.hold-start") &
  ip netns exec "$NS" "$JAVA_HOME/bin/java" $LOADTOOL_JVM_OPTIONS -cp "$LOADTOOL_JAR" io.portunus.loadtool.LoadTool \
    --server "http://$SERVER_IP:8088/janus" --local-address "$CLIENT_IP" --sessions "$SESSIONS" --ramp 20 --warmup 3 \
    --duration "$HOLD" --server-pid "$PID" --json >"$OUT/$mode-$2.json" 2>/dev/null
  [ -n "${THREAD_CPU:-}" ] && thread_cpu "$PID" >"$OUT/threads-$mode-$2.after"
  if [ "$mode" != off ]; then
    ip netns exec "$NS" curl -s "http://127.0.0.1:9099/api/v1/query?query=count(up%3D%3D1)" >"$OUT/prom-$2.json"
    ip netns exec "$NS" curl -s "http://127.0.0.1:9099/api/v1/query?query=prometheus_target_interval_length_seconds_count" >>"$OUT/prom-$2.json"
  fi
  stop
  sleep 2
}

echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). Host: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "| round | metrics | sessions up | echoed pkt/s | server CPU s/s | CPU µs/pkt | loss % | echo p99 ms |"
echo "|---|---|---|---|---|---|---|---|"
for r in $(seq 1 "$ROUNDS"); do
  for mode in ${MODES:-off on}; do
    run "$mode" "$r"
    jq -r --arg r "$r" --arg m "$mode" '"| \($r) | \($m) | \(.sessions_up) | \(.packets_per_second|floor) | \(.server_process.cpu_seconds_per_second) | \(.server_process.cpu_us_per_packet) | \(.loss_percent) | \(.echo_delay_ms.p99) |"' "$OUT/$mode-$r.json"
  done
done
echo "Raw results: $OUT"
