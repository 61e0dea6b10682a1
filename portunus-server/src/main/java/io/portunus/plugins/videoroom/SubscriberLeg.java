package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;
import io.portunus.media.rtp.SimulcastSelector;

/**
 * One m-line of a subscriber's PeerConnection: the publisher stream it carries now (a
 * {@code switch} changes it), under its own mid. What the leg rewrites (SSRC, sequence
 * numbers, timestamps, payload type, header-extension ids) the core does on its copy of each
 * packet. The publisher's packets reach it only while it {@link #forwards}: not while its
 * subscription is paused, nor after {@code configure} said {@code send: false} for it.
 */
final class SubscriberLeg {
    private final PluginHandle subscriber;
    private final String mid;
    private final int mindex;
    /** Changed under the {@link Subscription}'s lock; read by the media path. */
    private volatile PublishedStream source;
    private boolean paused;
    private boolean send = true;
    private volatile boolean removed;
    /** Its PeerConnection is up and the client answered the offer that brought it (handle_info, events). */
    private volatile boolean ready;
    /** Not paused and sending: read for every packet, so one volatile read. */
    private volatile boolean forwards = true;
    /** The layer choice for a simulcast source (a new one per source, the targets kept), else null. */
    private volatile SimulcastSelector selector;
    private volatile int substreamTarget = SimulcastSelector.LAYERS - 1;
    private volatile int temporalTarget = 2;
    private volatile long fallbackMicros;

    SubscriberLeg(PluginHandle subscriber, String mid, int mindex, PublishedStream source) {
        this.subscriber = subscriber;
        this.mid = mid;
        this.mindex = mindex;
        source(source);
    }

    PluginHandle subscriber() {
        return subscriber;
    }

    String mid() {
        return mid;
    }

    int mindex() {
        return mindex;
    }

    PublishedStream source() {
        return source;
    }

    void source(PublishedStream s) {
        SimulcastSelector next = null;
        if (s.simulcast) {
            next = new SimulcastSelector(s.codecName);
            next.substreamTarget(substreamTarget);
            next.temporalTarget(temporalTarget);
            next.fallback(fallbackMicros);
        }
        selector = next;
        source = s;
    }

    /** Whether the publisher's packets go to this leg now (on the publisher's I/O thread, per packet). */
    boolean forwards() {
        return forwards;
    }

    /** Paused with its subscription, or going on; returns whether it forwards now. */
    synchronized boolean paused(boolean value) {
        paused = value;
        forwards = !paused && send;
        return forwards;
    }

    /** {@code configure}'s {@code send} for this leg; returns whether it forwards now. */
    synchronized boolean send(boolean value) {
        send = value;
        forwards = !paused && send;
        return forwards;
    }

    synchronized boolean sends() {
        return send;
    }

    /** {@code unsubscribe}d: its m-line stays in the offers, inactive, with no source. */
    void removed() {
        removed = true;
        ready = false;
    }

    /** A new or unsubscribed leg carries {@code s} from now on (an m-line reused sends again). */
    synchronized void reuse(PublishedStream s) {
        source(s);
        send = true;
        forwards = !paused;
        removed = false;
    }

    void ready() {
        ready = !removed;
    }

    boolean isRemoved() {
        return removed;
    }

    /** The layer choice when the source sends simulcast, else null; used on the publisher's I/O thread. */
    SimulcastSelector selector() {
        return selector;
    }

    /** A subscriber's {@code configure}: the layers this leg is to get; null leaves a target. */
    void layers(Integer substream, Integer temporal, Long fallback) {
        SimulcastSelector s = selector;
        if (substream != null) {
            substreamTarget = Math.max(0, Math.min(SimulcastSelector.LAYERS - 1, substream));
            if (s != null) {
                s.substreamTarget(substream);
            }
        }
        if (temporal != null) {
            temporalTarget = Math.max(0, Math.min(2, temporal));
            if (s != null) {
                s.temporalTarget(temporal);
            }
        }
        if (fallback != null) {
            fallbackMicros = fallback;
            if (s != null) {
                s.fallback(fallback);
            }
        }
    }

    /** The simulcast layer to ask a key frame of for this leg: the one it gets, else the one it waits for. */
    int keyFrameLayer() {
        SimulcastSelector s = selector;
        if (s == null) {
            return -1;
        }
        return s.substream() >= 0 ? s.substream() : s.substreamTarget();
    }

    /** Whether its source is still published and subscribed (else the leg is offered inactive). */
    boolean isLive() {
        PublishedStream src = source;
        return !removed && src.publisher.publishing && src.publisher.streams.contains(src);
    }

    /** Its entry in an {@code attached} answer's {@code streams} (Janus 1.x keys). */
    ObjectNode describe() {
        PublishedStream src = source;
        ObjectNode s = Json.object();
        s.put("mindex", mindex);
        s.put("mid", mid);
        s.put("type", src.video ? "video" : "audio");
        if (removed) {
            // As Janus 1.1.2: an m-line nothing is subscribed on any more says only what it was.
            s.put("active", false);
            s.put("ready", false);
            s.put("send", true);
            return s;
        }
        src.publisher.id.put(s, "feed_id");
        s.put("feed_mid", src.mid);
        if (src.publisher.display != null) {
            s.put("feed_display", src.publisher.display);
        }
        s.put("active", isLive());
        s.put("send", sends());
        s.put("codec", src.codecName);
        s.put("ready", ready);
        SimulcastSelector sel = selector;
        if (sel != null) {
            // As Janus 1.1.2 (attached, updated, handle_info): the layers now and the targets.
            ObjectNode sim = s.putObject("simulcast");
            sim.put("substream", sel.substream());
            sim.put("substream-target", sel.substreamTarget());
            sim.put("temporal-layer", sel.temporal());
            sim.put("temporal-layer-target", sel.temporalTarget());
            if (fallbackMicros > 0) {
                sim.put("fallback", sel.fallbackMicros());
            }
        }
        return s;
    }
}
