#!/usr/bin/env bash
# Kafka event handler benchmark (issue #21, must-show 5): events/s from one instance's pipeline
# to a real broker (scripts/kafka.sh, on a free port with its own data folder, stopped at the
# end) and the delay from emission to Kafka's acknowledgement.
# Usage: bench/kafka/run.sh [rate/s] [seconds] ["extra kafkaevh options", e.g. 'compression = "lz4"']
set -eu
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
. scripts/find-java.sh
[ -d target/lib ] && [ -d target/classes ] || mvn -q -B package -DskipTests
mvn -q -B test-compile
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
export KAFKA_PORT=$port KAFKA_CONTROLLER_PORT=$(free_port) KAFKA_DATA_DIR="$(mktemp -d /tmp/portunus-kafka-bench.XXXXXX)"
trap 'scripts/kafka.sh stop >/dev/null; rm -rf "$KAFKA_DATA_DIR"' EXIT
scripts/kafka.sh start
"$JAVA_HOME/bin/java" -Xms512m -Xmx512m -cp "target/classes:target/test-classes:target/lib/*" \
  io.portunus.kafka.KafkaEventBench "127.0.0.1:$port" "${1:-200000}" "${2:-10}" "${3:-}"
