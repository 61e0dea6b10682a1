package io.portunus.media.rtcp;


/**
 * Round-trip time from the peer's report blocks about our streams (RFC 3550 §6.4.1): the peer
 * echoes the middle 32 bits of our last sender report's NTP time (LSR) and how long it held it
 * (DLSR), so RTT = arrival − LSR − DLSR, all in the 1/65536 s units of those 32 bits (which wrap
 * every 18 hours; the subtraction is modulo 2^32). Our sender reports and the arrival times must
 * come from the same wall clock: {@link #ntp} for both.
 */
public final class RoundTrip {
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    public static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private RoundTrip() {
    }

    /** A 64-bit NTP timestamp (seconds in the high 32 bits, fraction in the low) for wall-clock µs. */
    public static long ntp(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L) + NTP_UNIX_OFFSET;
        long micros = Math.floorMod(epochMicros, 1_000_000L);
        return (seconds << 32) | ((micros << 32) / 1_000_000L);
    }

    /** The middle 32 bits of an NTP timestamp, as LSR carries it. */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }

    /**
     * The round trip in 1/65536 s, or -1 when the block has no LSR (the peer has no sender report
     * of ours yet). A small negative result (clock granularity on a fast path) counts as 0.
     */
    public static long units(long arrivalCompact, long lastSr, long delaySinceLastSr) {
        if (lastSr == 0) {
            return -1;
        }
        int rtt = (int) ((arrivalCompact - lastSr - delaySinceLastSr) & 0xFFFFFFFFL);
        return Math.max(0, rtt);
    }

    /** 1/65536 s units to whole milliseconds, rounded. */
    public static int millis(long units) {
        return (int) ((units * 1000 + 32_768) / 65_536);
    }
}
