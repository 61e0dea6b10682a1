package io.portunus.media.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03 §2.2): a PSFB (206)
 * application-layer feedback (FMT 15) with the identifier "REMB", the bitrate as an 18-bit
 * mantissa and a 6-bit exponent, and the SSRCs it applies to. Browsers take it as an upper
 * bound on what they send. Pure functions; malformed input gives -1 or an empty list.
 */
public final class Remb {
    private static final int IDENTIFIER = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';
    private static final int MAX_MANTISSA = (1 << 18) - 1;
    private static final int FIXED = 20;

    private Remb() {
    }

    /** A REMB from {@code sender} capping {@code ssrcs} at {@code bitrate} bps (media source 0, as the draft says). */
    public static byte[] build(long sender, long bitrate, List<Long> ssrcs) {
        int count = Math.min(ssrcs.size(), 255);
        byte[] p = new byte[FIXED + 4 * count];
        p[0] = (byte) (0x80 | Rtcp.FMT_AFB);
        p[1] = (byte) Rtcp.PSFB;
        int words = p.length / 4 - 1;
        p[2] = (byte) (words >>> 8);
        p[3] = (byte) words;
        Rtcp.write32(p, 4, sender);
        Rtcp.write32(p, 12, IDENTIFIER & 0xFFFFFFFFL);
        writeBitrate(p, 16, count, Math.max(0, bitrate));
        for (int i = 0; i < count; i++) {
            Rtcp.write32(p, FIXED + 4 * i, ssrcs.get(i));
        }
        return p;
    }

    /** Whether the block is a well-formed REMB (type, format, identifier, room for its SSRCs). */
    public static boolean isRemb(byte[] b, Rtcp.Block block) {
        if (block.type() != Rtcp.PSFB || block.format() != Rtcp.FMT_AFB || block.length() < FIXED) {
            return false;
        }
        int at = block.offset();
        if (at < 0 || at + block.length() > b.length || (int) Rtcp.read32(b, at + 12) != IDENTIFIER) {
            return false;
        }
        int count = b[at + 16] & 0xFF;
        return FIXED + 4 * count <= block.length();
    }

    /** The bitrate in bps, or -1 when the block is not a REMB. Exponents too large for a long saturate. */
    public static long bitrate(byte[] b, Rtcp.Block block) {
        if (!isRemb(b, block)) {
            return -1;
        }
        int at = block.offset() + 17;
        int exponent = (b[at] & 0xFF) >>> 2;
        long mantissa = ((long) (b[at] & 0x03) << 16) | ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
        if (mantissa == 0) {
            return 0;
        }
        return mantissa > (Long.MAX_VALUE >>> exponent) ? Long.MAX_VALUE : mantissa << exponent;
    }

    /** The SSRCs the REMB applies to, or an empty list. */
    public static List<Long> ssrcs(byte[] b, Rtcp.Block block) {
        if (!isRemb(b, block)) {
            return List.of();
        }
        int count = b[block.offset() + 16] & 0xFF;
        List<Long> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(Rtcp.read32(b, block.offset() + FIXED + 4 * i));
        }
        return out;
    }

    /** Lowers the REMB's bitrate to {@code max} when it is higher; returns the bitrate now in it, or -1. */
    public static long cap(byte[] b, Rtcp.Block block, long max) {
        long current = bitrate(b, block);
        if (current < 0 || current <= max) {
            return current;
        }
        writeBitrate(b, block.offset() + 16, b[block.offset() + 16] & 0xFF, max);
        return bitrate(b, block);
    }

    /** Points every SSRC of the list at {@code ssrc} and zeroes the media source (the core's SSRC fix-up). */
    public static void rewriteSsrcs(byte[] b, Rtcp.Block block, long sender, long ssrc) {
        if (!isRemb(b, block)) {
            return;
        }
        Rtcp.write32(b, block.offset() + 4, sender);
        Rtcp.write32(b, block.offset() + 8, 0);
        int count = b[block.offset() + 16] & 0xFF;
        for (int i = 0; i < count; i++) {
            Rtcp.write32(b, block.offset() + FIXED + 4 * i, ssrc);
        }
    }

    /**
     * Count, exponent and mantissa at {@code at}: the smallest exponent whose mantissa fits 18
     * bits, rounding down so the cap is never above what was asked for.
     */
    private static void writeBitrate(byte[] p, int at, int count, long bitrate) {
        int exponent = 0;
        while ((bitrate >>> exponent) > MAX_MANTISSA) {
            exponent++;
        }
        long mantissa = bitrate >>> exponent;
        p[at] = (byte) count;
        p[at + 1] = (byte) ((exponent << 2) | (int) (mantissa >>> 16));
        p[at + 2] = (byte) (mantissa >>> 8);
        p[at + 3] = (byte) mantissa;
    }
}
