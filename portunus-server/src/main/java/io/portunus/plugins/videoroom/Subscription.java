package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber handle's state (ptype {@code subscriber}): the room, the legs of the offer we
 * made (one per m-line, in order: {@code subscribe} adds some at the end, {@code unsubscribe}
 * leaves them inactive), whether the legs are attached to their publishers' streams (once its
 * PeerConnection is up, so no packet is forwarded to a leg that cannot send yet), and whether
 * it is paused.
 */
final class Subscription {
    final Room room;
    final long privateId;
    /** Replaced on each change (under this object's lock), read without a lock by the media path. */
    private volatile List<SubscriberLeg> legs;
    private boolean attached;
    private volatile boolean paused;
    private volatile boolean answered;
    private boolean subscribed;
    /**
     * A {@code configure} with {@code restart}/{@code update} that came while our last offer
     * awaited its answer: null for none, else whether it asked for an ICE restart. Made once the
     * answer is in (as Janus 1.1.2; handle_info's {@code pending_restart}).
     */
    private Boolean deferredOffer;
    /** Legs added by the last offer, asked a key frame for once its answer is in. */
    private final List<SubscriberLeg> awaitingAnswer = new ArrayList<>();
    /** Our offers' {@code o=} session id and version (one more per offer, RFC 3264 §8). */
    final long sessionId = ThreadLocalRandom.current().nextLong(1, 1L << 53);
    private final AtomicLong offerVersion = new AtomicLong();

    /** Its data channel m-line, or null when it subscribed to no publisher's data. */
    private final DataLeg data;

    Subscription(Room room, long privateId, List<SubscriberLeg> legs) {
        this(room, privateId, legs, null);
    }

    Subscription(Room room, long privateId, List<SubscriberLeg> legs, DataLeg data) {
        this.room = room;
        this.privateId = privateId;
        this.legs = List.copyOf(legs);
        this.data = data;
    }

    /** Its data channel m-line, or null. */
    DataLeg data() {
        return data;
    }

    /** How many m-lines its offers have: the legs and the data m-line. */
    int mLines() {
        return legs.size() + (data == null ? 0 : 1);
    }

    /** More publishers' data on its data m-line (a {@code subscribe}): they reach it at once if attached. */
    synchronized void addDataSources(List<PublishedData> sources) {
        if (data == null) {
            return;
        }
        for (PublishedData d : sources) {
            if (data.addSource(d) && attached && !paused) {
                d.add(data);
            }
        }
    }

    /** Its streams as the events and handle_info list them: the legs and the data m-line, in m-line order. */
    void describeStreams(ArrayNode list) {
        DataLeg d = data;
        boolean dataDone = d == null;
        for (SubscriberLeg l : legs) {
            if (!dataDone && d.mindex() < l.mindex()) {
                list.add(d.describe());
                dataDone = true;
            }
            list.add(l.describe());
        }
        if (!dataDone) {
            list.add(d.describe());
        }
    }

    /** Every leg, in m-line order (removed ones included: their m-lines stay). */
    List<SubscriberLeg> legs() {
        return legs;
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

    /** Whether its PeerConnection came up and its legs receive their publishers' packets. */
    synchronized boolean isAttached() {
        return attached;
    }

    /** Its PeerConnection is up: the legs start receiving their publishers' packets. Returns false if already. */
    synchronized boolean attach() {
        if (attached) {
            return false;
        }
        attached = true;
        legs.stream().filter(l -> !l.isRemoved()).forEach(l -> {
            l.source().add(l);
            l.ready();
        });
        if (data != null) {
            data.ready(true);
            if (!paused) {
                data.connect();
            }
        }
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

    /**
     * A {@code subscribe}: a leg for each of these streams, as Janus 1.1.2 does it: in the first
     * unsubscribed m-line of the same kind, else at the end (mids and m-line indexes following
     * the last ones); attached at once if the others are (they send once the answer is in).
     */
    synchronized List<SubscriberLeg> add(PluginHandle handle, List<PublishedStream> sources) {
        List<SubscriberLeg> next = new ArrayList<>(legs);
        List<SubscriberLeg> added = new ArrayList<>();
        for (PublishedStream s : sources) {
            SubscriberLeg leg = next.stream().filter(l -> l.isRemoved() && l.source().video == s.video)
                    .findFirst().orElse(null);
            if (leg == null) {
                int index = next.size() + (data == null ? 0 : 1); // after every m-line, the data one included
                leg = new SubscriberLeg(handle, Integer.toString(index), index, s);
                next.add(leg);
            }
            revive(leg, s);
            added.add(leg);
        }
        legs = List.copyOf(next);
        return added;
    }

    /**
     * A leg (new, or unsubscribed before) carries {@code s} from the next offer on: attached at
     * once if the others are, asked a key frame for once that offer's answer is in.
     */
    synchronized void revive(SubscriberLeg leg, PublishedStream s) {
        leg.reuse(s);
        leg.paused(paused);
        if (attached) {
            s.add(leg);
        }
        awaitingAnswer.add(leg);
    }

    /** An {@code unsubscribe}: the leg forwards nothing any more; its m-line stays, inactive. */
    synchronized void remove(SubscriberLeg leg) {
        leg.source().remove(leg);
        leg.removed();
        awaitingAnswer.remove(leg);
    }

    /** {@code pause} (true) and {@code start} after it (false): every leg stops or goes on forwarding. */
    synchronized void paused(boolean value) {
        paused = value;
        legs.forEach(l -> l.paused(value));
        if (data != null && attached) {
            // As the legs: a paused subscriber gets no data either.
            if (value) {
                data.disconnect();
            } else {
                data.connect();
            }
        }
    }

    boolean isPaused() {
        return paused;
    }

    /** Its PeerConnection or handle went away: nothing is forwarded to it any more. */
    synchronized void detach() {
        attached = false;
        legs.forEach(l -> l.source().remove(l));
        if (data != null) {
            data.disconnect();
            data.ready(false);
        }
    }

    /** The answer to our last offer is in; returns the legs that offer added (they need a key frame). */
    synchronized List<SubscriberLeg> answered() {
        answered = true;
        List<SubscriberLeg> added = List.copyOf(awaitingAnswer);
        if (attached) {
            added.forEach(SubscriberLeg::ready);
        }
        awaitingAnswer.clear();
        return added;
    }

    /** True the first time only: the first answer of this subscription (its {@code subscribed} event). */
    synchronized boolean firstAnswer() {
        if (subscribed) {
            return false;
        }
        subscribed = true;
        return true;
    }

    /** A new offer went out: it waits for its answer. */
    void offered() {
        answered = false;
    }

    /** Whether the client answered our last offer. */
    boolean isAnswered() {
        return answered;
    }

    /** A new offer (with an ICE restart if {@code restart}) to make once the pending one is answered. */
    synchronized void deferOffer(boolean restart) {
        deferredOffer = deferredOffer == null ? restart : deferredOffer || restart;
    }

    /** The deferred offer, if any (null: none; else whether it restarts ICE), forgotten here. */
    synchronized Boolean takeDeferredOffer() {
        Boolean d = deferredOffer;
        deferredOffer = null;
        return d;
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
        out.put("pending_restart", pendingRestart());
        out.put("paused", paused);
        describeStreams(out.putArray("streams"));
    }

    private synchronized boolean pendingRestart() {
        return deferredOffer != null;
    }

    static ObjectNode event(Room room) {
        ObjectNode e = Json.object();
        e.put("videoroom", "event");
        room.id.put(e, "room");
        return e;
    }
}
