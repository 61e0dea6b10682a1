# Sourced by ./portunus and the benchmark scripts: the JVM options Portunus runs with, in
# PORTUNUS_JVM_OPTIONS (then $PORTUNUS_JAVA_OPTS, the user's, which come last and win).
#
# -XX:+UseParallelGC: Portunus keeps little live data (tens of MB) and allocates fast, so young
# collections dominate. On the 2-core reference machine G1's young pauses took 7-8.5 ms against
# 0.5-1.4 ms for the parallel collector, and those pauses were the Admin API's p99 at 16
# connections (3.8 ms with G1, 1.5 ms with ParallelGC, same request rate; docs/benchmarks.md).
# A GC named in PORTUNUS_JAVA_OPTS replaces it.
PORTUNUS_JVM_OPTIONS="--enable-native-access=ALL-UNNAMED"
case " ${PORTUNUS_JAVA_OPTS:-} " in
  *" -XX:+Use"*"GC "*) ;;
  *) PORTUNUS_JVM_OPTIONS="$PORTUNUS_JVM_OPTIONS -XX:+UseParallelGC" ;;
esac
