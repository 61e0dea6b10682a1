package io.portunus.media.rtp;

import java.util.Arrays;

/**
 * The packets we sent on one stream, kept for as long as a NACK may ask for them again
 * (Janus's NACK queue: at least {@code min_nack_queue} ms, RFC 4585 §6.2.1). A ring indexed by
 * sequence number: O(1) insert and lookup, no allocation per packet beyond the copy kept.
 * Single-threaded: owned by the PeerConnection's I/O thread.
 * <p>
 * The ring starts small and doubles only when a packet would overwrite one still inside the
 * window, so it holds what the window needs (a 1 Mbps video stream with a 200 ms window: ~24
 * packets, 32 slots; a keyframe's burst or a higher rate doubles it) rather than its largest
 * size: a ring of 1,024 slots of 1,200 bytes per video stream was 1.2 MiB of heap per echo
 * session, most of the server's memory at 300 sessions (docs/benchmarks.md, issue #22).
 */
public final class RetransmissionBuffer {
    private static final int INITIAL_SLOTS = 32;
    private static final int MIN_COPY = 1200;

    private final int maxSlots;
    private byte[][] packets;
    private int[] lengths;
    private long[] sentMicros;
    private int[] sequences;
    private int mask;
    private volatile long windowMicros;
    private long retransmitted;

    /** {@code capacity} (rounded up to a power of two) is the most slots the ring grows to. */
    public RetransmissionBuffer(int capacity, long windowMicros) {
        maxSlots = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        this.windowMicros = windowMicros;
        allocate(Math.min(INITIAL_SLOTS, maxSlots));
    }

    private void allocate(int size) {
        packets = new byte[size][];
        lengths = new int[size];
        sentMicros = new long[size];
        sequences = new int[size];
        Arrays.fill(sequences, -1);
        mask = size - 1;
    }

    public void windowMicros(long window) {
        windowMicros = window;
    }

    /** Slots the ring has now (it grows with the window's need). */
    public int slots() {
        return mask + 1;
    }

    /** Keeps a copy of the plain (unprotected) packet just sent. */
    public void add(byte[] packet, int offset, int length, long nowMicros) {
        if (windowMicros <= 0) {
            return;
        }
        int seq = RtpHeader.sequence(packet, offset);
        int slot = seq & mask;
        int previous = sequences[slot];
        if (previous >= 0 && previous != seq && nowMicros - sentMicros[slot] <= windowMicros && mask + 1 < maxSlots) {
            grow();
            slot = seq & mask;
        }
        byte[] copy = packets[slot];
        if (copy == null || copy.length < length) {
            copy = new byte[Math.max(length, MIN_COPY)];
            packets[slot] = copy;
        }
        System.arraycopy(packet, offset, copy, 0, length);
        lengths[slot] = length;
        sentMicros[slot] = nowMicros;
        sequences[slot] = seq;
    }

    /** Twice the slots, every packet kept moved to its new slot (the arrays too: no new copies). */
    private void grow() {
        byte[][] oldPackets = packets;
        int[] oldLengths = lengths;
        long[] oldSent = sentMicros;
        int[] oldSequences = sequences;
        allocate(oldPackets.length * 2);
        for (int i = 0; i < oldPackets.length; i++) {
            if (oldSequences[i] >= 0) {
                int slot = oldSequences[i] & mask;
                packets[slot] = oldPackets[i];
                lengths[slot] = oldLengths[i];
                sentMicros[slot] = oldSent[i];
                sequences[slot] = oldSequences[i];
            }
        }
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
