package io.portunus.loadtool;

import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time, resident memory and threads from /proc (Linux). */
record ProcStat(long cpuTicks, long rssKib, int threads) {
    /** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)). */
    static final double TICKS_PER_SECOND = 100.0;

    static ProcStat read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name may hold spaces: fields start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            int threads = Integer.parseInt(f[17]);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new ProcStat(utime + stime, rss, threads);
        } catch (Exception e) {
            return null;
        }
    }

    double cpuSeconds() {
        return cpuTicks / TICKS_PER_SECOND;
    }
}
