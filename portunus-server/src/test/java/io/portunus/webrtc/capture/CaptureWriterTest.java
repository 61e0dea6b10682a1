package io.portunus.webrtc.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The writer thread: never blocks the caller, drops and counts when behind, ends cleanly on errors and the cap. */
class CaptureWriterTest {
    @TempDir
    Path dir;

    @Test
    void aStalledWriterNeverBlocksTheMediaThreadAndDropsAreCounted() throws Exception {
        Path file = dir.resolve("slow.pcap");
        CountDownLatch release = new CountDownLatch(1);
        // The upkeep hook runs on the writer thread: holding it there stands for a disk that hangs.
        Capture c = new Capture(CaptureFormat.PCAP, file, FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 0, 0, 1, 2, 64, () -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, null);
        Thread.sleep(300); // the writer reaches its upkeep and hangs there
        byte[] pkt = Packets.rtp(96, 1, 1, 5, 1000);
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            c.packet(true, false, pkt, 0, pkt.length, i);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("100,000 taps with the writer stuck").isLessThan(2_000);
        assertThat(c.dropped()).isGreaterThanOrEqualTo(100_000 - 64);
        assertThat(c.queued()).isLessThanOrEqualTo(64);
        release.countDown();
        c.stop();
        assertThat(c.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.size(file)).isEqualTo(24 + c.queued() * (16 + 42 + pkt.length));
    }

    @Test
    void aFullDiskEndsTheCaptureWithAReason() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "/dev/full not available");
        AtomicReference<String> reason = new AtomicReference<>();
        Capture c = new Capture(CaptureFormat.PCAP, full, FileChannel.open(full, StandardOpenOption.WRITE), 0, 0, 1, 2,
                1024, null, reason::set);
        byte[] pkt = Packets.rtp(96, 1, 1, 5, 1000);
        for (int i = 0; i < 200; i++) {
            c.packet(true, false, pkt, 0, pkt.length, i);
        }
        assertThat(c.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reason.get()).startsWith("write error").contains("No space left");
        assertThat(c.isRunning()).isFalse();
        c.packet(true, false, pkt, 0, pkt.length, 0); // taps after the end are ignored, no exception
    }

    @Test
    void theSizeCapEndsTheCaptureCleanly() throws Exception {
        Path file = dir.resolve("capped.pcap");
        AtomicReference<String> reason = new AtomicReference<>();
        long cap = 10_000;
        Capture c = new Capture(CaptureFormat.PCAP, file, FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 0, cap, 1, 2, 1024, null, reason::set);
        byte[] pkt = Packets.rtp(96, 1, 1, 5, 1000);
        for (int i = 0; i < 50; i++) {
            c.packet(true, false, pkt, 0, pkt.length, i);
        }
        assertThat(c.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reason.get()).contains("size cap");
        long record = 16 + 42 + pkt.length;
        assertThat(Files.size(file)).isLessThanOrEqualTo(cap).isEqualTo(24 + ((cap - 24) / record) * record);
        if (Tools.have("tshark")) {
            assertThat(Tools.decode(file)).hasSize((int) ((cap - 24) / record)); // whole records only
        }
    }
}
