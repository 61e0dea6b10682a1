package io.portunus.loadtool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's figures the ladders print come from /proc; read here of this test's own process. */
class ProcStatTest {
    @Test
    void threadsOfOneKindCountTogether() {
        assertThat(ProcStat.kind("portunus-io-3-1")).isEqualTo("portunus-io-3-");
        assertThat(ProcStat.kind("C2 CompilerThread0")).isEqualTo("C2 CompilerThread");
        assertThat(ProcStat.kind("GC Thread#1")).isEqualTo("GC Thread");
        assertThat(ProcStat.kind("main")).isEqualTo("main");
    }

    @Test
    void aThreadThatWorksShowsUnderItsKindAndItsSleepsAsSwitches() throws Exception {
        long pid = ProcessHandle.current().pid();
        ProcStat start = ProcStat.read(pid);
        CountDownLatch worked = new CountDownLatch(1);
        CountDownLatch read = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            long until = System.nanoTime() + 300_000_000L;
            long x = 0;
            while (System.nanoTime() < until) {
                x += x * 31 + 7;
            }
            try {
                for (int i = 0; i < 20; i++) {
                    Thread.sleep(1);
                }
                worked.countDown();
                // Alive until read: a thread that ended takes its counts with it.
                read.await();
            } catch (InterruptedException e) {
                return;
            }
            if (x == 42) {
                System.out.println(x);
            }
        }, "proc-stat-busy-7");
        busy.start();
        worked.await();
        ProcStat end = ProcStat.read(pid);
        read.countDown();
        busy.join();

        Map<String, Double> byKind = end.cpuByThreadKind(start, 0.33);
        assertThat(byKind).containsKey("proc-stat-busy-");
        assertThat(byKind.get("proc-stat-busy-")).isGreaterThan(0.3);
        // Busiest first. Not "ours first": this JVM's JIT compiler threads may have worked more meanwhile.
        assertThat(new ArrayList<>(byKind.values())).as("busiest first").isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(end.cpuSeconds()).isGreaterThan(start.cpuSeconds());
        assertThat(end.voluntarySwitches()).isGreaterThan(start.voluntarySwitches());
    }
}
