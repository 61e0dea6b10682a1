package io.portunus.media.rtp;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Receive-side sequence tracking for one stream: counts packets, notices gaps, and says which
 * sequence numbers to NACK (RFC 4585 §6.2.1) — each missing packet is asked for a few times,
 * spaced by roughly an RTT, then given up. Sans-IO: the caller passes the time and sends the
 * NACK it gets back.
 */
public final class LossDetector {
    private static final int MAX_TRACKED = 512;
    private static final int MAX_RETRIES = 3;

    private boolean started;
    /** The first sequence number received (RFC 3550 A.3 base_seq). */
    private int base;
    private int highest;
    private long received;
    private long lost;
    /** Sequence numbers that were missing when a later one arrived, whether or not they came later. */
    private long gaps;
    private long nacked;
    /** missing sequence (extended) -> {next time to ask (µs), times asked}. */
    private final TreeMap<Long, long[]> missing = new TreeMap<>();
    private long cycles;

    /** Records a received packet; returns false for a duplicate or very old one. */
    public boolean received(int seq, long nowMicros) {
        received++;
        if (!started) {
            started = true;
            base = seq;
            highest = seq;
            return true;
        }
        int delta = (short) (seq - highest);
        if (delta > 0) {
            if (seq < highest) {
                cycles++;
            }
            for (int i = 1; i < delta && i <= MAX_TRACKED; i++) {
                missing.put(extended((highest + i) & 0xFFFF), new long[] {nowMicros, 0});
            }
            lost += Math.max(0, delta - 1);
            gaps += Math.max(0, delta - 1);
            highest = seq;
            while (missing.size() > MAX_TRACKED) {
                missing.pollFirstEntry();
            }
            return true;
        }
        // Late or retransmitted: no longer missing.
        if (missing.remove(extendedLate(seq)) != null) {
            lost--;
            return true;
        }
        return false;
    }

    /** Sequence numbers to NACK now; each is asked again after {@code retryMicros}, up to 3 times. */
    public List<Integer> due(long nowMicros, long retryMicros) {
        List<Integer> out = new ArrayList<>();
        var it = missing.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            long[] state = e.getValue();
            if (state[1] >= MAX_RETRIES) {
                it.remove();
                continue;
            }
            if (state[0] <= nowMicros) {
                out.add((int) (e.getKey() & 0xFFFF));
                state[1]++;
                state[0] = nowMicros + retryMicros;
            }
        }
        nacked += out.size();
        return out;
    }

    private long extended(int seq) {
        return (cycles << 16) | seq;
    }

    private long extendedLate(int seq) {
        long c = seq > highest ? cycles - 1 : cycles;
        return (c << 16) | seq;
    }

    /** The extended highest sequence number received (cycles in the high 16 bits), for reports. */
    public long extendedHighest() {
        return started ? ((cycles << 16) | highest) & 0xFFFFFFFFL : 0;
    }

    /**
     * Packets expected so far, from the first sequence number received to the highest (RFC 3550
     * A.3): what a report's fraction lost is an interval of, including the first interval.
     */
    public long expectedCount() {
        return started ? ((cycles << 16) | highest) - base + 1 : 0;
    }

    public long receivedCount() {
        return received;
    }

    public long lostCount() {
        return lost;
    }

    /** Losses on the wire: every gap ever seen, including the packets a retransmission filled later. */
    public long gapCount() {
        return gaps;
    }

    public long nackedCount() {
        return nacked;
    }
}
