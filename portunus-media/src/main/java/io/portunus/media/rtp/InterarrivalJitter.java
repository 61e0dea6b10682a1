package io.portunus.media.rtp;

/**
 * RFC 3550 §6.4.1 / A.8 interarrival jitter of one received RTP stream, in the stream's RTP
 * clock units: for consecutive packets i-1, i the difference D of (arrival - RTP timestamp),
 * smoothed as J += (|D| - J) / 16. Arrival times are given in microseconds and converted with
 * the stream's clock rate (8 kHz for PCMU/PCMA/G722, 48 kHz for Opus, 90 kHz for video).
 * Kept as J·16 in a long so the 1/16 gain loses no precision. Sans-IO: the caller passes the
 * time.
 */
public final class InterarrivalJitter {
    private int clockRate;
    private boolean started;
    private long lastTransit;
    private long scaled; // J * 16

    public InterarrivalJitter(int clockRate) {
        this.clockRate = clockRate;
    }

    /** The clock of the negotiated codec; a change restarts the estimate (old transits are in other units). */
    public void clockRate(int rate) {
        if (rate > 0 && rate != clockRate) {
            clockRate = rate;
            started = false;
            scaled = 0;
        }
    }

    public int clockRate() {
        return clockRate;
    }

    /**
     * A packet in sequence arrived at {@code arrivalMicros} with RTP timestamp {@code rtpTimestamp}.
     * Retransmissions and duplicates should not be passed: their timestamps are old.
     */
    public void arrived(long arrivalMicros, long rtpTimestamp) {
        long arrivalUnits = arrivalMicros * clockRate / 1_000_000L;
        long transit = (arrivalUnits - rtpTimestamp) & 0xFFFFFFFFL;
        if (started) {
            int d = (int) (transit - lastTransit); // both are 32-bit: the wrap-around difference
            long abs = Math.abs((long) d);
            scaled += abs - ((scaled + 8) >> 4);
        }
        lastTransit = transit;
        started = true;
    }

    /** J in RTP timestamp units, as a report block carries it. */
    public long units() {
        return scaled >> 4;
    }

    /** J in milliseconds, floored (Janus's {@code jitter-local} unit). */
    public long millis() {
        return clockRate <= 0 ? 0 : units() * 1000 / clockRate;
    }

    /** Whether at least two packets were seen, so the figure is a measurement. */
    public boolean measured() {
        return started;
    }
}
