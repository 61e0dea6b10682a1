package io.portunus.media.rtp;

/**
 * Puts a transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §2: a 16-bit number in its own header extension element) into an outgoing RTP packet: the
 * element's value is overwritten when the packet has one under {@code id}, else the element is
 * added at the end of the extension block (one 32-bit word more) or in a new one-byte block
 * (RFC 8285 §4.2, two words), the payload moved up. For a packet copy we own (a forwarded leg's):
 * the caller leaves {@link #HEADROOM} bytes free after the packet.
 */
public final class TransportWideSequence {
    /** Bytes a packet may grow by: a new extension block with the element. */
    public static final int HEADROOM = 8;

    private TransportWideSequence() {
    }

    /**
     * Writes {@code sequence} under extension {@code id} into the packet at {@code off} of
     * {@code len} bytes, where {@code b} may be used up to {@code off + capacity}. Returns the
     * packet's new length, or -1 when it could not (malformed, no room, an element of another size).
     */
    public static int write(byte[] b, int off, int len, int capacity, int id, int sequence) {
        if (id <= 0 || id > 255 || len < RtpHeader.FIXED_LENGTH) {
            return -1;
        }
        long at = RtpExtensions.find(b, off, len, id);
        if (at >= 0) {
            if ((at & 0xFFFF) != 2) {
                return -1;
            }
            int pos = (int) (at >>> 16);
            b[pos] = (byte) (sequence >>> 8);
            b[pos + 1] = (byte) sequence;
            return len;
        }
        int ext = RtpHeader.extensionOffset(b, off);
        if (ext < 0) {
            return newBlock(b, off, len, capacity, id, sequence);
        }
        if (ext + 4 > len) {
            return -1;
        }
        int profile = ((b[off + ext] & 0xFF) << 8) | (b[off + ext + 1] & 0xFF);
        int words = ((b[off + ext + 2] & 0xFF) << 8) | (b[off + ext + 3] & 0xFF);
        int end = ext + 4 + 4 * words;
        boolean oneByte = profile == 0xBEDE;
        if (end > len || len + 4 > capacity || words == 0xFFFF || !oneByte && (profile & 0xFFF0) != 0x1000
                || oneByte && id > 14) {
            return -1;
        }
        System.arraycopy(b, off + end, b, off + end + 4, len - end);
        if (oneByte) {
            b[off + end] = (byte) ((id << 4) | 1);
            b[off + end + 1] = (byte) (sequence >>> 8);
            b[off + end + 2] = (byte) sequence;
            b[off + end + 3] = 0;
        } else {
            b[off + end] = (byte) id;
            b[off + end + 1] = 2;
            b[off + end + 2] = (byte) (sequence >>> 8);
            b[off + end + 3] = (byte) sequence;
        }
        words++;
        b[off + ext + 2] = (byte) (words >>> 8);
        b[off + ext + 3] = (byte) words;
        return len + 4;
    }

    /** A packet without extensions gets a one-byte block holding only the element (or a two-byte one for ids above 14). */
    private static int newBlock(byte[] b, int off, int len, int capacity, int id, int sequence) {
        int at = RtpHeader.FIXED_LENGTH + 4 * (b[off] & 0x0F);
        if (at > len || len + HEADROOM > capacity) {
            return -1;
        }
        System.arraycopy(b, off + at, b, off + at + HEADROOM, len - at);
        boolean oneByte = id <= 14;
        b[off + at] = (byte) (oneByte ? 0xBE : 0x10);
        b[off + at + 1] = (byte) (oneByte ? 0xDE : 0x00);
        b[off + at + 2] = 0;
        b[off + at + 3] = 1;
        if (oneByte) {
            b[off + at + 4] = (byte) ((id << 4) | 1);
            b[off + at + 5] = (byte) (sequence >>> 8);
            b[off + at + 6] = (byte) sequence;
            b[off + at + 7] = 0;
        } else {
            b[off + at + 4] = (byte) id;
            b[off + at + 5] = 2;
            b[off + at + 6] = (byte) (sequence >>> 8);
            b[off + at + 7] = (byte) sequence;
        }
        b[off] |= 0x10; // X
        return len + HEADROOM;
    }
}
