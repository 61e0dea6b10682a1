package io.portunus.media.rtp;

/**
 * A 0-100 link-quality estimate for one direction of a stream, as handle_info's
 * {@code in-link-quality}/{@code out-link-quality} report it (Portunus's own formula, written
 * down in docs/architecture.md): each interval scores 100 times the share of expected packets
 * that arrived, less one point per 5 ms of jitter above 30 ms; the estimate follows the scores
 * with a gain of 1/4, so one bad second moves it by a quarter of the drop. Unmeasured (no
 * interval with expected packets yet) it reads 0, as Janus's does.
 */
public final class LinkQuality {
    private static final int JITTER_ALLOWANCE_MS = 30;
    private static final int JITTER_MS_PER_POINT = 5;
    private double estimate = -1;

    /**
     * One interval: {@code expected} packets, {@code lost} of them missing (clamped to
     * 0..expected), with {@code jitterMillis} of interarrival jitter. Nothing expected: no change.
     */
    public void interval(long expected, long lost, long jitterMillis) {
        if (expected <= 0) {
            return;
        }
        long missing = Math.max(0, Math.min(expected, lost));
        double score = 100.0 * (expected - missing) / expected;
        score -= Math.max(0, jitterMillis - JITTER_ALLOWANCE_MS) / (double) JITTER_MS_PER_POINT;
        score = Math.max(0, score);
        estimate = estimate < 0 ? score : estimate + (score - estimate) / 4;
    }

    /** A report's 8-bit fraction lost (RFC 3550 §6.4.1) as an interval of 256 expected packets. */
    public void fractionLost(int fraction, long jitterMillis) {
        interval(256, fraction & 0xFF, jitterMillis);
    }

    public boolean measured() {
        return estimate >= 0;
    }

    /** The estimate rounded, 0 while unmeasured. */
    public int value() {
        return estimate < 0 ? 0 : (int) Math.round(estimate);
    }
}
