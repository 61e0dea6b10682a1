#!/usr/bin/env bash
# The long fuzzing campaign (issue #14): every parser that reads network or file bytes, fuzzed
# with Jazzer (coverage-guided, libFuzzer engine) through its command line, RUNS executions per
# target (default 1,000,000), one target after the other on one core (nice). Seeds come from
# portunus-server/src/test/resources/io/portunus/fuzz/ParserFuzzTestInputs/<target>/ (the same inputs the Maven
# suite replays); the growing corpus and any crash go to OUT/<target>/. Writes OUT/results.md
# (executions, time, exec/s, corpus size, crashes per target).
#
#   bench/fuzz/run.sh [--runs 1000000] [--max-seconds 0] [--targets "janus_api admin_api jcfg sdp stun dtls_record rtp rtcp sp_codec"] [--out DIR]
#
# -timeout=60: a single input over 60 s is a hang; the first input of the API targets builds the
# whole gateway, which took over 10 s on the loaded machine.
# A crash leaves OUT/<target>/crash-<sha1>: copy it into the target's ParserFuzzTestInputs
# folder (method name, e.g. dtlsRecord) so the Maven suite keeps it as a regression test.
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/find-java.sh"
RUNS=1000000
MAX_SECONDS=0
TARGETS="janus_api admin_api jcfg sdp stun dtls_record rtp rtcp sp_codec"
OUT="/tmp/portunus-fuzz-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --targets) TARGETS="$2"; shift 2 ;;
    --max-seconds) MAX_SECONDS="$2"; shift 2 ;;   # per target, 0: no limit (libFuzzer -max_total_time)
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "fuzz: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
cd "$ROOT"
if [ -z "${PORTUNUS_FUZZ_CP:-}" ]; then
  # -am: media first, the server last, so the file ends with the server's test classpath
  mvn -B -ntp -q -pl portunus-server -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$OUT/cp.txt" >&2 || { echo "fuzz: build failed" >&2; exit 1; }
  PORTUNUS_FUZZ_CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$OUT/cp.txt")"
fi
method() {   # the JUnit method (and seed folder) for a target name: sp_codec -> spCodec
  echo "$1" | awk -F_ '{ printf "%s", $1; for (i = 2; i <= NF; i++) printf "%s", toupper(substr($i, 1, 1)) substr($i, 2) }'
}
{
  echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). Host: $(nproc) cores shared with other work (load average $(cut -d' ' -f1-3 /proc/loadavg)); one target at a time, nice 10. Jazzer 0.24.0, -runs=$RUNS."
  echo
  echo "| target | executions | seconds | exec/s | corpus files | coverage (libFuzzer cov) | crashes |"
  echo "|---|---|---|---|---|---|---|"
} >"$OUT/results.md"
failed=0
for t in $TARGETS; do
  m="$(method "$t")"
  corpus="$OUT/$t/corpus"; mkdir -p "$corpus"
  cp "$ROOT/portunus-server/src/test/resources/io/portunus/fuzz/ParserFuzzTestInputs/$m/"* "$corpus/" 2>/dev/null
  start=$(date +%s)
  ( cd "$OUT/$t" && nice -n 10 "$JAVA_HOME/bin/java" -Xmx512m -XX:+UseParallelGC -XX:ParallelGCThreads=1 -XX:CICompilerCount=2 \
      -Dportunus.fuzz.target="$t" -Dlogback.configurationFile="$ROOT/bench/fuzz/logback-quiet.xml" \
      -cp "$PORTUNUS_FUZZ_CP" com.code_intelligence.jazzer.Jazzer \
      --target_class=io.portunus.fuzz.FuzzMain --instrumentation_includes='io.portunus.**' \
      --keep_going=0 -runs="$RUNS" -max_total_time="$MAX_SECONDS" -print_final_stats=1 -max_len=4096 -timeout=60 -rss_limit_mb=1024 \
      "$corpus" ) >"$OUT/$t.log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$t.log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$OUT/$t.log" | tail -1 | grep -o '[0-9]*')
  crashes=$(ls "$OUT/$t"/crash-* "$OUT/$t"/timeout-* "$OUT/$t"/oom-* 2>/dev/null | wc -l)
  [ "$rc" = 0 ] && [ "$crashes" = 0 ] || failed=1
  printf '| %s | %s | %s | %s | %s | %s | %s%s |\n' "$t" "${execs:-?}" "$secs" \
    "$( [ -n "$execs" ] && [ "$secs" -gt 0 ] && echo $((execs / secs)) || echo '?')" "$(ls "$corpus" | wc -l)" "${cov:-?}" \
    "$crashes" "$( [ "$rc" = 0 ] || echo " (exit $rc)")" >>"$OUT/results.md"
  echo "fuzz: $t done ($secs s, exit $rc)" >&2
done
cat "$OUT/results.md"
exit "$failed"
