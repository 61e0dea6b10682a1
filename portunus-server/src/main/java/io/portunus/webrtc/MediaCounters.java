package io.portunus.webrtc;

/**
 * Media counters summed over streams, by counter, direction and kind: what the metrics show as
 * {@code portunus_media_*_total{direction, kind}}. A plain value object, filled at scrape time
 * from the streams' own counters (the packet path writes nothing here).
 */
public final class MediaCounters {
    /** What is counted. "in" is from the peer to us, "out" from us to the peer. */
    public enum Counter {
        /** RTP packets (retransmissions included). */
        PACKETS,
        /** RTP bytes after SRTP unprotect / before protect. */
        BYTES,
        /** NACKed sequence numbers: in, the peer's NACKs about our stream; out, ours about its stream. */
        NACKS,
        /** Retransmissions: in, received from the peer (RTX or repeated); out, sent for its NACKs. */
        RETRANSMISSIONS,
        /** Lost packets: in, as we detect them; out, as the peer's receiver reports say. */
        LOST
    }

    private final long[] values = new long[Counter.values().length * 4];

    private static int index(Counter counter, boolean out, boolean video) {
        return counter.ordinal() * 4 + (out ? 2 : 0) + (video ? 1 : 0);
    }

    public long get(Counter counter, boolean out, boolean video) {
        return values[index(counter, out, video)];
    }

    void add(Counter counter, boolean out, boolean video, long value) {
        values[index(counter, out, video)] += value;
    }

    void addAll(MediaCounters other) {
        for (int i = 0; i < values.length; i++) {
            values[i] += other.values[i];
        }
    }

    /** One stream's counters (volatile reads; called off the loop). */
    void add(MediaStream s) {
        boolean v = s.video;
        add(Counter.PACKETS, false, v, s.packetsIn);
        add(Counter.PACKETS, true, v, s.packetsOut);
        add(Counter.BYTES, false, v, s.bytesIn);
        add(Counter.BYTES, true, v, s.bytesOut);
        add(Counter.NACKS, false, v, s.nacksIn);
        add(Counter.NACKS, true, v, s.nacksOut);
        add(Counter.RETRANSMISSIONS, false, v, s.retransmissionsIn);
        add(Counter.RETRANSMISSIONS, true, v, s.retransmissionsOut);
        add(Counter.LOST, false, v, s.loss.lostCount());
        // The peer's cumulative count may step back (duplicates, RFC 3550 §6.4.1): never below 0.
        add(Counter.LOST, true, v, Math.max(0, s.lostByRemote));
    }
}
