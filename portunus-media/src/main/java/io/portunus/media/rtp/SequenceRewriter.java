package io.portunus.media.rtp;

/**
 * Makes packets taken from several sources (simulcast layers, each with its own SSRC, sequence
 * numbers and timestamps) look like one continuous stream: on a change of source the sequence
 * numbers go on from the last one sent and the timestamps from the last one plus the time that
 * passed. Packets of the current source that are not forwarded (a temporal layer left out) are
 * {@link #skip skipped} (or counted with the next packet sent, {@code leftOut}), so the receiver
 * sees no gap to NACK. Rewrites in place; one thread.
 */
public final class SequenceRewriter {
    private final int clockRate;
    private boolean started;
    private long sourceSsrc;
    private int sourceSeqBase;
    private long sourceTsBase;
    private int outSeqBase;
    private long outTsBase;
    private int skipped;
    private int highestSourceSeq;
    private int lastOutSeq;
    private long lastOutTs;
    private long lastOutMicros;

    public SequenceRewriter(int clockRate) {
        this.clockRate = clockRate;
    }

    /** Rewrites the packet's sequence number and timestamp (the SSRC is the sender's business). */
    public void rewrite(byte[] b, int off, long nowMicros) {
        rewrite(b, off, nowMicros, 0);
    }

    /**
     * As {@link #rewrite(byte[], int, long)}, for a packet that comes after {@code leftOut}
     * packets of its source that were left out on purpose: the gap they leave is closed. On a
     * change of source the count is about the old one and is ignored.
     *
     * @return whether the packet started a new source (the first of a layer or of a new sender)
     */
    public boolean rewrite(byte[] b, int off, long nowMicros, int leftOut) {
        long ssrc = RtpHeader.ssrc(b, off);
        int seq = RtpHeader.sequence(b, off);
        long ts = RtpHeader.timestamp(b, off);
        boolean newSource = !started || ssrc != sourceSsrc;
        if (newSource) {
            rebase(ssrc, seq, ts, nowMicros);
        } else if (leftOut > 0) {
            skipped += leftOut;
        }
        if ((short) (seq - highestSourceSeq) > 0) {
            highestSourceSeq = seq;
        }
        int outSeq = (seq - sourceSeqBase + outSeqBase - skipped) & 0xFFFF;
        long outTs = (ts - sourceTsBase + outTsBase) & 0xFFFFFFFFL;
        RtpHeader.sequence(b, off, outSeq);
        RtpHeader.timestamp(b, off, outTs);
        if ((short) (outSeq - lastOutSeq) > 0 || lastOutMicros == 0) {
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastOutMicros = Math.max(1, nowMicros);
        }
        return newSource;
    }

    /**
     * Forwarding stopped for a while (a paused subscriber) and goes on: the next packet is taken
     * as a new source's first, so the sequence numbers go on from the last sent with no gap and
     * the timestamps by the time that passed.
     */
    public void resume() {
        if (started) {
            sourceSsrc = -1;
        }
    }

    /** A packet of the current source left out on purpose: the ones after it move down by one. */
    public void skip(byte[] b, int off) {
        int seq = RtpHeader.sequence(b, off);
        if (started && RtpHeader.ssrc(b, off) == sourceSsrc && (short) (seq - highestSourceSeq) > 0) {
            highestSourceSeq = seq;
            skipped++;
        }
    }

    private void rebase(long ssrc, int seq, long ts, long nowMicros) {
        if (started) {
            outSeqBase = (lastOutSeq + 1) & 0xFFFF;
            long elapsed = Math.max(0, nowMicros - lastOutMicros);
            long step = Math.max(1, elapsed * clockRate / 1_000_000L);
            outTsBase = (lastOutTs + step) & 0xFFFFFFFFL;
        } else {
            outSeqBase = seq;
            outTsBase = ts;
            lastOutSeq = (seq - 1) & 0xFFFF;
        }
        started = true;
        sourceSsrc = ssrc;
        sourceSeqBase = seq;
        sourceTsBase = ts;
        highestSourceSeq = (seq - 1) & 0xFFFF;
        skipped = 0;
    }
}
