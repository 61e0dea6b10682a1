package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.plugins.videoroom.Params.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * What a subscriber turns on and off without a new offer (plugins.md §2.4): {@code pause}
 * (nothing is forwarded to it, {@code paused: "ok"}), {@code start} after it (forwarding goes
 * on), and {@code configure} with {@code send} per leg ({@code streams: [{mid, send}]}) or the
 * legacy {@code audio}/{@code video} flags for every leg of that kind ({@code configured: "ok"}).
 * A leg that goes on forwarding carries on its sequence numbers and timestamps, and its source
 * is asked for a key frame so it decodes again at once.
 */
final class SubscriberControls {
    private SubscriberControls() {
    }

    /** {@code pause}: every leg stops forwarding until {@code start}. */
    static void pause(PluginHandle handle, Subscription sub, String transaction, Outbox out) {
        sub.paused(true);
        ObjectNode paused = Subscription.event(sub.room);
        paused.put("paused", "ok");
        out.reply(handle, transaction, paused);
    }

    /** {@code start} after {@code pause}: the legs that forward again (the video ones need a key frame). */
    static List<SubscriberLeg> resume(PluginContext ctx, PluginHandle handle, Subscription sub) {
        List<SubscriberLeg> resumed = new ArrayList<>();
        for (SubscriberLeg leg : sub.legs()) {
            if (!leg.forwards() && leg.sends() && !leg.isRemoved()) {
                ctx.forwardingResumed(handle, leg.mid());
                resumed.add(leg);
            }
        }
        sub.paused(false);
        return resumed;
    }

    /**
     * {@code configure} for a subscriber: {@code send} per mid in {@code streams}, or the legacy
     * {@code audio}/{@code video} booleans for every leg of that kind; {@code restart} /
     * {@code update} ({@link SubscriberRenegotiation}) add a new offer to the reply. Returns the
     * legs that started forwarding again (they need a key frame).
     */
    static List<SubscriberLeg> configure(PluginContext ctx, JsonNode body, PluginHandle handle, Subscription sub,
                                         SubscriberRenegotiation.Ask ask, String transaction, Outbox out)
            throws VideoRoomError {
        List<SubscriberLeg> legs = new ArrayList<>();
        List<Boolean> values = new ArrayList<>();
        JsonNode streams = body.get("streams");
        if (streams != null) {
            if (!streams.isArray() || streams.isEmpty()) {
                throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid element type (streams should be a non-empty array)");
            }
            for (JsonNode s : streams) {
                Params.check(s, "mid", Type.STRING, false);
                Params.check(s, "send", Type.BOOLEAN, false);
                // An entry without a mid is about every leg (as Janus 1.1.2).
                List<SubscriberLeg> about = sub.legs();
                if (s.has("mid")) {
                    SubscriberLeg leg = sub.leg(s.get("mid").asText());
                    if (leg == null) {
                        throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such mid '" + s.get("mid").asText()
                                + "' in subscription");
                    }
                    about = List.of(leg);
                }
                if (s.has("send")) {
                    for (SubscriberLeg leg : about) {
                        legs.add(leg);
                        values.add(s.get("send").asBoolean());
                    }
                }
            }
        }
        Params.check(body, "audio", Type.BOOLEAN, false);
        Params.check(body, "video", Type.BOOLEAN, false);
        for (String kind : new String[] {"audio", "video"}) {
            Boolean on = Params.bool(body, kind);
            if (on == null) {
                continue;
            }
            for (SubscriberLeg leg : sub.legs()) {
                if (!leg.isRemoved() && leg.source().video == kind.equals("video")) {
                    legs.add(leg);
                    values.add(on);
                }
            }
        }
        List<SubscriberLeg> resumed = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            SubscriberLeg leg = legs.get(i);
            boolean before = leg.forwards();
            if (leg.send(values.get(i)) && !before && !leg.isRemoved()) {
                ctx.forwardingResumed(handle, leg.mid());
                resumed.add(leg);
            }
        }
        ObjectNode jsep = SubscriberRenegotiation.offer(ctx, handle, sub, ask);
        if (jsep == SubscriberRenegotiation.HELD) {
            return resumed; // as Janus 1.1.2: no reply; the offer comes in "updated" after the answer
        }
        ObjectNode configured = Subscription.event(sub.room);
        configured.put("configured", "ok");
        out.reply(handle, transaction, configured, jsep);
        return resumed;
    }
}
