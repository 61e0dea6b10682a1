package io.portunus.media.rtp;

import java.util.Arrays;

/**
 * The packets we sent on one stream, kept for as long as a NACK may ask for them again
 * (Janus's NACK queue: at least {@code min_nack_queue} ms, RFC 4585 §6.2.1). A ring indexed by
 * sequence number: O(1) insert and lookup, no allocation per packet beyond the copy kept.
 * Single-threaded: owned by the PeerConnection's I/O thread.
 */
public final class RetransmissionBuffer {
    private final byte[][] packets;
    private final int[] lengths;
    private final long[] sentMicros;
    private final int[] sequences;
    private final int mask;
    private volatile long windowMicros;
    private long retransmitted;

    /** {@code capacity} is rounded up to a power of two; 1024 packets covers ~1 s of HD video. */
    public RetransmissionBuffer(int capacity, long windowMicros) {
        int size = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        packets = new byte[size][];
        lengths = new int[size];
        sentMicros = new long[size];
        sequences = new int[size];
        Arrays.fill(sequences, -1);
        mask = size - 1;
        this.windowMicros = windowMicros;
    }

    public void windowMicros(long window) {
        windowMicros = window;
    }

    /** Keeps a copy of the plain (unprotected) packet just sent. */
    public void add(byte[] packet, int offset, int length, long nowMicros) {
        if (windowMicros <= 0) {
            return;
        }
        int seq = RtpHeader.sequence(packet, offset);
        int slot = seq & mask;
        byte[] copy = packets[slot];
        if (copy == null || copy.length < length) {
            copy = new byte[Math.max(length, 1200)];
            packets[slot] = copy;
        }
        System.arraycopy(packet, offset, copy, 0, length);
        lengths[slot] = length;
        sentMicros[slot] = nowMicros;
        sequences[slot] = seq;
    }

    /**
     * The packet with sequence {@code seq} if still within the window, copied into a new array
     * (the caller protects and sends it); null otherwise.
     */
    public byte[] get(int seq, long nowMicros) {
        int slot = seq & mask;
        if (sequences[slot] != seq || nowMicros - sentMicros[slot] > windowMicros) {
            return null;
        }
        retransmitted++;
        return Arrays.copyOf(packets[slot], lengths[slot]);
    }

    public long retransmitted() {
        return retransmitted;
    }
}
