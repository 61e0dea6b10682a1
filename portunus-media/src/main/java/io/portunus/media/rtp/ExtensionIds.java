package io.portunus.media.rtp;

/**
 * Renumbers the RTP header extensions of a packet (RFC 8285) from the ids one PeerConnection
 * negotiated to the ids another one did, in place: a forwarded packet keeps the elements both
 * sides know, under the receiver's ids, and every other element is overwritten with padding
 * (id 0, RFC 8285 §4.2/§4.3), so no byte moves and the packet keeps its length. For a copy of a
 * packet only: the source must never be modified.
 */
public final class ExtensionIds {
    /** Ids run 1-14 (one-byte form) and 1-255 (two-byte form). */
    public static final int MAX_ID = 255;

    private ExtensionIds() {
    }

    /**
     * Rewrites the extension elements of the packet at {@code off}: element id {@code i} becomes
     * {@code map[i]}; ids that map to 0 (or beyond the map) become padding. A one-byte element
     * whose new id would not fit (above 14) becomes padding too. Malformed blocks are left as they are.
     */
    public static void remap(byte[] b, int off, int len, int[] map) {
        int ext = RtpHeader.extensionOffset(b, off);
        if (ext < 0 || ext + 4 > len) {
            return;
        }
        int profile = ((b[off + ext] & 0xFF) << 8) | (b[off + ext + 1] & 0xFF);
        int words = ((b[off + ext + 2] & 0xFF) << 8) | (b[off + ext + 3] & 0xFF);
        int pos = off + ext + 4;
        int end = pos + 4 * words;
        if (end > off + len) {
            return;
        }
        boolean oneByte = profile == 0xBEDE;
        if (!oneByte && (profile & 0xFFF0) != 0x1000) {
            return;
        }
        while (pos < end) {
            int start = pos;
            int id;
            int length;
            if (oneByte) {
                int h = b[pos] & 0xFF;
                if (h == 0) {
                    pos++;
                    continue;
                }
                id = h >> 4;
                if (id == 15) {
                    return; // RFC 8285 §4.2: stop processing at id 15
                }
                length = (h & 0x0F) + 1;
                pos++;
            } else {
                id = b[pos] & 0xFF;
                if (id == 0) {
                    pos++;
                    continue;
                }
                if (pos + 1 >= end) {
                    return;
                }
                length = b[pos + 1] & 0xFF;
                pos += 2;
            }
            if (pos + length > end) {
                return;
            }
            int to = id < map.length ? map[id] : 0;
            if (to <= 0 || oneByte && to > 14) {
                for (int i = start; i < pos + length; i++) {
                    b[i] = 0;
                }
            } else if (oneByte) {
                b[start] = (byte) ((to << 4) | (length - 1));
            } else {
                b[start] = (byte) to;
            }
            pos += length;
        }
    }
}
