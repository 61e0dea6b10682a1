package io.portunus.media.rtp;

/**
 * Makes what one receiver gets of a forwarded stream one continuous stream whatever its source
 * (a simulcast layer, another sender after a switch): sequence numbers and timestamps go on
 * ({@link SequenceRewriter}), and so do VP8 picture ids and TL0PICIDX, which each source numbers
 * on its own, or the receiver would take the new source's frames for old ones. Rewrites the
 * receiver's own copy of each packet in place; one thread.
 */
public final class ForwardRewriter {
    private final SequenceRewriter sequences;
    private int pictureIdDelta;
    private int tl0Delta;
    private int lastPictureId = -1;
    private int lastTl0 = -1;

    public ForwardRewriter(int clockRate) {
        this.sequences = new SequenceRewriter(clockRate);
    }

    /**
     * Rewrites the packet {@code b[off, off+len)}; {@code leftOut} packets of its source were left
     * out on purpose just before it ({@link SimulcastSelector.Decision#leftOut()}); {@code vp8}
     * when the stream is VP8 (its picture ids are then made continuous too).
     */
    public void rewrite(byte[] b, int off, int len, int leftOut, boolean vp8, long nowMicros) {
        boolean newSource = sequences.rewrite(b, off, nowMicros, leftOut);
        if (!vp8) {
            return;
        }
        int payload = RtpHeader.payloadOffset(b, off, len);
        int payloadLength = RtpHeader.payloadLength(b, off, len);
        Vp8Descriptor d = payloadLength > 0 ? Vp8Descriptor.parse(b, off + payload, payloadLength) : null;
        if (d != null) {
            continuePictures(b, off + payload, d, newSource);
        }
    }

    /**
     * Forwarding goes on after a pause: the next packet continues the numbering as a new source
     * would, with no gap for the receiver to NACK (see {@link SequenceRewriter#resume}).
     */
    public void resume() {
        sequences.resume();
    }

    /** A packet of the current source left out on purpose (see {@link SequenceRewriter#skip}). */
    public void skip(byte[] b, int off) {
        sequences.skip(b, off);
    }

    private void continuePictures(byte[] b, int payloadOffset, Vp8Descriptor d, boolean newSource) {
        if (newSource) {
            pictureIdDelta = d.pictureId() < 0 || lastPictureId < 0 ? 0 : lastPictureId + 1 - d.pictureId();
            tl0Delta = d.tl0PicIdx() < 0 || lastTl0 < 0 ? 0 : lastTl0 + 1 - d.tl0PicIdx();
        }
        int pictureId = -1;
        int tl0 = -1;
        if (d.pictureId() >= 0) {
            pictureId = (d.pictureId() + pictureIdDelta) & (d.pictureIdBits() == 15 ? 0x7FFF : 0x7F);
            lastPictureId = pictureId;
        }
        if (d.tl0PicIdx() >= 0) {
            tl0 = (d.tl0PicIdx() + tl0Delta) & 0xFF;
            lastTl0 = tl0;
        }
        if (pictureIdDelta != 0 || tl0Delta != 0) {
            d.rewrite(b, payloadOffset, pictureId, tl0);
        }
    }
}
