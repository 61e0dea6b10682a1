package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;

/**
 * One m-line of a subscriber's PeerConnection: the publisher stream it carries, under its own
 * mid. What the leg rewrites (SSRC, sequence numbers, timestamps, header-extension ids) the
 * core does on its copy of each packet.
 */
record SubscriberLeg(PluginHandle subscriber, String mid, int mindex, PublishedStream source) {

    /** Its entry in an {@code attached} answer's {@code streams} (Janus 1.x keys). */
    ObjectNode describe() {
        ObjectNode s = Json.object();
        s.put("mindex", mindex);
        s.put("mid", mid);
        s.put("type", source.video ? "video" : "audio");
        source.publisher.id.put(s, "feed_id");
        s.put("feed_mid", source.mid);
        if (source.publisher.display != null) {
            s.put("feed_display", source.publisher.display);
        }
        s.put("send", true);
        s.put("codec", source.codecName);
        s.put("ready", false);
        return s;
    }
}
