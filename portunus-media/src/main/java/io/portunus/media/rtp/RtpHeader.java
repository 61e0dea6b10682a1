package io.portunus.media.rtp;

/**
 * Reads and rewrites RTP fixed headers in place (RFC 3550 §5.1), without copying: the packet
 * path hands byte arrays around and these helpers look at or change a few fields.
 */
public final class RtpHeader {
    public static final int FIXED_LENGTH = 12;

    private RtpHeader() {
    }

    /** RTP or RTCP (version 2) as opposed to STUN/DTLS: first byte 128..191 (RFC 7983 §7). */
    public static boolean isRtpOrRtcp(byte[] b, int off, int len) {
        return len >= 2 && (b[off] & 0xC0) == 0x80;
    }

    /** RTCP if the second byte is a payload type 192..223 (RFC 5761 §4). */
    public static boolean isRtcp(byte[] b, int off, int len) {
        if (len < 8 || !isRtpOrRtcp(b, off, len)) {
            return false;
        }
        int pt = b[off + 1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    /** A plausible RTP packet: version 2, not RTCP, long enough for its CSRCs and extension. */
    public static boolean isValidRtp(byte[] b, int off, int len) {
        if (len < FIXED_LENGTH || !isRtpOrRtcp(b, off, len) || isRtcp(b, off, len)) {
            return false;
        }
        return payloadOffset(b, off, len) <= len;
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7F;
    }

    public static void payloadType(byte[] b, int off, int pt) {
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (pt & 0x7F));
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static int sequence(byte[] b, int off) {
        return ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static void sequence(byte[] b, int off, int seq) {
        b[off + 2] = (byte) (seq >>> 8);
        b[off + 3] = (byte) seq;
    }

    public static long timestamp(byte[] b, int off) {
        return readUint32(b, off + 4);
    }

    public static void timestamp(byte[] b, int off, long ts) {
        writeUint32(b, off + 4, ts);
    }

    public static long ssrc(byte[] b, int off) {
        return readUint32(b, off + 8);
    }

    public static void ssrc(byte[] b, int off, long ssrc) {
        writeUint32(b, off + 8, ssrc);
    }

    public static boolean hasExtension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    /** Offset (relative to the packet start) of the header extension block, or -1. */
    public static int extensionOffset(byte[] b, int off) {
        if (!hasExtension(b, off)) {
            return -1;
        }
        return FIXED_LENGTH + 4 * (b[off] & 0x0F);
    }

    /** Offset (relative to the packet start) where the payload begins; may exceed len for a bad packet. */
    public static int payloadOffset(byte[] b, int off, int len) {
        int pos = FIXED_LENGTH + 4 * (b[off] & 0x0F);
        if (hasExtension(b, off)) {
            if (pos + 4 > len) {
                return Integer.MAX_VALUE;
            }
            int words = ((b[off + pos + 2] & 0xFF) << 8) | (b[off + pos + 3] & 0xFF);
            pos += 4 + 4 * words;
        }
        return pos;
    }

    /** Payload length without padding (RFC 3550 §5.1 P bit); -1 for an inconsistent packet. */
    public static int payloadLength(byte[] b, int off, int len) {
        int start = payloadOffset(b, off, len);
        if (start > len) {
            return -1;
        }
        int padding = (b[off] & 0x20) != 0 ? b[off + len - 1] & 0xFF : 0;
        int n = len - start - padding;
        return n < 0 ? -1 : n;
    }

    static long readUint32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static void writeUint32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
