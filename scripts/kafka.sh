#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, broker and controller in one process) on loopback,
# for trying out the kafkaevh event handler and for the tests. The broker is Maven Central's
# org.apache.kafka:kafka_2.13 (scripts/kafka/pom.xml), resolved once into a cache folder with
# `mvn dependency:copy-dependencies`; nothing is downloaded from anywhere else.
#
#   scripts/kafka.sh start     # format the data folder on first use, start, wait until it serves
#   scripts/kafka.sh stop      # SIGTERM (clean shutdown), SIGKILL after 30 s
#   scripts/kafka.sh status    # running or not
#   scripts/kafka.sh libs      # only resolve the broker's jars (prints the folder)
#
# Environment (all optional):
#   KAFKA_PORT=9092            client listener, 127.0.0.1
#   KAFKA_CONTROLLER_PORT      KRaft controller listener (default KAFKA_PORT + 1)
#   KAFKA_SASL_PORT            adds a SASL_PLAINTEXT listener (PLAIN) on this port, user
#                              KAFKA_SASL_USER (portunus) / KAFKA_SASL_PASSWORD (portunus-secret)
#   KAFKA_DATA_DIR             the broker's data, pid and log (default target/kafka-<port>)
#   KAFKA_PARTITIONS=3         partitions of auto-created topics
#   KAFKA_AUTO_CREATE=true     auto.create.topics.enable
#   KAFKA_CACHE                where the jars go (default ~/.cache/portunus/kafka-<version>)
#   KAFKA_HEAP_OPTS=-Xmx512m   the broker's JVM heap
#   KAFKA_FAST_START=0         1: C1 compiler only (starts faster, runs slower; the tests use it)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/find-java.sh"

VERSION=4.4.0
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
DATA="${KAFKA_DATA_DIR:-$ROOT/target/kafka-$PORT}"
CACHE="${KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portunus/kafka-$VERSION}"
PIDFILE="$DATA/broker.pid"
LOG="$DATA/broker.log"

say() { echo "kafka: $*"; }

resolve_libs() {
  if [ -f "$CACHE/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { say "mvn is needed to fetch the broker from Maven Central"; exit 1; }
  say "resolving org.apache.kafka:kafka_2.13:$VERSION into $CACHE"
  rm -rf "$CACHE.tmp"
  mvn -B -ntp -q -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$CACHE.tmp" >&2
  rm -rf "$CACHE"; mkdir -p "$(dirname "$CACHE")"; mv "$CACHE.tmp" "$CACHE"
  touch "$CACHE/.complete"
}

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null && grep -q 'kafka.Kafka' "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

write_properties() {
  local advertised="PLAINTEXT://127.0.0.1:$PORT"
  local protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  if [ -n "${KAFKA_SASL_PORT:-}" ]; then
    advertised="$advertised,SASL://127.0.0.1:$KAFKA_SASL_PORT"
    protocols="$protocols,SASL:SASL_PLAINTEXT"
  fi
  cat >"$DATA/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$advertised,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=$advertised
listener.security.protocol.map=$protocols
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$DATA/logs
num.partitions=${KAFKA_PARTITIONS:-3}
auto.create.topics.enable=${KAFKA_AUTO_CREATE:-true}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
EOF
  if [ -n "${KAFKA_SASL_PORT:-}" ]; then
    local user="${KAFKA_SASL_USER:-portunus}" password="${KAFKA_SASL_PASSWORD:-portunus-secret}"
    cat >>"$DATA/server.properties" <<EOF
sasl.enabled.mechanisms=PLAIN
listener.name.sasl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$user="$password";
EOF
  fi
}

start() {
  if pid="$(running_pid)"; then say "already running (pid $pid) on 127.0.0.1:$PORT"; return 0; fi
  resolve_libs
  mkdir -p "$DATA"
  write_properties
  local java="$JAVA_HOME/bin/java" cp="$CACHE/*"
  # A class-data archive of the broker's classes (made by the first run, beside the jars) cuts
  # the start-up; KAFKA_FAST_START=1 (the tests) also keeps to the C1 compiler: quicker to
  # start on a busy machine, slower at full load.
  local jit=()
  [ "${KAFKA_FAST_START:-0}" = 1 ] && jit=(-XX:TieredStopAtLevel=1)
  local jvm=(${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m} -XX:+UseParallelGC "${jit[@]}"
             -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$CACHE/broker.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off
             -Dlog4j2.configurationFile="$ROOT/scripts/kafka/log4j2.properties")
  if [ ! -f "$DATA/logs/meta.properties" ]; then
    # A cluster id is 16 random bytes in URL-safe base64 without padding. One in 64 begins with
    # '-', which the storage tool's argument parser takes for an option ("--cluster-id: expected
    # one argument", a failed CI run): drawn again until it does not.
    local id="-"
    while [ "${id#-}" != "$id" ]; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    "$java" "${jvm[@]}" -cp "$cp" kafka.tools.StorageTool format --cluster-id "$id" \
        --config "$DATA/server.properties" --ignore-formatted >>"$LOG" 2>&1 \
      || { say "formatting $DATA failed; see $LOG"; tail -5 "$LOG" >&2; exit 1; }
  fi
  local mark; mark=$(wc -l <"$LOG" 2>/dev/null || echo 0)
  setsid nohup "$java" "${jvm[@]}" -cp "$cp" kafka.Kafka "$DATA/server.properties" >>"$LOG" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  local waited=0
  until tail -n +"$((mark + 1))" "$LOG" | grep -q 'Kafka Server started'; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "broker exited during start-up; see $LOG"; tail -20 "$LOG" >&2; rm -f "$PIDFILE"; exit 1
    fi
    if [ "$waited" -ge 1200 ]; then
      say "not started after 120 s; see $LOG"; kill -KILL "$pid" 2>/dev/null || true; rm -f "$PIDFILE"; exit 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  say "started on 127.0.0.1:$PORT${KAFKA_SASL_PORT:+ (SASL PLAIN on $KAFKA_SASL_PORT)} (pid $pid, data $DATA)"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then say "not running"; rm -f "$PIDFILE"; return 0; fi
  kill -TERM "$pid"
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then say "no clean shutdown in 30 s, killing $pid"; kill -KILL "$pid"; fi
  rm -f "$PIDFILE"
  say "stopped (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then say "running (pid $pid) on 127.0.0.1:$PORT"; else say "not running"; exit 1; fi ;;
  libs) resolve_libs; echo "$CACHE" ;;
  *) echo "usage: $0 start|stop|status|libs" >&2; exit 2 ;;
esac
