#!/usr/bin/env bash
# Runs the JMH benchmarks of the portunus-bench module (JMH 1.37) on the real server code.
#   bench/jmh/run.sh [regex of benchmarks] [extra JMH options]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. scripts/find-java.sh
build="${PORTUNUS_BUILD_DIR:-$root/target}"
# The reactor builds media and server first; build-classpath runs last for portunus-bench, so its
# classpath (the server's jar, the media jar, JMH) is what the file holds at the end.
mvn -q -B -Dportunus.build.dir="$build" -DskipTests -pl portunus-bench -am package \
    dependency:build-classpath -Dmdep.outputFile="$build/bench-classpath.txt"
cp="$build/bench/classes:$(cat "$build/bench-classpath.txt")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "${1:-RelayPathBench}" "${@:2}"
