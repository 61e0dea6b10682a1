package io.portunus.media.rtcp;

/**
 * When to tell a sender our bitrate cap with a REMB, as Janus's VideoRoom tells its publishers
 * (observed from Janus 1.1.2 with a 128 kbit/s room: 32000, 42666, 64000 then 128000 on the
 * first video packets, then 128000 every 5 s): a ramp of four REMBs at cap/4, cap/3, cap/2 and
 * the cap, then the cap every {@link #PERIOD_MICROS}. A new cap is told at once; a cap lifted (0)
 * is told once with {@link #NO_CAP}, so the sender does not keep the old one. Driven by the
 * sender's packets and the time they bring; one instance per publisher, used on its I/O thread.
 */
public final class RembSchedule {
    public static final long PERIOD_MICROS = 5_000_000;
    /** What a REMB says to lift a cap (bps): far above any camera. */
    public static final long NO_CAP = 10_000_000_000L;
    private static final int RAMP = 4;

    private int rampLeft = RAMP;
    private long lastCap;
    private long lastMicros;
    private long sent;

    /** The bitrate to send in a REMB now, or -1 for none; {@code cap} is the cap now (0: none). */
    public long due(long nowMicros, long cap) {
        if (cap <= 0) {
            if (lastCap > 0) {
                lastCap = 0;
                return sent(nowMicros, NO_CAP);
            }
            return -1;
        }
        if (rampLeft > 0 && (lastCap == 0 || lastCap == cap)) {
            lastCap = cap;
            return sent(nowMicros, cap / rampLeft--);
        }
        if (cap != lastCap || nowMicros - lastMicros >= PERIOD_MICROS) {
            rampLeft = 0;
            lastCap = cap;
            return sent(nowMicros, cap);
        }
        return -1;
    }

    private long sent(long nowMicros, long bitrate) {
        lastMicros = nowMicros;
        sent++;
        return bitrate;
    }

    /** REMBs this schedule asked for. */
    public long sent() {
        return sent;
    }
}
