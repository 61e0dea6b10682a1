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
# -Xms32m -XX:MaxNewSize=16m: a young generation of at most 16 MiB and a small start, so that memory follows the
# load and not the machine's RAM (issue #22). Portunus's live data is small (15-27 MiB idle after a
# full GC, ~70 MiB at 300 echo sessions), and the young generation is most of what it touches:
# the earlier -XX:MaxNewSize=256m (and, before it, the collector's own sizing, 2.4 GiB at 400
# sessions) let eden fill up to its bound between collections, all of it resident. Measured on
# the 24 GiB machine with bench/load/run.sh --breakdown (docs/benchmarks.md): RSS idle
# 204 -> 143 MiB with 48 MiB, 132 with 16; 300 sessions 471 -> 308 -> 230 MiB. 16 MiB since the
# media path stopped allocating two copies of every packet (2,550 -> 715 bytes per echoed packet):
# it is collected about as often as 48 MiB was before, and the ladder's CPU per packet did not
# move (2026-12-07). (MaxNewSize rather than -Xmn: -Xmn also sets the initial young size, and
# the JVM printed a warning at every start when that was larger than -Xms.)
# Left out when PORTUNUS_JAVA_OPTS sizes the heap itself (-Xmx, -Xms, -Xmn, NewSize, NewRatio).
PORTUNUS_JVM_OPTIONS="--enable-native-access=ALL-UNNAMED"
case " ${PORTUNUS_JAVA_OPTS:-} " in
  *" -XX:+Use"*"GC "*) ;;
  *) PORTUNUS_JVM_OPTIONS="$PORTUNUS_JVM_OPTIONS -XX:+UseParallelGC" ;;
esac
PORTUNUS_HEAP_OPTIONS=""
case " ${PORTUNUS_JAVA_OPTS:-} " in
  *" -Xmx"*|*" -Xms"*|*" -Xmn"*|*"NewSize="*|*"NewRatio="*) ;;
  *) PORTUNUS_HEAP_OPTIONS="-Xms32m -XX:MaxNewSize=16m" ;;
esac
# The load tool (bench scripts) always runs with the parallel collector, whatever the server is
# given in PORTUNUS_JAVA_OPTS: its own pauses count as delay against every server, and an A/B run
# of the server's collector must not change the client's too.
LOADTOOL_JVM_OPTIONS="--enable-native-access=ALL-UNNAMED -XX:+UseParallelGC"
