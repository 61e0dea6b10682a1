package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

/**
 * Per-handle VideoRoom state: what the handle has joined as, if anything. The participant is
 * set and cleared under the {@link Rooms} lock; the flags are read by {@code handle_info}.
 */
final class VideoRoomSession {
    private volatile Participant participant;
    private volatile Subscription subscription;
    private volatile boolean hangingUp;
    private volatile boolean destroyed;

    Participant participant() {
        return participant;
    }

    void participant(Participant p) {
        participant = p;
    }

    Subscription subscription() {
        return subscription;
    }

    void subscription(Subscription s) {
        subscription = s;
    }

    void hangingUp(boolean value) {
        hangingUp = value;
    }

    void destroyed() {
        destroyed = true;
    }

    boolean isDestroyed() {
        return destroyed;
    }

    /** {@code handle_info}'s {@code plugin_specific} (plugins.md §2.6). */
    ObjectNode describe() {
        ObjectNode out = Json.object();
        Subscription sub = subscription;
        if (sub != null) {
            sub.describe(out);
            out.put("hangingup", hangingUp ? 1 : 0);
            out.put("destroyed", destroyed ? 1 : 0);
            return out;
        }
        Participant p = participant;
        if (p != null) {
            out.put("type", "publisher");
        }
        if (p != null && p.inRoom) {
            p.room.id.put(out, "room");
            p.id.put(out, "id");
            out.put("private_id", p.privateId);
            if (p.display != null) {
                out.put("display", p.display);
            }
            out.put("bitrate", p.bitrate());
            var streams = out.putArray("streams");
            p.streams.forEach(s -> streams.add(s.describeForInfo()));
            PublishedData data = p.data;
            if (data != null) {
                var d = data.describe();
                d.put("subscribers", data.subscribers().length);
                streams.insert((int) p.streams.stream().filter(s -> s.mindex < data.mindex).count(), d);
            }
            // Not in Janus: the publisher's RTP forwarders with their counters (read from the
            // streams' copy-on-write arrays: handle_info holds no lock).
            var forwarders = out.putArray("rtp_forwarders");
            p.streams.forEach(s -> {
                for (RtpForwarder f : s.forwarders()) {
                    forwarders.add(f.describeWithCounters());
                }
            });
            if (forwarders.isEmpty()) {
                out.remove("rtp_forwarders");
            }
        }
        out.put("hangingup", hangingUp ? 1 : 0);
        out.put("destroyed", destroyed ? 1 : 0);
        return out;
    }
}
