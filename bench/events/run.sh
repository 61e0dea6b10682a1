#!/usr/bin/env bash
# Event pipeline benchmark (issue #4): events/s delivered by sampleevh (grouping on) to a local
# HTTP receiver, and the emission-to-receipt delay. Usage: bench/events/run.sh [rate/s] [seconds]
set -eu
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
. scripts/find-java.sh
[ -d target/lib ] && [ -d target/test-classes ] || mvn -q -B -o package -DskipTests test-compile
mvn -q -B -o test-compile
exec "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -cp "target/classes:target/test-classes:target/lib/*" \
  io.portunus.eventhandlers.bench.EventPipelineBench "${1:-100000}" "${2:-10}"
