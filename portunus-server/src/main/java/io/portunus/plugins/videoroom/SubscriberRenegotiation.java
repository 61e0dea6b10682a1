package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.plugins.videoroom.Params.Type;

/**
 * A subscriber's {@code configure} asking for a new offer, as Janus 1.1.2 answers it:
 * {@code restart: true} is an ICE restart (the offer carries new ICE credentials, the client's
 * answer with {@code start} its new ones; DTLS, SRTP and the legs stay, media goes on), and
 * {@code update: true} a new offer with nothing changed. The offer comes with the
 * {@code configured} event. Asked while our last offer still awaits its answer, there is no
 * reply: the offer is made once that answer is in, in an {@code updated} event (handle_info's
 * {@code pending_restart} meanwhile).
 */
final class SubscriberRenegotiation {
    /** What a {@code configure} asked for. */
    record Ask(boolean restart, boolean update) {
        static final Ask NONE = new Ask(false, false);

        boolean any() {
            return restart || update;
        }
    }

    /** {@link #offer}'s answer for a request held until the pending offer is answered (compared by identity). */
    static final ObjectNode HELD = Json.object();

    private SubscriberRenegotiation() {
    }

    /** {@code restart} and {@code update}, optional booleans (430 {@code Invalid element type (restart should be a boolean)}). */
    static Ask read(JsonNode body) throws VideoRoomError {
        Params.check(body, "restart", Type.BOOLEAN, false);
        Params.check(body, "update", Type.BOOLEAN, false);
        return new Ask(Boolean.TRUE.equals(Params.bool(body, "restart")), Boolean.TRUE.equals(Params.bool(body, "update")));
    }

    /**
     * The reply's offer, or null when none was asked for. Asked while our last offer awaits its
     * answer, it is held (returns {@link #HELD}): the request then gets no reply now.
     */
    static ObjectNode offer(PluginContext ctx, PluginHandle handle, Subscription sub, Ask ask) throws VideoRoomError {
        if (!ask.any()) {
            return null;
        }
        if (!sub.isAnswered()) {
            sub.deferOffer(ask.restart());
            return HELD;
        }
        ObjectNode jsep = Subscribing.writeOffer(ctx, handle, sub, ask.restart());
        sub.offered();
        return jsep;
    }

    /** The client answered: a deferred offer goes out now, in an {@code updated} event (as Janus 1.1.2). */
    static void afterAnswer(PluginContext ctx, PluginHandle handle, Subscription sub, Outbox out) {
        Boolean restart = sub.takeDeferredOffer();
        if (restart == null) {
            return;
        }
        try {
            ObjectNode jsep = Subscribing.writeOffer(ctx, handle, sub, restart);
            sub.offered();
            ObjectNode updated = Json.object();
            updated.put("videoroom", "updated");
            sub.room.id.put(updated, "room");
            ArrayNode streams = updated.putArray("streams");
            sub.legs().forEach(l -> streams.add(l.describe()));
            out.reply(handle, null, updated, jsep);
            out.notice(handle, Subscribing.notice("updated", sub));
        } catch (VideoRoomError e) {
            out.push(handle, e.toEvent());
        }
    }

}
