package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginContext;

import java.util.Arrays;

/**
 * A publisher's data channel m-line, as its answer accepted it, and the subscriptions its
 * messages go to. Data is low rate: the subscribers are an array replaced on each change (copy
 * on write, under the object's lock) and read without a lock when a message comes.
 */
final class PublishedData {
    final Participant publisher;
    final int mindex;
    final String mid;
    private volatile DataLeg[] subscribers = new DataLeg[0];

    PublishedData(Participant publisher, int mindex, String mid) {
        this.publisher = publisher;
        this.mindex = mindex;
        this.mid = mid;
    }

    DataLeg[] subscribers() {
        return subscribers;
    }

    synchronized void add(DataLeg leg) {
        DataLeg[] now = subscribers;
        if (Arrays.asList(now).contains(leg)) {
            return;
        }
        DataLeg[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = leg;
        subscribers = next;
    }

    synchronized void remove(DataLeg leg) {
        subscribers = Arrays.stream(subscribers).filter(l -> l != leg).toArray(DataLeg[]::new);
    }

    /** No longer published: its messages go nowhere. */
    synchronized void removeAll() {
        subscribers = new DataLeg[0];
    }

    /**
     * A message from the publisher: to every subscriber attached now, on a channel labelled with
     * the publisher's id (the subscriber's data m-line carries every publisher it subscribed to),
     * text or binary as it came. The core opens that channel on a subscriber's first message.
     */
    void relay(PluginContext ctx, byte[] message, boolean binary) {
        String label = label();
        for (DataLeg leg : subscribers) {
            ctx.relayData(leg.subscriber(), label, message, binary);
        }
    }

    /** The label its messages carry to subscribers: the publisher's id, as Janus 1.1.2 labels them. */
    String label() {
        return publisher.id.toString();
    }

    /** Its entry in a {@code publishers} list, a {@code configured} answer and handle_info (Janus 1.1.2 keys). */
    ObjectNode describe() {
        ObjectNode s = Json.object();
        s.put("type", "data");
        s.put("mindex", mindex);
        s.put("mid", mid);
        return s;
    }
}
