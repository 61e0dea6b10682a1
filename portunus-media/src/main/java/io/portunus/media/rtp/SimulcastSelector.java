package io.portunus.media.rtp;

/**
 * Chooses, for one receiver, which packets of a simulcast stream it gets (Janus's
 * {@code substream}, {@code temporal}, {@code fallback}): the layer forwarded is the highest one
 * at or below the target that the sender sent within the fallback time (else the lowest it
 * sends); a change of layer asks that layer for a key frame and takes effect on its next key
 * frame, so the receiver can go on decoding. With VP8 temporal layers (TID in the payload
 * descriptor) frames above the temporal target are left out: going down happens at the next
 * frame, going up at a frame the receiver can decode from (layer sync or key frame); until a
 * frame of (or above) the target comes, all go and the temporal layer reads -1.
 *
 * <p>It only decides: it never changes the packet. Whoever sends the packet makes it continuous
 * ({@link ForwardRewriter}), told by {@link Decision#leftOut()} how many packets of the layer
 * were left out on purpose just before it. One instance per receiver, called on the thread that
 * receives the sender's packets; the targets are set from request threads, hence volatile.
 */
public final class SimulcastSelector {
    public static final int LAYERS = 3;
    public static final long DEFAULT_FALLBACK_MICROS = 250_000;
    private static final long PLI_INTERVAL_MICROS = 500_000;

    /**
     * What to do with one packet: forward it or not; the substream / temporal layer that took
     * effect with it ({@link #UNCHANGED} else); a layer to ask a key frame of (or -1); and, for a
     * packet forwarded, how many packets of its layer were left out since the last one forwarded.
     */
    public record Decision(boolean forward, int substreamNow, int temporalNow, int keyFrameLayer, int leftOut) {
        public static final int UNCHANGED = -1;
        static final Decision DROP = new Decision(false, UNCHANGED, UNCHANGED, -1, 0);
        static final Decision FORWARD = new Decision(true, UNCHANGED, UNCHANGED, -1, 0);

        static Decision of(boolean forward, int substreamNow, int temporalNow, int keyFrameLayer, int leftOut) {
            if (substreamNow == UNCHANGED && temporalNow == UNCHANGED && keyFrameLayer < 0 && leftOut == 0) {
                return forward ? FORWARD : DROP; // the common case costs no allocation
            }
            return new Decision(forward, substreamNow, temporalNow, keyFrameLayer, leftOut);
        }
    }

    private final boolean vp8;
    private final long[] lastSeenMicros = new long[LAYERS];
    private final long[] lastPliMicros = new long[LAYERS];
    private volatile int substream = -1;
    private volatile int temporal = -1;
    private volatile int substreamTarget = LAYERS - 1;
    private volatile int temporalTarget = 2;
    private volatile long fallbackMicros = DEFAULT_FALLBACK_MICROS;
    /** Packets of the current layer left out (temporal) since the last one forwarded, and its newest sequence number. */
    private int leftOut;
    private int highestSeq = -1;

    /** {@code videoCodec}: temporal layers and key frames are read from VP8 payloads only. */
    public SimulcastSelector(String videoCodec) {
        this.vp8 = "vp8".equalsIgnoreCase(videoCodec);
    }

    public void substreamTarget(int target) {
        substreamTarget = Math.max(0, Math.min(LAYERS - 1, target));
    }

    public void temporalTarget(int target) {
        temporalTarget = Math.max(0, Math.min(2, target));
    }

    /** Microseconds without packets on a layer before it counts as gone; 0 restores the default. */
    public void fallback(long micros) {
        fallbackMicros = micros <= 0 ? DEFAULT_FALLBACK_MICROS : micros;
    }

    /** The layer forwarded now, -1 before the first. */
    public int substream() {
        return substream;
    }

    /** The temporal layer forwarded now, -1 before the first (or without temporal layers). */
    public int temporal() {
        return temporal;
    }

    public int substreamTarget() {
        return substreamTarget;
    }

