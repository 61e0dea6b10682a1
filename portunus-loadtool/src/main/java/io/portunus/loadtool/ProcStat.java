package io.portunus.loadtool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's CPU time, its threads' voluntary context switches (each one a thread going to
 * sleep to be woken later: the wake-ups), the CPU of its live threads by kind (the name Linux
 * keeps, 15 characters, without the digits that number threads of one kind: "portunus-io-",
 * "C2 CompilerThre"), resident memory and threads, from /proc (Linux).
 */
record ProcStat(long cpuTicks, long voluntarySwitches, Map<String, Long> ticksByThreadName,
                long rssKib, int threads) {
    /** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)). */
    static final double TICKS_PER_SECOND = 100.0;

    static ProcStat read(long pid) {
        try {
            Path proc = Path.of("/proc/" + pid);
            String[] f = statFields(Files.readString(proc.resolve("stat")));
            Map<String, Long> byName = new TreeMap<>();
            long switches = readThreads(proc, byName);
            return new ProcStat(cpuTicks(f), switches, byName, statusValue(proc.resolve("status"), "VmRSS:"),
                    Integer.parseInt(f[17]));
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Fills {@code byName} with the CPU ticks of the live threads by name and returns their
     * voluntary switches summed (a thread that ended takes its counts with it).
     */
    private static long readThreads(Path proc, Map<String, Long> byName) throws IOException {
        long switches = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    byName.merge(kind(name), cpuTicks(statFields(stat)), Long::sum);
                    switches += statusValue(task.resolve("status"), "voluntary_ctxt_switches:");
                } catch (IOException | RuntimeException threadEnded) {
                    // gone between the listing and the read
                }
            }
        }
        return switches;
    }

    /** The fields of a stat line after the command name, which may hold spaces: they start after the last ')'. */
    private static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** utime + stime. */
    private static long cpuTicks(String[] statFields) {
        return Long.parseLong(statFields[11]) + Long.parseLong(statFields[12]);
    }

    /** The number on a status file's line that starts with {@code key}; 0 without one. */
    private static long statusValue(Path status, String key) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** A thread's name without the number that tells threads of one kind apart. */
    static String kind(String threadName) {
        return threadName.replaceAll("#?[0-9]+$", "").strip();
    }

    /**
     * CPU seconds per second of each kind of thread between {@code start} and this, the busiest
     * first; kinds that used none (or lost threads that used more) left out.
     */
    Map<String, Double> cpuByThreadKind(ProcStat start, double seconds) {
        Map<String, Double> perSecond = new LinkedHashMap<>();
        ticksByThreadName.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - start.ticksByThreadName.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> perSecond.put(e.getKey(), e.getValue() / TICKS_PER_SECOND / seconds));
        return perSecond;
    }

    double cpuSeconds() {
        return cpuTicks / TICKS_PER_SECOND;
    }
}
