package io.portunus.plugins.echotest;

import io.portunus.media.rtp.ForwardRewriter;
import io.portunus.media.rtp.SimulcastSelector;

/**
 * The one simulcast layer the EchoTest sends back (plugins.md §1.1: {@code substream},
 * {@code temporal}, {@code fallback}): the layer choice is the {@link SimulcastSelector} the
 * VideoRoom uses per subscriber, and as the echo goes back on the same PeerConnection the packet
 * is made continuous in place right away ({@link ForwardRewriter}: sequence numbers, timestamps,
 * VP8 picture ids). Called on the PeerConnection's I/O thread; targets are set from request
 * threads.
 */
final class SimulcastSwitcher {
    static final int LAYERS = SimulcastSelector.LAYERS;
    static final long DEFAULT_FALLBACK_MICROS = SimulcastSelector.DEFAULT_FALLBACK_MICROS;

    private final SimulcastSelector selector;
    private final ForwardRewriter rewriter = new ForwardRewriter(90_000);
    private final boolean vp8;

    SimulcastSwitcher(String videoCodec) {
        this.selector = new SimulcastSelector(videoCodec);
        this.vp8 = "vp8".equalsIgnoreCase(videoCodec);
    }

    void substreamTarget(int target) {
        selector.substreamTarget(target);
    }

    void temporalTarget(int target) {
        selector.temporalTarget(target);
    }

    /** Microseconds without packets on a layer before it counts as gone; 0 restores the default. */
    void fallback(long micros) {
        selector.fallback(micros);
    }

    int substream() {
        return selector.substream();
    }

    int temporal() {
        return selector.temporal();
    }

    int substreamTarget() {
        return selector.substreamTarget();
    }

    int temporalTarget() {
        return selector.temporalTarget();
    }

    long fallbackMicros() {
        return selector.fallbackMicros();
    }

    /**
     * Decides about one RTP packet of {@code layer}; when it is to be forwarded its sequence
     * number, timestamp and VP8 picture id have been rewritten in place.
     */
    SimulcastSelector.Decision packet(byte[] b, int off, int len, int layer, long nowMicros) {
        SimulcastSelector.Decision d = selector.packet(b, off, len, layer, nowMicros);
        if (d.forward()) {
            rewriter.rewrite(b, off, len, d.leftOut(), vp8, nowMicros);
        }
        return d;
    }
}
