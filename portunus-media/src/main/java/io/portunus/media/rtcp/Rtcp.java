package io.portunus.media.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RTCP compound packets (RFC 3550 §6, RFC 4585 §6): walking the packets of a compound,
 * reading NACKs, and building the feedback Portunus sends itself (PLI, receiver and sender
 * reports). Pure functions over byte arrays; malformed input yields nothing, never an
 * exception.
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    public static final int RTPFB = 205;
    public static final int PSFB = 206;
    public static final int FMT_NACK = 1;
    public static final int FMT_TWCC = 15;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;

    private Rtcp() {
    }

    /** One packet inside a compound: where it starts, its length in bytes, type and count/format. */
    public record Block(int offset, int length, int type, int format) {
    }

    /** The packets of a compound, or an empty list if any length field is inconsistent. */
    public static List<Block> blocks(byte[] b, int off, int len) {
        List<Block> out = new ArrayList<>(3);
        int pos = off;
        int end = off + len;
        while (pos + 4 <= end) {
            if ((b[pos] & 0xC0) != 0x80) {
                return List.of();
            }
            int words = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            int size = 4 * (words + 1);
            if (pos + size > end) {
                return List.of();
            }
            out.add(new Block(pos, size, b[pos + 1] & 0xFF, b[pos] & 0x1F));
            pos += size;
        }
        return pos == end ? out : List.of();
    }

    public static long senderSsrc(byte[] b, Block block) {
        return block.length() >= 8 ? read32(b, block.offset() + 4) : -1;
    }

    /** The media source SSRC of an RTPFB/PSFB feedback packet (RFC 4585 §6.1). */
    public static long mediaSsrc(byte[] b, Block block) {
        return block.length() >= 12 ? read32(b, block.offset() + 8) : -1;
    }

    /**
     * Rewrites sender and (for feedback) media-source SSRCs in place; a REMB keeps media source
     * 0 and gets {@code mediaSource} in its SSRC list instead.
     */
    public static void rewriteFeedback(byte[] b, Block block, long sender, long mediaSource) {
        if (Remb.isRemb(b, block)) {
            Remb.rewriteSsrcs(b, block, sender, mediaSource);
            return;
        }
        if (block.length() < 8) {
            return; // a bare header (length 0) has no SSRC to rewrite
        }
        write32(b, block.offset() + 4, sender);
        if (block.length() >= 12) {
            write32(b, block.offset() + 8, mediaSource);
        }
    }

    /** Sequence numbers asked for by a Generic NACK (RFC 4585 §6.2.1). */
    public static List<Integer> nackedSequences(byte[] b, Block block) {
        List<Integer> seqs = new ArrayList<>();
        for (int pos = block.offset() + 12; pos + 4 <= block.offset() + block.length(); pos += 4) {
            int pid = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            int blp = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            seqs.add(pid);
            for (int i = 0; i < 16; i++) {
                if ((blp & (1 << i)) != 0) {
                    seqs.add((pid + i + 1) & 0xFFFF);
                }
            }
        }
        return seqs;
    }

    /** A Picture Loss Indication (RFC 4585 §6.3.1). */
    public static byte[] pli(long sender, long mediaSource) {
        byte[] p = new byte[12];
        p[0] = (byte) (0x80 | FMT_PLI);
        p[1] = (byte) PSFB;
        p[3] = 2;
        write32(p, 4, sender);
        write32(p, 8, mediaSource);
        return p;
    }

    /**
     * A Full Intra Request (RFC 5104 §4.3.1) for one stream: the media source field unused (0),
     * one FCI entry with the SSRC asked and a sequence number that a new request increments (a
     * repeat of the same number is a retransmission the receiver ignores).
     */
    public static byte[] fir(long sender, long target, int sequence) {
        byte[] p = new byte[20];
        p[0] = (byte) (0x80 | FMT_FIR);
        p[1] = (byte) PSFB;
        p[3] = 4;
        write32(p, 4, sender);
        write32(p, 12, target);
        p[16] = (byte) sequence;
        return p;
    }

    /** The FCI entries of a FIR: {SSRC, sequence number} pairs (RFC 5104 §4.3.1.1). */
    public static List<long[]> firEntries(byte[] b, Block block) {
        List<long[]> out = new ArrayList<>();
        if (block.type() != PSFB || block.format() != FMT_FIR) {
            return out;
        }
        for (int at = block.offset() + 12; at + 8 <= block.offset() + block.length(); at += 8) {
            out.add(new long[] {read32(b, at), b[at + 4] & 0xFF});
        }
        return out;
    }

    /** The SSRCs a BYE says are leaving (RFC 3550 §6.6); as many as fit when the count overstates. */
    public static List<Long> byeSsrcs(byte[] b, Block block) {
        List<Long> out = new ArrayList<>();
        if (block.type() != BYE) {
            return out;
        }
        for (int i = 0; i < block.format() && block.offset() + 8 + 4 * i <= block.offset() + block.length(); i++) {
            out.add(read32(b, block.offset() + 4 + 4 * i));
        }
        return out;
    }

    /** The reason text of a BYE, or null when there is none or it does not fit. */
    public static String byeReason(byte[] b, Block block) {
        int at = block.offset() + 4 + 4 * block.format();
        int end = block.offset() + block.length();
        if (block.type() != BYE || at >= end || at + 1 + (b[at] & 0xFF) > end) {
            return null;
        }
        return new String(b, at + 1, b[at] & 0xFF, StandardCharsets.UTF_8);
    }

    /** A Generic NACK for the given sequence numbers, packed into PID/BLP pairs. */
    public static byte[] nack(long sender, long mediaSource, List<Integer> sequences) {
        List<int[]> fci = new ArrayList<>();
        for (int seq : sequences) {
            int[] last = fci.isEmpty() ? null : fci.get(fci.size() - 1);
            int delta = last == null ? -1 : ((seq - last[0]) & 0xFFFF);
            if (last != null && delta >= 1 && delta <= 16) {
                last[1] |= 1 << (delta - 1);
            } else {
                fci.add(new int[] {seq & 0xFFFF, 0});
            }
        }
        byte[] p = new byte[12 + 4 * fci.size()];
        p[0] = (byte) (0x80 | FMT_NACK);
        p[1] = (byte) RTPFB;
        int words = p.length / 4 - 1;
        p[2] = (byte) (words >>> 8);
        p[3] = (byte) words;
        write32(p, 4, sender);
        write32(p, 8, mediaSource);
        for (int i = 0; i < fci.size(); i++) {
            int at = 12 + 4 * i;
            p[at] = (byte) (fci.get(i)[0] >>> 8);
            p[at + 1] = (byte) fci.get(i)[0];
            p[at + 2] = (byte) (fci.get(i)[1] >>> 8);
            p[at + 3] = (byte) fci.get(i)[1];
        }
        return p;
    }

    /** One reception report block (RFC 3550 §6.4.1). */
    public record ReportBlock(long ssrc, int fractionLost, long cumulativeLost, long extendedHighestSeq, long jitter,
                              long lastSr, long delaySinceLastSr) {
    }

    /**
     * A compound packet as a sender or receiver reports (RFC 3550 §6.1): SR (when {@code sender})
     * or RR, with {@code block} when not null, then SDES with the CNAME.
     */
    public static byte[] report(long ssrc, boolean sender, long ntpSeconds, long ntpFraction, long rtpTimestamp,
                                long packets, long octets, ReportBlock block, String cname) {
        int blocks = block == null ? 0 : 1;
        int reportLength = (sender ? 28 : 8) + 24 * blocks;
        byte[] name = cname.getBytes(StandardCharsets.US_ASCII);
        int sdesLength = (8 + 2 + name.length + 1 + 3) & ~3; // header, ssrc, item, end, padding to 32 bits
        byte[] p = new byte[reportLength + sdesLength];
        p[0] = (byte) (0x80 | blocks);
        p[1] = (byte) (sender ? SR : RR);
        p[3] = (byte) (reportLength / 4 - 1);
        write32(p, 4, ssrc);
        int at = 8;
        if (sender) {
            write32(p, 8, ntpSeconds);
            write32(p, 12, ntpFraction);
            write32(p, 16, rtpTimestamp);
            write32(p, 20, packets);
            write32(p, 24, octets);
            at = 28;
        }
        if (block != null) {
            write32(p, at, block.ssrc());
            long lost = Math.max(0, Math.min(block.cumulativeLost(), 0x7FFFFF));
            write32(p, at + 4, ((long) (block.fractionLost() & 0xFF) << 24) | lost);
            write32(p, at + 8, block.extendedHighestSeq());
            write32(p, at + 12, block.jitter());
            write32(p, at + 16, block.lastSr());
            write32(p, at + 20, block.delaySinceLastSr());
        }
        int sdes = reportLength;
        p[sdes] = (byte) 0x81;
        p[sdes + 1] = (byte) SDES;
        p[sdes + 3] = (byte) (sdesLength / 4 - 1);
        write32(p, sdes + 4, ssrc);
        p[sdes + 8] = 1; // CNAME
        p[sdes + 9] = (byte) name.length;
        System.arraycopy(name, 0, p, sdes + 10, name.length);
        return p;
    }

    public static long read32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    public static void write32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
