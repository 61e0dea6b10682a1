package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;

import java.util.ArrayList;
import java.util.List;

/**
 * A subscriber's one data channel m-line (as Janus 1.1.2: a single {@code m=application} for
 * every publisher subscribed to, each publisher's messages on a channel labelled with its id).
 * Its sources change under the {@link Subscription}'s lock; the publishers' {@link PublishedData}
 * hold it while the subscription is attached and not paused.
 */
final class DataLeg {
    private final PluginHandle subscriber;
    private final String mid;
    private final int mindex;
    private final List<PublishedData> sources = new ArrayList<>();
    private volatile boolean ready;

    DataLeg(PluginHandle subscriber, String mid, int mindex) {
        this.subscriber = subscriber;
        this.mid = mid;
        this.mindex = mindex;
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

    /** Adds a publisher's data as a source (once); returns whether it was new. */
    synchronized boolean addSource(PublishedData source) {
        if (sources.contains(source)) {
            return false;
        }
        sources.add(source);
        return true;
    }

    synchronized List<PublishedData> sources() {
        return List.copyOf(sources);
    }

    /** Starts receiving its sources' messages (the subscription is attached and not paused). */
    void connect() {
        sources().forEach(s -> s.add(this));
    }

    /** Stops receiving them (paused, detached). */
    void disconnect() {
        sources().forEach(s -> s.remove(this));
    }

    void ready(boolean value) {
        ready = value;
    }

    /** Its entry in {@code attached}/{@code updated} streams and handle_info, as Janus 1.1.2 writes it. */
    ObjectNode describe() {
        List<PublishedData> now = sources();
        ObjectNode s = Json.object();
        s.put("type", "data");
        s.put("active", now.stream().anyMatch(d -> d.publisher.publishing && d.publisher.data == d));
        s.put("mindex", mindex);
        s.put("mid", mid);
        s.put("ready", ready);
        s.put("send", true);
        s.put("sources", now.size());
        ArrayNode ids = s.putArray("source_ids");
        now.forEach(d -> {
            ObjectNode holder = Json.object();
            d.publisher.id.put(holder, "id");
            ids.add(holder.get("id"));
        });
        return s;
    }
}
