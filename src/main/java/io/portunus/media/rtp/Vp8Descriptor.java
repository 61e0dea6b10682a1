package io.portunus.media.rtp;

/**
 * The VP8 payload descriptor (RFC 7741 §4.2) at the start of an RTP payload, and whether the
 * packet starts a key frame (RFC 7741 §4.3: the P bit of the VP8 payload header is 0).
 *
 * @param headerLength     bytes of descriptor before the VP8 data
 * @param startOfPartition S bit
 * @param partitionId      PID
 * @param keyFrame         first packet of a key frame (S=1, PID=0, P=0)
 * @param pictureId        picture id (7 or 15 bits) or -1
 * @param tl0PicIdx        TL0PICIDX or -1
 * @param temporalId       TID, or -1 when the descriptor carries none (then there are no temporal layers)
 * @param layerSync        Y bit: this frame depends only on the base temporal layer
 */
public record Vp8Descriptor(int headerLength, boolean startOfPartition, int partitionId, boolean keyFrame,
                            int pictureId, int tl0PicIdx, int temporalId, boolean layerSync) {

    /** Parses the descriptor of the payload {@code b[off, off+len)}; null when truncated or empty. */
    public static Vp8Descriptor parse(byte[] b, int off, int len) {
        if (len < 1 || off < 0 || off + len > b.length) {
            return null;
        }
        int end = off + len;
        int pos = off;
        int first = b[pos++] & 0xFF;
        boolean extended = (first & 0x80) != 0;
        boolean start = (first & 0x10) != 0;
        int pid = first & 0x07;
        int pictureId = -1;
        int tl0 = -1;
        int tid = -1;
        boolean sync = false;
        if (extended) {
            if (pos >= end) {
                return null;
            }
            int x = b[pos++] & 0xFF;
            boolean hasPictureId = (x & 0x80) != 0;
            boolean hasTl0 = (x & 0x40) != 0;
            boolean hasTid = (x & 0x20) != 0;
            boolean hasKeyIdx = (x & 0x10) != 0;
            if (hasPictureId) {
                if (pos >= end) {
                    return null;
                }
                int m = b[pos++] & 0xFF;
                if ((m & 0x80) != 0) {
                    if (pos >= end) {
                        return null;
                    }
                    pictureId = ((m & 0x7F) << 8) | (b[pos++] & 0xFF);
                } else {
                    pictureId = m;
                }
            }
            if (hasTl0) {
                if (pos >= end) {
                    return null;
                }
                tl0 = b[pos++] & 0xFF;
            }
            if (hasTid || hasKeyIdx) {
                if (pos >= end) {
                    return null;
                }
                int t = b[pos++] & 0xFF;
                if (hasTid) {
                    tid = t >>> 6;
                    sync = (t & 0x20) != 0;
                }
            }
        }
        boolean key = start && pid == 0 && pos < end && (b[pos] & 0x01) == 0;
        return new Vp8Descriptor(pos - off, start, pid, key, pictureId, tl0, tid, sync);
    }

    /** The first packet of a frame (key or not). */
    public boolean startsFrame() {
        return startOfPartition && partitionId == 0;
    }
}
