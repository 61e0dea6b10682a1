package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;

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

    SubscriberLeg(PluginHandle subscriber, String mid, int mindex, PublishedStream source) {
        this.subscriber = subscriber;
        this.mid = mid;
        this.mindex = mindex;
        this.source = source;
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
        source = s;
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
        return s;
    }
}
