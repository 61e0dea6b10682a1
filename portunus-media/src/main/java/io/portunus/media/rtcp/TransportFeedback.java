package io.portunus.media.rtcp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Transport-wide congestion control feedback (RTPFB FMT 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for a range of transport-wide
 * sequence numbers, which packets arrived and when. Layout after the 12-byte feedback header:
 * base sequence (16), packet status count (16), reference time (24, in 64 ms units), feedback
 * packet count (8), packet status chunks (16 bits each), then one receive delta per received
 * packet (1 byte for 0..255 ticks, 2 signed bytes otherwise; a tick is 250 µs), zero-padded to
 * 32 bits. Pure functions over byte arrays: the parser returns null for anything malformed and
 * never throws.
 */
public final class TransportFeedback {
    /** One tick of a receive delta, in µs. */
    public static final int TICK_MICROS = 250;
    /** One unit of the reference time, in µs. */
    public static final int REFERENCE_MICROS = 64_000;
    /** Reference-time units in ticks: 64 ms / 250 µs. */
    public static final int TICKS_PER_REFERENCE = REFERENCE_MICROS / TICK_MICROS;
    public static final int MAX_STATUS_COUNT = 0xFFFF;

    static final int NOT_RECEIVED = 0;
    static final int SMALL_DELTA = 1;
    static final int LARGE_DELTA = 2;

    private static final int HEADER = 20;
    private static final int MAX_RUN = 0x1FFF;

    private TransportFeedback() {
    }

    /**
     * A parsed feedback packet.
     *
     * @param referenceTime 24-bit, in 64 ms units
     * @param deltas one per packet status, in sequence order from {@code baseSequence}: the
     *               receive delta in 250 µs ticks, or null when the packet was not received
     */
    public record Feedback(long senderSsrc, long mediaSsrc, int baseSequence, int referenceTime, int feedbackCount,
                           List<Integer> deltas) {

        public int statusCount() {
            return deltas.size();
        }

        public long receivedCount() {
            return deltas.stream().filter(d -> d != null).count();
        }

        /**
         * Arrival times in µs from the start of the reference clock (null when lost): the
         * reference time plus the running sum of the deltas.
         */
        public List<Long> arrivalMicros() {
            List<Long> out = new ArrayList<>(deltas.size());
            long ticks = (long) referenceTime * TICKS_PER_REFERENCE;
            for (Integer d : deltas) {
                if (d == null) {
                    out.add(null);
                } else {
                    ticks += d;
                    out.add(ticks * TICK_MICROS);
                }
            }
            return out;
        }
    }

    /** Whether a delta fits the 2-byte form; a caller with one that does not starts a new packet. */
    public static boolean fits(long deltaTicks) {
        return deltaTicks >= Short.MIN_VALUE && deltaTicks <= Short.MAX_VALUE;
    }

    /**
     * Builds a feedback packet.
     *
     * @param deltas one entry per sequence number from {@code baseSequence}: delta in ticks
     *               (each must satisfy {@link #fits}), or null for a packet not received; 1 to
     *               65535 entries
     */
    public static byte[] build(long senderSsrc, long mediaSsrc, int baseSequence, int referenceTime, int feedbackCount,
                               List<Integer> deltas) {
        int count = deltas.size();
        if (count == 0 || count > MAX_STATUS_COUNT) {
            throw new IllegalArgumentException("packet status count " + count);
        }
        int[] symbols = new int[count];
        int deltaBytes = 0;
        for (int i = 0; i < count; i++) {
            Integer d = deltas.get(i);
            if (d == null) {
                symbols[i] = NOT_RECEIVED;
            } else if (!fits(d)) {
                throw new IllegalArgumentException("receive delta " + d + " does not fit 16 bits");
            } else {
                symbols[i] = d >= 0 && d <= 0xFF ? SMALL_DELTA : LARGE_DELTA;
                deltaBytes += symbols[i];
            }
        }
        List<Integer> chunks = chunks(symbols);
        int unpadded = HEADER + 2 * chunks.size() + deltaBytes;
        int length = (unpadded + 3) & ~3;
        byte[] p = new byte[length];
        p[0] = (byte) (0x80 | Rtcp.FMT_TWCC);
        p[1] = (byte) Rtcp.RTPFB;
        int words = length / 4 - 1;
        p[2] = (byte) (words >>> 8);
        p[3] = (byte) words;
        Rtcp.write32(p, 4, senderSsrc);
        Rtcp.write32(p, 8, mediaSsrc);
        write16(p, 12, baseSequence);
        write16(p, 14, count);
        Rtcp.write32(p, 16, ((long) (referenceTime & 0xFFFFFF) << 8) | (feedbackCount & 0xFF));
        int at = HEADER;
        for (int chunk : chunks) {
            write16(p, at, chunk);
            at += 2;
        }
        for (int i = 0; i < count; i++) {
            if (symbols[i] == SMALL_DELTA) {
                p[at++] = (byte) (int) deltas.get(i);
            } else if (symbols[i] == LARGE_DELTA) {
                write16(p, at, deltas.get(i));
                at += 2;
            }
        }
        return p; // the tail is zero padding, within the length field as the draft's examples do
    }

    /**
     * Packet status chunks for the symbols: a run-length chunk for 7 or more equal symbols in a
     * row, else a status vector of 14 one-bit symbols (when they are all "not received" or
     * "small delta") or 7 two-bit ones. A vector past the last symbol is padded with zeros;
     * the status count tells the reader where to stop.
     */
    static List<Integer> chunks(int[] symbols) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while (i < symbols.length) {
            int run = 1;
            while (i + run < symbols.length && symbols[i + run] == symbols[i] && run < MAX_RUN) {
                run++;
            }
            if (run >= 7) {
                out.add((symbols[i] << 13) | run);
                i += run;
                continue;
            }
            int oneBit = Math.min(14, symbols.length - i);
            boolean fitsOneBit = true;
            for (int k = 0; k < oneBit; k++) {
                fitsOneBit &= symbols[i + k] <= SMALL_DELTA;
            }
            int chunk;
            if (fitsOneBit) {
                chunk = 0x8000;
                for (int k = 0; k < oneBit; k++) {
                    chunk |= symbols[i + k] << (13 - k);
                }
                i += oneBit;
            } else {
                chunk = 0xC000;
                int twoBit = Math.min(7, symbols.length - i);
                for (int k = 0; k < twoBit; k++) {
                    chunk |= symbols[i + k] << (12 - 2 * k);
                }
                i += twoBit;
            }
            out.add(chunk);
        }
        return out;
    }

    /** Parses an RTPFB FMT 15 block of a compound, or null when it is not one or is malformed. */
    public static Feedback parse(byte[] b, Rtcp.Block block) {
        if (block.type() != Rtcp.RTPFB || block.format() != Rtcp.FMT_TWCC || block.length() < HEADER
                || block.offset() < 0 || block.offset() + block.length() > b.length) {
            return null;
        }
        int start = block.offset();
        int end = start + block.length();
        if ((b[start] & 0x20) != 0) { // RTCP padding: its last byte says how much
            int padding = b[end - 1] & 0xFF;
            if (padding == 0 || end - padding < start + HEADER) {
                return null;
            }
            end -= padding;
        }
        int base = read16(b, start + 12);
        int count = read16(b, start + 14);
        long word = Rtcp.read32(b, start + 16);
        if (count == 0) {
            return null;
        }
        int[] symbols = new int[count];
        int filled = 0;
        int at = start + HEADER;
        while (filled < count) {
            if (at + 2 > end) {
                return null;
            }
            int chunk = read16(b, at);
            at += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 0x3;
                int run = chunk & MAX_RUN;
                if (symbol == 3 || run == 0) {
                    return null;
                }
                for (int k = 0; k < run && filled < count; k++) {
                    symbols[filled++] = symbol;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 0; k < 14 && filled < count; k++) {
                    symbols[filled++] = (chunk >>> (13 - k)) & 0x1;
                }
            } else {
                for (int k = 0; k < 7 && filled < count; k++) {
                    int symbol = (chunk >>> (12 - 2 * k)) & 0x3;
                    if (symbol == 3) {
                        return null;
                    }
                    symbols[filled++] = symbol;
                }
            }
        }
        List<Integer> deltas = new ArrayList<>(count);
        for (int symbol : symbols) {
            if (symbol == NOT_RECEIVED) {
                deltas.add(null);
            } else if (symbol == SMALL_DELTA) {
                if (at + 1 > end) {
                    return null;
                }
                deltas.add(b[at++] & 0xFF);
            } else {
                if (at + 2 > end) {
                    return null;
                }
                deltas.add((int) (short) read16(b, at));
                at += 2;
            }
        }
        return new Feedback(Rtcp.read32(b, start + 4), Rtcp.read32(b, start + 8), base, (int) (word >>> 8),
                (int) (word & 0xFF), Collections.unmodifiableList(deltas)); // nulls: List.copyOf would refuse
    }

    static int read16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static void write16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
