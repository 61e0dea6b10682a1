package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber handle's state (ptype {@code subscriber}): the room, the legs of the offer we
 * made, and whether the legs are attached to their publishers' streams (once its PeerConnection
 * is up, so no packet is forwarded to a leg that cannot send yet).
 */
final class Subscription {
    final Room room;
    final long privateId;
    final List<SubscriberLeg> legs;
    private boolean attached;
    private volatile boolean answered;
    /** Our offers' {@code o=} session id and version (one more per offer, RFC 3264 §8). */
    final long sessionId = ThreadLocalRandom.current().nextLong(1, 1L << 53);
    private final AtomicLong offerVersion = new AtomicLong();

    Subscription(Room room, long privateId, List<SubscriberLeg> legs) {
        this.room = room;
        this.privateId = privateId;
        this.legs = List.copyOf(legs);
    }

    /** The leg with {@code mid}, or null. */
    SubscriberLeg leg(String mid) {
        for (SubscriberLeg l : legs) {
            if (l.mid().equals(mid)) {
                return l;
            }
        }
        return null;
    }

    /** Its PeerConnection is up: the legs start receiving their publishers' packets. Returns false if already. */
    synchronized boolean attach() {
        if (attached) {
            return false;
        }
        attached = true;
        legs.forEach(l -> l.source().add(l));
        return true;
    }

    /** A {@code switch}: the leg carries {@code to} from now on (attached to it at once if the legs are). */
    synchronized void switchSource(SubscriberLeg leg, PublishedStream to) {
        if (attached) {
            leg.source().remove(leg);
        }
        leg.source(to);
        if (attached) {
            to.add(leg);
        }
    }

    /** Its PeerConnection or handle went away: nothing is forwarded to it any more. */
    synchronized void detach() {
        attached = false;
        legs.forEach(l -> l.source().remove(l));
    }

    void answered() {
        answered = true;
    }

    /** A new offer went out: it waits for its answer. */
    void offered() {
        answered = false;
    }

    long nextOfferVersion() {
        return offerVersion.incrementAndGet();
    }

    /** {@code handle_info}'s {@code plugin_specific} of a subscriber (plugins.md §2.6). */
    void describe(ObjectNode out) {
        out.put("type", "subscriber");
        room.id.put(out, "room");
        out.put("private_id", privateId);
        out.put("answered", answered);
        out.put("pending_offer", !answered);
        out.put("pending_restart", false);
        out.put("paused", false);
        ArrayNode streams = out.putArray("streams");
        legs.forEach(l -> streams.add(l.describe()));
    }

    static ObjectNode event(Room room) {
        ObjectNode e = Json.object();
        e.put("videoroom", "event");
        room.id.put(e, "room");
        return e;
    }
}
