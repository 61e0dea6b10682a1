package io.portunus.media.rtp;

import java.nio.charset.StandardCharsets;

/**
 * RTP header extensions in the one-byte (0xBEDE) and two-byte (0x100x) forms of RFC 8285:
 * finding an element by its negotiated id, e.g. {@code sdes:mid} or {@code rtp-stream-id}.
 */
public final class RtpExtensions {
    private RtpExtensions() {
    }

    /**
     * Offset (absolute, in {@code b}) and length of extension element {@code id}, packed as
     * {@code (offset << 16) | length}; -1 when absent or malformed.
     */
    public static long find(byte[] b, int off, int len, int id) {
        int ext = RtpHeader.extensionOffset(b, off);
        if (ext < 0 || ext + 4 > len || id <= 0) {
            return -1;
        }
        int profile = ((b[off + ext] & 0xFF) << 8) | (b[off + ext + 1] & 0xFF);
        int words = ((b[off + ext + 2] & 0xFF) << 8) | (b[off + ext + 3] & 0xFF);
        int pos = off + ext + 4;
        int end = pos + 4 * words;
        if (end > off + len) {
            return -1;
        }
        boolean oneByte = profile == 0xBEDE;
        boolean twoByte = (profile & 0xFFF0) == 0x1000;
        if (!oneByte && !twoByte) {
            return -1;
        }
        while (pos < end) {
            int elementId;
            int elementLength;
            if (oneByte) {
                int h = b[pos] & 0xFF;
                if (h == 0) {
                    pos++;
                    continue;
                }
                elementId = h >> 4;
                if (elementId == 15) {
                    return -1;
                }
                elementLength = (h & 0x0F) + 1;
                pos++;
            } else {
                elementId = b[pos] & 0xFF;
                if (elementId == 0) {
                    pos++;
                    continue;
                }
                if (pos + 1 >= end) {
                    return -1;
                }
                elementLength = b[pos + 1] & 0xFF;
                pos += 2;
            }
            if (pos + elementLength > end) {
                return -1;
            }
            if (elementId == id) {
                return ((long) pos << 16) | elementLength;
            }
            pos += elementLength;
        }
        return -1;
    }

    /** The element's bytes as ASCII (mid, rid), or null. */
    public static String string(byte[] b, int off, int len, int id) {
        long at = find(b, off, len, id);
        if (at < 0) {
            return null;
        }
        int start = (int) (at >>> 16);
        int length = (int) (at & 0xFFFF);
        return new String(b, start, length, StandardCharsets.US_ASCII);
    }

    /**
     * A 2-byte element as an unsigned 16-bit number (the transport-wide sequence number of
     * draft-holmer-rmcat-transport-wide-cc-extensions-01), or -1 when absent or not 2 bytes long.
     */
    public static int uint16(byte[] b, int off, int len, int id) {
        long at = find(b, off, len, id);
        if (at < 0 || (at & 0xFFFF) != 2) {
            return -1;
        }
        int start = (int) (at >>> 16);
        return ((b[start] & 0xFF) << 8) | (b[start + 1] & 0xFF);
    }
}
