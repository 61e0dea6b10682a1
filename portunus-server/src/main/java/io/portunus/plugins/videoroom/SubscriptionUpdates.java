package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.plugins.videoroom.Params.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * Changing what a subscription carries (plugins.md §2.4): {@code subscribe} adds legs for more
 * publisher streams ({@code streams: [{feed, mid?}]}) at the end of the offer, {@code unsubscribe}
 * stops legs ({@code streams: [{feed, mid?} | {sub_mid}]}), which stay in the offer as inactive
 * m-lines, and {@code update} does both ({@code subscribe}, {@code unsubscribe}) in one new
 * offer. The offer goes in an {@code updated} event on the same PeerConnection (ICE and DTLS
 * stay); the client answers with {@code start}, and the new legs' sources are asked for a key
 * frame then.
 */
final class SubscriptionUpdates {
    private final VideoRoomConfig config;
    private final Rooms rooms;
    private final Subscribing subscribing;

    SubscriptionUpdates(VideoRoomConfig config, Rooms rooms, Subscribing subscribing) {
        this.config = config;
        this.rooms = rooms;
        this.subscribing = subscribing;
    }

    void handle(PluginContext ctx, String request, JsonNode body, PluginHandle handle, Subscription sub,
                String transaction, Outbox out) throws VideoRoomError {
        JsonNode add = null;
        JsonNode drop = null;
        switch (request) {
            case "subscribe" -> add = list(body, "streams", true, "Empty subscription list");
            case "unsubscribe" -> drop = list(body, "streams", true, "Empty unsubscription list");
            default -> {
                add = list(body, "subscribe", false, "Empty subscription list");
                drop = list(body, "unsubscribe", false, "Empty unsubscription list");
                if (add == null && drop == null) {
                    throw new VideoRoomError(VideoRoomError.MISSING_ELEMENT,
                            "At least one of either 'subscribe' or 'unsubscribe' must be present");
                }
            }
        }
        List<PublishedStream> sources = List.of();
        List<SubscriberLeg> removed = new ArrayList<>();
        synchronized (rooms) {
            if (add != null) {
                sources = subscribing.wanted(sub.room, add); // checked first: a bad feed changes nothing
                sub.addDataSources(subscribing.wantedData(sub.room, add)); // on its data m-line, if it has one
            }
            if (drop != null) {
                removed.addAll(matching(sub, drop));
            }
        }
        removed.forEach(sub::remove);
        List<SubscriberLeg> added = sub.add(handle, sources);
        ObjectNode updated = Json.object();
        updated.put("videoroom", "updated");
        sub.room.id.put(updated, "room");
        if (removed.isEmpty() && added.isEmpty()) {
            out.reply(handle, transaction, updated); // as Janus: nothing changed, no streams, no offer
            return;
        }
        ArrayNode streams = updated.putArray("streams");
        sub.describeStreams(streams);
        ObjectNode jsep = Subscribing.writeOffer(ctx, handle, sub);
        sub.offered();
        out.reply(handle, transaction, updated, jsep);
        out.notice(handle, Subscribing.notice("updated", sub));
    }

    /** A list of streams to add or remove: an array, not empty (Janus 1.1.2's texts); null if absent and optional. */
    private static JsonNode list(JsonNode body, String name, boolean required, String whenEmpty) throws VideoRoomError {
        Params.check(body, name, Type.ARRAY, required);
        JsonNode v = body.get(name);
        if (v != null && v.isEmpty()) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, whenEmpty);
        }
        return v;
    }

    /** The legs an {@code unsubscribe} list names: by publisher ({@code feed}, {@code mid}) or by leg ({@code sub_mid}). */
    private List<SubscriberLeg> matching(Subscription sub, JsonNode list) throws VideoRoomError {
        List<SubscriberLeg> found = new ArrayList<>();
        for (JsonNode entry : list) {
            if (!entry.isObject()) {
                throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid element type (streams should be an array of objects)");
            }
            Params.check(entry, "mid", Type.STRING, false);
            Params.check(entry, "sub_mid", Type.STRING, false);
            VideoRoomId feed = entry.has("feed") ? VideoRoomId.read(entry, "feed", config.stringIds(), true) : null;
            String mid = Params.text(entry, "mid");
            String subMid = Params.text(entry, "sub_mid");
            // An entry naming neither a feed nor a leg matches nothing (Janus ignores it too).
            for (SubscriberLeg leg : sub.legs()) {
                if (leg.isRemoved() || found.contains(leg)) {
                    continue;
                }
                boolean byLeg = subMid != null && leg.mid().equals(subMid);
                boolean byFeed = feed != null && leg.source().publisher.id.equals(feed)
                        && (mid == null || leg.source().mid.equals(mid));
                if (byLeg || byFeed) {
                    found.add(leg);
                }
            }
        }
        return found;
    }
}
