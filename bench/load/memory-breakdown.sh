#!/usr/bin/env bash
# Where a running JVM's memory goes (issue #22): one Markdown table row for process PID, from
# /proc (RSS), Native Memory Tracking (the JVM must run with -XX:NativeMemoryTracking=summary)
# and the heap after a full collection (jcmd GC.run, then GC.heap_info).
#   bench/load/memory-breakdown.sh PID LABEL [--header]
# Columns, MiB committed per NMT category unless said: RSS (resident, from /proc), heap
# committed / resident (from /proc/PID/smaps), heap used after GC, class metadata, threads (count / stacks committed), code cache,
# GC structures, "Other" (direct buffers: Netty's pooled arenas and NIO buffers), everything else.
# "GC.run" collects first, so run it when a pause does not matter (after a measured window).
set -u
pid="$1"; label="$2"
if [ "${3:-}" = --header ]; then
  echo "| state | RSS | heap committed / resident | heap used after GC | metaspace+class | threads (count / stacks) | code cache | GC | other (direct) | rest of NMT | NMT total |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
fi
rss_kib="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
jcmd "$pid" GC.run >/dev/null 2>&1
heap_info="$(jcmd "$pid" GC.heap_info 2>/dev/null)"
# MEMORY_HISTOGRAM=FILE: also append the 30 largest classes of the live heap (jcmd GC.class_histogram).
if [ -n "${MEMORY_HISTOGRAM:-}" ]; then
  { echo "== $label"; jcmd "$pid" GC.class_histogram 2>/dev/null | sed -n '2,33p'; } >>"$MEMORY_HISTOGRAM"
fi
# The heap's resident part: the mappings inside the address range GC.heap_info prints.
read -r low high < <(grep -o '0x[0-9a-f]*' <<<"$heap_info" | sort | sed -n '1p;$p' | tr '\n' ' ')
heap_rss_kib=0
if [ -n "${low:-}" ]; then
  while read -r start kib; do
    if (( 0x$start >= low && 0x$start < high )); then heap_rss_kib=$((heap_rss_kib + kib)); fi
  done < <(awk '/^[0-9a-f]+-[0-9a-f]+ / { split($1, a, "-"); start = a[1] } /^Rss:/ { print start, $2 }' "/proc/$pid/smaps")
fi
heap_used_kib="$(awk '
  # Parallel/Serial: one "used NNNK" per generation on its header line; G1: one line for the heap.
  /garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); gsub(/[K,]/, "", v); g1 = v } }
  /^ *(PSYoungGen|ParOldGen|DefNew|Tenured)/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); gsub(/[K,]/, "", v); sum += v } }
  END { print (g1 != "" ? g1 : sum + 0) }' <<<"$heap_info")"
jcmd "$pid" VM.native_memory summary scale=KB 2>/dev/null | awk -v label="$label" -v rss="$rss_kib" -v used="$heap_used_kib" -v heaprss="$heap_rss_kib" '
  function mib(k) { return sprintf("%.0f", k / 1024) }
  /^Total:/ { for (i = 1; i <= NF; i++) if ($i ~ /^committed=/) { v = $i; gsub(/[^0-9]/, "", v); total = v } }
  /^-/ {
    line = $0; sub(/^- */, "", line); name = line; sub(/ *\(reserved.*/, "", name)
    v = line; sub(/.*committed=/, "", v); sub(/KB.*/, "", v); cat[name] = v + 0; cur = name
  }
  /\(threads #/ { v = $0; sub(/.*#/, "", v); sub(/\).*/, "", v); threads = v }
  /\(stack: / && cur == "Thread" { v = $0; sub(/.*committed=/, "", v); sub(/KB.*/, "", v); stack = v }
  END {
    heap = cat["Java Heap"]; meta = cat["Class"] + cat["Metaspace"]; thr = cat["Thread"]
    code = cat["Code"]; gc = cat["GC"]; other = cat["Other"]
    rest = total - heap - meta - thr - code - gc - other
    printf "| %s | %s | %s / %s | %s | %s | %s / %s | %s | %s | %s | %s | %s |\n", label, mib(rss), mib(heap), mib(heaprss), mib(used), mib(meta),
      threads, mib(thr), mib(code), mib(gc), mib(other), mib(rest), mib(total)
  }'
