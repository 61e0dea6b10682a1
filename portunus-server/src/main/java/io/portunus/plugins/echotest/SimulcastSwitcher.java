package io.portunus.plugins.echotest;

import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.rtp.SequenceRewriter;
import io.portunus.media.rtp.Vp8Descriptor;

/**
 * Picks the one simulcast layer the EchoTest sends back (plugins.md §1.1: {@code substream},
 * {@code temporal}, {@code fallback}). The layer sent is the highest one at or below the target
 * that the peer sent within the fallback time (else the lowest it sends); a change of layer
 * asks that layer for a key frame and takes effect on its next key frame, so the receiver can
 * go on decoding. With VP8 temporal layers (TID in the payload descriptor) frames above the
 * temporal target are left out: going down happens at the next frame, going up at a frame the
 * receiver can decode from (layer sync or key frame). Sequence numbers and timestamps are
 * rewritten into one continuous stream. Called on the PeerConnection's I/O thread; targets
 * are set from request threads, hence volatile.
 */
final class SimulcastSwitcher {
    static final int LAYERS = 3;
    static final long DEFAULT_FALLBACK_MICROS = 250_000;
    private static final long PLI_INTERVAL_MICROS = 500_000;

    /** What to do with one packet: forward it or not, events to push, and a layer to ask a key frame of (or -1). */
    record Decision(boolean forward, int substreamNow, int temporalNow, int keyFrameLayer) {
        static final int UNCHANGED = -1;
    }

    private final SequenceRewriter rewriter = new SequenceRewriter(90_000);
    private final boolean vp8;
    private final long[] lastSeenMicros = new long[LAYERS];
    private final long[] lastPliMicros = new long[LAYERS];
    private volatile int substream = -1;
    private volatile int temporal = -1;
    private volatile int substreamTarget = LAYERS - 1;
    private volatile int temporalTarget = 2;
    private volatile long fallbackMicros = DEFAULT_FALLBACK_MICROS;
    private int pictureIdDelta;
    private int tl0Delta;
    private int lastPictureId = -1;
    private int lastTl0 = -1;

    SimulcastSwitcher(String videoCodec) {
        this.vp8 = "vp8".equalsIgnoreCase(videoCodec);
    }

    void substreamTarget(int target) {
        substreamTarget = Math.max(0, Math.min(LAYERS - 1, target));
    }

    void temporalTarget(int target) {
        temporalTarget = Math.max(0, Math.min(2, target));
    }

    /** Microseconds without packets on a layer before it counts as gone; 0 restores the default. */
    void fallback(long micros) {
        fallbackMicros = micros <= 0 ? DEFAULT_FALLBACK_MICROS : micros;
    }

    int substream() {
        return substream;
    }

    int temporal() {
        return temporal;
    }

    int substreamTarget() {
        return substreamTarget;
    }

    int temporalTarget() {
        return temporalTarget;
    }

    long fallbackMicros() {
        return fallbackMicros;
    }

    /**
     * Decides about one RTP packet of {@code layer}; when it is to be forwarded its sequence
     * number and timestamp have been rewritten in place.
     */
    Decision packet(byte[] b, int off, int len, int layer, long nowMicros) {
        if (layer < 0 || layer >= LAYERS) {
            return new Decision(false, Decision.UNCHANGED, Decision.UNCHANGED, -1);
        }
        lastSeenMicros[layer] = nowMicros;
        int payload = RtpHeader.payloadOffset(b, off, len);
        int payloadLength = RtpHeader.payloadLength(b, off, len);
        Vp8Descriptor d = vp8 && payloadLength > 0 ? Vp8Descriptor.parse(b, off + payload, payloadLength) : null;
        // Without a VP8 descriptor key frames cannot be seen: the switch is made at once (the
        // key frame asked for follows shortly).
        boolean keyFrame = vp8 ? d != null && d.keyFrame() : true;

        int wanted = wantedLayer(nowMicros);
        int keyFrameLayer = -1;
        int substreamNow = Decision.UNCHANGED;
        if (wanted != substream) {
            if (layer == wanted && keyFrame) {
                substream = wanted;
                substreamNow = wanted;
            } else if (nowMicros - lastPliMicros[wanted] >= PLI_INTERVAL_MICROS || lastPliMicros[wanted] == 0) {
                lastPliMicros[wanted] = Math.max(1, nowMicros);
                keyFrameLayer = wanted;
            }
        }
        if (layer != substream) {
            return new Decision(false, substreamNow, Decision.UNCHANGED, keyFrameLayer);
        }
        int temporalNow = Decision.UNCHANGED;
        if (d != null && d.temporalId() >= 0) {
            int target = temporalTarget;
            if (target != temporal && d.startsFrame()) {
                boolean down = temporal >= 0 && target < temporal;
                if (down || temporal < 0 || d.keyFrame() || d.layerSync() && d.temporalId() <= target) {
                    temporal = target;
                    temporalNow = target;
                }
            }
            if (temporal >= 0 && d.temporalId() > temporal) {
                rewriter.skip(b, off);
                return new Decision(false, substreamNow, temporalNow, keyFrameLayer);
            }
        }
        rewriter.rewrite(b, off, nowMicros);
        if (d != null) {
            continuePictures(b, off + payload, d, substreamNow >= 0);
        }
        return new Decision(true, substreamNow, temporalNow, keyFrameLayer);
    }

    /**
     * Each layer numbers its VP8 pictures (picture id, TL0PICIDX) on its own: after a switch
     * they go on from the last ones sent, or the receiver would take the new layer's frames
     * for old ones.
     */
    private void continuePictures(byte[] b, int payloadOffset, Vp8Descriptor d, boolean switched) {
        if (switched) {
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

    /** The highest live layer at or below the target; else the lowest live one; else the current. */
    private int wantedLayer(long nowMicros) {
        long fallback = fallbackMicros;
        for (int l = substreamTarget; l >= 0; l--) {
            if (live(l, nowMicros, fallback)) {
                return l;
            }
        }
        for (int l = substreamTarget + 1; l < LAYERS; l++) {
            if (live(l, nowMicros, fallback)) {
                return l;
            }
        }
        return substream;
    }

    private boolean live(int layer, long nowMicros, long fallback) {
        return lastSeenMicros[layer] != 0 && nowMicros - lastSeenMicros[layer] <= fallback;
    }
}
