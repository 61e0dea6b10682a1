#!/usr/bin/env bash
# Runs the JMH benchmarks under src/test/java/io/portunus/bench (JMH 1.37, test scope).
#   bench/jmh/run.sh [regex of benchmarks] [extra JMH options]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/find-java.sh
build="${PORTUNUS_BUILD_DIR:-$root/target}"
mvn -q -B -Dportunus.build.dir="$build" -DskipTests test-compile
cp="$build/test-classes:$build/classes:$(mvn -q -B -Dportunus.build.dir="$build" dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "${1:-RelayPathBench}" "${@:2}"
