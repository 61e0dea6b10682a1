package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;

/**
 * One m-line of a subscriber's PeerConnection: the publisher stream it carries now (a
 * {@code switch} changes it), under its own mid. What the leg rewrites (SSRC, sequence
 * numbers, timestamps, payload type, header-extension ids) the core does on its copy of each
 * packet.
 */
final class SubscriberLeg {
    private final PluginHandle subscriber;
    private final String mid;
    private final int mindex;
    /** Changed under the {@link Subscription}'s lock; read by the media path. */
    private volatile PublishedStream source;

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

    /** Whether its source is still published (else the leg is offered inactive). */
    boolean isLive() {
        PublishedStream src = source;
        return src.publisher.publishing && src.publisher.streams.contains(src);
    }

    /** Its entry in an {@code attached} answer's {@code streams} (Janus 1.x keys). */
    ObjectNode describe() {
        PublishedStream src = source;
        ObjectNode s = Json.object();
        s.put("mindex", mindex);
        s.put("mid", mid);
        s.put("type", src.video ? "video" : "audio");
        src.publisher.id.put(s, "feed_id");
        s.put("feed_mid", src.mid);
        if (src.publisher.display != null) {
            s.put("feed_display", src.publisher.display);
        }
        if (!isLive()) {
            s.put("active", false);
        }
        s.put("send", true);
        s.put("codec", src.codecName);
        s.put("ready", false);
        return s;
    }
}
