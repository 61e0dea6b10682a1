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
 * @param pictureIdBits    7 or 15 (the M bit), 0 without a picture id
 */
public record Vp8Descriptor(int headerLength, boolean startOfPartition, int partitionId, boolean keyFrame,
                            int pictureId, int tl0PicIdx, int temporalId, boolean layerSync, int pictureIdBits) {

    /**
     * Writes a new picture id and TL0PICIDX into the descriptor this record was parsed from
     * ({@code b}, payload at {@code off}), keeping the picture id's width; -1 leaves a field.
     * An SFU that switches between simulcast layers does this so the receiver sees one sequence
     * of pictures.
     */
    public void rewrite(byte[] b, int off, int newPictureId, int newTl0PicIdx) {
        int pos = off + 2;
        if (pictureIdBits == 15) {
            if (newPictureId >= 0) {
                b[pos] = (byte) (0x80 | ((newPictureId >>> 8) & 0x7F));
                b[pos + 1] = (byte) newPictureId;
            }
            pos += 2;
        } else if (pictureIdBits == 7) {
            if (newPictureId >= 0) {
                b[pos] = (byte) (newPictureId & 0x7F);
            }
            pos += 1;
        }
        if (tl0PicIdx >= 0 && newTl0PicIdx >= 0) {
            b[pos] = (byte) newTl0PicIdx;
        }
    }

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
        int pictureIdBits = 0;
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
                    pictureIdBits = 15;
                } else {
                    pictureId = m;
                    pictureIdBits = 7;
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
        return new Vp8Descriptor(pos - off, start, pid, key, pictureId, tl0, tid, sync, pictureIdBits);
    }

    /** The first packet of a frame (key or not). */
    public boolean startsFrame() {
        return startOfPartition && partitionId == 0;
    }
}
