# Sourced by ./portunus and the benchmark scripts: the JVM options Portunus runs with, in
# PORTUNUS_JVM_OPTIONS (also used for the load tool) and PORTUNUS_HEAP_OPTIONS (the server's
# alone), then $PORTUNUS_JAVA_OPTS, the user's, which come last and win.
#
# -XX:+UseParallelGC: Portunus keeps little live data (tens of MB) and allocates fast, so young
# collections dominate. On the 2-core reference machine G1's young pauses took 7-8.5 ms against
# 0.5-1.4 ms for the parallel collector, and those pauses were the Admin API's p99 at 16
# connections (3.8 ms with G1, 1.5 ms with ParallelGC, same request rate; docs/benchmarks.md).
# A GC named in PORTUNUS_JAVA_OPTS replaces it.
#
# -XX:MaxNewSize=256m: a bounded young generation. Left to itself the parallel collector grows it for
# throughput on a machine with free memory (2.4-2.5 GiB RSS at 400 echo sessions), and the
# fresh pages it keeps touching cost more than the collections they save: at 400 sessions,
# 12.5-13.5 % loss and 17.3-18.3 µs of CPU per packet without it, 0.9 % and 13.8 µs with it
# (0.2-1.7 % and 14.2-15.0 µs with -Xmn256m), RSS ~1 GiB; no change from 10 to 200 sessions
# (docs/benchmarks.md). Left out when PORTUNUS_JAVA_OPTS sizes the heap itself (-Xmx, -Xmn,
# NewSize, NewRatio), and below 2 GiB of memory (the JVM's default heap, a quarter of it,
# would be too small for the bound and the JVM would warn at every start).
PORTUNUS_JVM_OPTIONS="--enable-native-access=ALL-UNNAMED"
case " ${PORTUNUS_JAVA_OPTS:-} " in
  *" -XX:+Use"*"GC "*) ;;
  *) PORTUNUS_JVM_OPTIONS="$PORTUNUS_JVM_OPTIONS -XX:+UseParallelGC" ;;
esac
PORTUNUS_HEAP_OPTIONS=""
portunus_memory_kib() {
  local kib limit
  kib="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null)"
  limit="$(cat /sys/fs/cgroup/memory.max 2>/dev/null)"
  if [ -n "$limit" ] && [ "$limit" != max ] && [ $((limit / 1024)) -lt "${kib:-0}" ]; then kib=$((limit / 1024)); fi
  echo "${kib:-0}"
}
case " ${PORTUNUS_JAVA_OPTS:-} " in
  *" -Xmx"*|*" -Xmn"*|*"NewSize="*|*"NewRatio="*) ;;
  *) if [ "$(portunus_memory_kib)" -ge 2097152 ]; then PORTUNUS_HEAP_OPTIONS="-XX:MaxNewSize=256m"; fi ;;
esac
