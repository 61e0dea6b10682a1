package io.portunus.eventhandlers.gelf;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a GELF payload into UDP datagrams (GELF 1.1 chunking): a payload that fits in
 * {@code maxLen} goes as it is; a longer one becomes chunks of {@code 0x1e 0x0f}, an 8-byte
 * message id, the chunk's sequence number and the chunk count (one byte each), then up to
 * {@code maxLen} bytes of data. GELF allows at most 128 chunks.
 */
final class GelfChunker {
    static final int MAX_CHUNKS = 128;
    static final int HEADER = 12;

    private GelfChunker() {
    }

    /** The datagrams to send, or an empty list when the payload needs more than 128 chunks. */
    static List<byte[]> chunks(byte[] payload, int maxLen, long messageId) {
        if (payload.length <= maxLen) {
            return List.of(payload);
        }
        int count = (payload.length + maxLen - 1) / maxLen;
        if (count > MAX_CHUNKS) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * maxLen;
            int len = Math.min(maxLen, payload.length - from);
            byte[] d = new byte[HEADER + len];
            d[0] = 0x1e;
            d[1] = 0x0f;
            for (int b = 0; b < 8; b++) {
                d[2 + b] = (byte) (messageId >>> (56 - 8 * b));
            }
            d[10] = (byte) i;
            d[11] = (byte) count;
            System.arraycopy(payload, from, d, HEADER, len);
            out.add(d);
        }
        return out;
    }
}