    public int temporalTarget() {
        return temporalTarget;
    }

    public long fallbackMicros() {
        return fallbackMicros;
    }

    /** Decides about one RTP packet of {@code layer} ({@code b[off, off+len)}, left as it is). */
    public Decision packet(byte[] b, int off, int len, int layer, long nowMicros) {
        return packet(b, off, layer, vp8 ? descriptor(b, off, len) : null, nowMicros);
    }

    /**
     * The VP8 payload descriptor of an RTP packet, or null: parsed once per packet by a caller
     * with several selectors on one source (a VideoRoom publisher's subscriber legs).
     */
    public static Vp8Descriptor descriptor(byte[] b, int off, int len) {
        int payloadLength = RtpHeader.payloadLength(b, off, len);
        return payloadLength > 0 ? Vp8Descriptor.parse(b, off + RtpHeader.payloadOffset(b, off, len), payloadLength) : null;
    }

    /** The same with the packet's VP8 descriptor already parsed ({@link #descriptor}; null if none or not VP8). */
    public Decision packet(byte[] b, int off, int layer, Vp8Descriptor vp8Descriptor, long nowMicros) {
        if (layer < 0 || layer >= LAYERS) {
            return Decision.DROP;
        }
        lastSeenMicros[layer] = nowMicros;
        Vp8Descriptor d = vp8 ? vp8Descriptor : null;
        // Without a VP8 descriptor key frames cannot be seen: the switch is made at once (the
        // key frame asked for follows shortly).
        boolean keyFrame = vp8 ? d != null && d.keyFrame() : true;

        int wanted = wantedLayer(nowMicros);
        int keyFrameLayer = -1;
        int substreamNow = Decision.UNCHANGED;
        if (wanted != substream && wanted >= 0) {
            if (layer == wanted && keyFrame) {
                substream = wanted;
                substreamNow = wanted;
                leftOut = 0;
                highestSeq = -1;
            } else if (nowMicros - lastPliMicros[wanted] >= PLI_INTERVAL_MICROS || lastPliMicros[wanted] == 0) {
                lastPliMicros[wanted] = Math.max(1, nowMicros);
                keyFrameLayer = wanted;
            }
        }
        if (layer != substream) {
            return Decision.of(false, substreamNow, Decision.UNCHANGED, keyFrameLayer, 0);
        }
        int seq = RtpHeader.sequence(b, off);
        boolean newest = highestSeq < 0 || (short) (seq - highestSeq) > 0;
        if (newest) {
            highestSeq = seq;
        }
        int temporalNow = Decision.UNCHANGED;
        if (d != null && d.temporalId() >= 0) {
            int target = temporalTarget;
            if (target != temporal && d.startsFrame()) {
                boolean change;
                if (temporal < 0) {
                    // Nothing held back yet: the target takes effect with its own first frame,
                    // or with the first one above it, which is then left out (as Janus: a sender
                    // with fewer temporal layers than the target never "switches").
                    change = d.temporalId() >= target;
                } else if (target < temporal) {
                    change = true; // down: the next frame above the target is left out
                } else {
                    change = d.keyFrame() || d.layerSync() && d.temporalId() <= target; // up: a frame to decode from
                }
                if (change) {
                    temporal = target;
                    temporalNow = target;
                }
            }
            if (temporal >= 0 && d.temporalId() > temporal) {
                if (newest) {
                    leftOut++;
                }
                return Decision.of(false, substreamNow, temporalNow, keyFrameLayer, 0);
            }
        }
        int gap = leftOut;
        leftOut = 0;
        return Decision.of(true, substreamNow, temporalNow, keyFrameLayer, gap);
    }

    /** The highest live layer at or below the target; else the lowest live one; else the current. */
    private int wantedLayer(long nowMicros) {
        long fallback = fallbackMicros;
        int target = substreamTarget;
        for (int l = target; l >= 0; l--) {
            if (live(l, nowMicros, fallback)) {
                return l;
            }
        }
        for (int l = target + 1; l < LAYERS; l++) {
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
