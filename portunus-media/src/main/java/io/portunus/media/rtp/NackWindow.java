package io.portunus.media.rtp;

/**
 * How long sent video stays in the retransmission buffer (media.md §4): RTT + 100 ms, smoothed
 * as {@code (7 * old + target) / 8} at each new RTT estimate, within [{@code min_nack_queue},
 * 1000 ms]. Unlike Janus, whose buffer is off (0 ms) until the first RTT is known, the window is
 * {@code min_nack_queue} until then, so losses in the first seconds of a call are repaired too.
 */
public final class NackWindow {
    public static final int MAX_MS = 1000;
    /** The floor Portunus has always kept, whatever min_nack_queue says. */
    public static final int FLOOR_MS = 100;

    private int smoothedMs = -1;

    /** A new round-trip estimate, in ms (negative: none). */
    public void rtt(int rttMs) {
        if (rttMs < 0) {
            return;
        }
        int target = Math.min(rttMs + 100, MAX_MS);
        smoothedMs = smoothedMs < 0 ? target : (7 * smoothedMs + target) / 8;
    }

    /** The window now, with the live {@code min_nack_queue}. */
    public int windowMs(int minNackQueueMs) {
        int low = Math.min(Math.max(minNackQueueMs, FLOOR_MS), MAX_MS);
        return smoothedMs < 0 ? low : Math.max(low, Math.min(smoothedMs, MAX_MS));
    }
}
