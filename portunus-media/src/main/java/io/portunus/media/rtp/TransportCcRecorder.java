package io.portunus.media.rtp;

import io.portunus.media.rtcp.TransportFeedback;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receive side of transport-wide congestion control: remembers each incoming packet's
 * transport-wide sequence number and arrival time, and turns what arrived since the last
 * feedback into RTCP transport feedback packets, so the peer's send-side bandwidth estimator
 * learns the delays and losses on the path. Sans-IO: the caller passes arrival times and sends
 * what {@link #feedback} returns. Not thread-safe (one PeerConnection's I/O thread).
 *
 * <p>Every sequence number from the end of the previous feedback on is reported, so packets that
 * never came show up as lost; one that comes after its range was reported is only counted as
 * late (the peer has already taken it for lost).
 */
public final class TransportCcRecorder {
    /**
     * Received packets per feedback packet: each costs at most 2 bytes of delta and, in the worst
     * mix of losses, about 4 bytes of status chunks, so 180 keep a feedback packet under 1200 bytes.
     */
    static final int MAX_RECEIVED_PER_FEEDBACK = 180;
    /** Bounds memory if feedback is never asked for. */
    static final int MAX_PENDING = 8192;
    /** A gap longer than this before the first pending packet is skipped instead of reported. */
    static final int MAX_REPORTED_GAP = 0x7FFF;

    /** extended sequence -> arrival (µs), received and not yet reported. */
    private final TreeMap<Long, Long> pending = new TreeMap<>();
    private boolean started;
    private long highest;
    /** The first extended sequence number not yet reported; -1 before the first feedback. */
    private long nextToReport = -1;
    private int feedbackCount;
    private long late;

    /** A packet arrived carrying transport-wide sequence number {@code sequence} (16 bits). */
    public void received(int sequence, long arrivalMicros) {
        int seq = sequence & 0xFFFF;
        long extended;
        if (!started) {
            started = true;
            extended = (1L << 16) | seq; // one cycle up, so a reordered packet before it stays positive
            highest = extended;
        } else {
            extended = highest + (short) (seq - (int) (highest & 0xFFFF));
            highest = Math.max(highest, extended);
        }
        if (extended < nextToReport) {
            late++;
            return;
        }
        pending.putIfAbsent(extended, arrivalMicros);
        if (pending.size() > MAX_PENDING) {
            pending.pollFirstEntry();
        }
    }

    /**
     * Feedback about everything received since the last call (empty when nothing was): usually
     * one packet, more when a delta does not fit 16 bits or too many packets came.
     */
    public List<byte[]> feedback(long senderSsrc, long mediaSsrc) {
        List<byte[]> out = new ArrayList<>(1);
        while (!pending.isEmpty()) {
            long first = pending.firstKey();
            long base = nextToReport < 0 || first - nextToReport > MAX_REPORTED_GAP ? first : nextToReport;
            long reference = Math.floorDiv(pending.firstEntry().getValue(), (long) TransportFeedback.REFERENCE_MICROS);
            long lastTicks = reference * TransportFeedback.TICKS_PER_REFERENCE;
            List<Integer> deltas = new ArrayList<>();
            long next = base;
            int received = 0;
            for (Iterator<Map.Entry<Long, Long>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Long> e = it.next();
                long seq = e.getKey();
                long ticks = Math.floorDiv(e.getValue(), (long) TransportFeedback.TICK_MICROS);
                long delta = ticks - lastTicks;
                if (received == MAX_RECEIVED_PER_FEEDBACK || !TransportFeedback.fits(delta)
                        || seq - base + 1 > TransportFeedback.MAX_STATUS_COUNT) {
                    break; // the rest goes into the next packet, with its own reference time
                }
                for (; next < seq; next++) {
                    deltas.add(null);
                }
                deltas.add((int) delta);
                next++;
                received++;
                lastTicks = ticks;
                it.remove();
            }
            out.add(TransportFeedback.build(senderSsrc, mediaSsrc, (int) (base & 0xFFFF), (int) (reference & 0xFFFFFF),
                    feedbackCount, deltas));
            feedbackCount = (feedbackCount + 1) & 0xFF;
            nextToReport = next;
        }
        return out;
    }

    /** Packets that arrived after their sequence number had been reported lost. */
    public long late() {
        return late;
    }
}
