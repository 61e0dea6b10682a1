package io.portunus.loadtool;

import java.util.Arrays;

/**
 * One direction pair of one stream (audio or video) of one session: what we sent, what came
 * back. Every packet carries a trailer with our own 32-bit counter and the send time (the
 * server may rewrite RTP sequence numbers and timestamps), so loss and echo delay are exact.
 * Only packets sent inside the measurement window count towards the final figures.
 */
final class StreamStats {
    private static final int WINDOW = 8192;

    final boolean video;
    /** Next counter to send; counters sent so far = next. */
    int next;
    /** The measurement window, as counters: [windowStart, windowEnd). -1 = not set yet. */
    int windowStart = -1;
    int windowEnd = -1;
    long sentBytes;
    long received;
    long receivedInWindow;
    long duplicates;
    long late;
    /** RFC 3550 §6.4.1 interarrival jitter, from the exact send times, in nanoseconds. */
    double jitterNanos;
    private long lastTransit = Long.MIN_VALUE;
    private final long[] seen = new long[WINDOW];
    final Histogram delays = new Histogram();

    StreamStats(boolean video) {
        this.video = video;
        Arrays.fill(seen, -1);
    }

    /** A packet came back: its counter and send time; returns the echo delay in µs or -1 if it was a duplicate. */
    long onEcho(int counter, long sentNanos, long nowNanos) {
        int slot = Math.floorMod(counter, WINDOW);
        if (seen[slot] == counter) {
            duplicates++;
            return -1;
        }
        if (counter < next - WINDOW) {
            late++;
        }
        seen[slot] = counter;
        received++;
        long transit = nowNanos - sentNanos;
        if (lastTransit != Long.MIN_VALUE) {
            long d = Math.abs(transit - lastTransit);
            jitterNanos += (d - jitterNanos) / 16.0;
        }
        lastTransit = transit;
        long micros = transit / 1000;
        if (windowStart >= 0 && counter >= windowStart && (windowEnd < 0 || counter < windowEnd)) {
            receivedInWindow++;
            delays.record(micros);
        }
        return micros;
    }

    long sentInWindow() {
        if (windowStart < 0) {
            return 0;
        }
        return (windowEnd < 0 ? next : windowEnd) - windowStart;
    }

    double lossPercent() {
        long sent = sentInWindow();
        return sent == 0 ? 0 : Math.max(0, 100.0 * (sent - receivedInWindow) / sent);
    }
}
