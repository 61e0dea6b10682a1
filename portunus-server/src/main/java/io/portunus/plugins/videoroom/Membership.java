package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;
import io.portunus.plugins.videoroom.Params.Param;
import io.portunus.plugins.videoroom.Params.Type;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Joining and leaving a room (plugins.md §2.4): as a publisher, the {@code joined} answer with
 * the room's publishers, the {@code joining} and {@code leaving} notifications to the others
 * and the plugin events of both; as a subscriber, the legs planned ({@link Subscribing}). A
 * publisher that leaves stops publishing, and its subscribers get a new offer.
 */
final class Membership {
    private static final Param[] JOIN = {
            Param.required("ptype", Type.STRING)};
    private static final Param[] PUBLISHER = {
            Param.optional("display", Type.STRING), Param.optional("token", Type.STRING),
            Param.optional("pin", Type.STRING)};

    private final VideoRoomConfig config;
    private final Rooms rooms;
    private final Subscribing subscribing;

    Membership(VideoRoomConfig config, Rooms rooms, Subscribing subscribing) {
        this.config = config;
        this.rooms = rooms;
        this.subscribing = subscribing;
    }

    /**
     * {@code join}: as a publisher the answer goes to the handle with {@code transaction}; as a
     * subscriber the legs are planned and returned, for the offer to be made outside the lock.
     * Checked in Janus's order: the handle's own state, the room and its pin, then the role.
     */
    Subscribing.Plan join(JsonNode body, PluginHandle handle, VideoRoomSession session, String transaction, Outbox out)
            throws VideoRoomError {
        synchronized (rooms) {
            VideoRoomId roomId = VideoRoomId.read(body, "room", config.stringIds(), true);
            Params.check(body, JOIN);
            Participant already = session.participant();
            if (session.subscription() != null) {
                throw new VideoRoomError(VideoRoomError.ALREADY_JOINED, "Already in as a subscriber on this handle");
            }
            if (already != null) {
                throw new VideoRoomError(VideoRoomError.ALREADY_JOINED, already.inRoom
                        ? "Already in as a publisher on this handle" : "Not in a room (create a new handle)");
            }
            Room room = rooms.require(roomId);
            Params.checkSecret(room.pin, body, "pin");
            String ptype = body.get("ptype").asText();
            switch (ptype.toLowerCase(Locale.ROOT)) {
                case "publisher" -> {
                    joinAsPublisher(body, room, handle, session, transaction, out);
                    return null;
                }
                case "subscriber", "listener" -> {
                    if (!body.has("streams") && !body.has("feed")) {
                        throw Params.missing("feed");
                    }
                    return subscribing.plan(body, room, handle);
                }
                default -> throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid element (ptype)");
            }
        }
    }

    /** An asynchronous request other than join from a handle that never joined: Janus's 424. */
    static VideoRoomError unconfigured() {
        return new VideoRoomError(VideoRoomError.JOIN_FIRST, "Invalid request on unconfigured participant");
    }

    private void joinAsPublisher(JsonNode body, Room room, PluginHandle handle, VideoRoomSession session,
                                 String transaction, Outbox out) throws VideoRoomError {
        Params.check(body, PUBLISHER);
        OwnAudioLevels levels = OwnAudioLevels.atJoin(body);
        VideoRoomId userId = VideoRoomId.read(body, "id", config.stringIds(), false);
        if (room.checkAllowed) {
            String token = Params.text(body, "token");
            if (token == null || !room.allowed.contains(token)) {
                throw new VideoRoomError(VideoRoomError.UNAUTHORIZED, "Unauthorized (not in the allowed list)");
            }
        }
        if (userId != null && !userId.isUnset() && room.participants.containsKey(userId)) {
            throw new VideoRoomError(VideoRoomError.ID_EXISTS, "User ID " + userId + " already exists");
        }
        if (userId == null || userId.isUnset()) {
            do {
                userId = VideoRoomId.random(config.stringIds());
            } while (room.participants.containsKey(userId));
        }
        String display = Params.text(body, "display");
        Participant me = new Participant(userId, ThreadLocalRandom.current().nextLong(1, 1L << 32), handle, room,
                display);

        ObjectNode joined = Json.object();
        joined.put("videoroom", "joined");
        room.id.put(joined, "room");
        joined.put("description", room.description);
        userId.put(joined, "id");
        joined.put("private_id", me.privateId);
        ArrayNode publishers = joined.putArray("publishers");
        room.participants().stream().filter(Participant::isPublishing).forEach(p -> publishers.add(p.describeAsPublisher()));
        levels.putIn(joined);
        levels.applyTo(me);
        if (room.notifyJoining) {
            ArrayNode attendees = joined.putArray("attendees");
            room.participants().stream().filter(p -> !p.isPublishing()).forEach(p -> attendees.add(p.describeAsAttendee()));
            ObjectNode joining = event(room);
            joining.set("joining", me.describeAsAttendee());
            room.participants().forEach(p -> out.push(p.handle, joining.deepCopy()));
        }
        room.participants.put(userId, me);
        session.participant(me);
        out.reply(handle, transaction, joined);

        ObjectNode notice = Json.object();
        notice.put("event", "joined");
        room.id.put(notice, "room");
        userId.put(notice, "id");
        notice.put("private_id", me.privateId);
        String token = Params.text(body, "token");
        if (token != null) {
            notice.put("token", token);
        }
        if (display != null) {
            notice.put("display", display);
        }
        out.notice(handle, notice);
    }

    /** {@code leave}: out of the room; {@code leaving: "ok"} to the handle, {@code leaving: <id>} to the others. */
    void leave(PluginHandle handle, VideoRoomSession session, String transaction, Outbox out) throws VideoRoomError {
        synchronized (rooms) {
            Participant me = session.participant();
            if (me == null) {
                throw unconfigured();
            }
            if (!me.inRoom) {
                throw new VideoRoomError(VideoRoomError.NO_SUCH_ROOM, "No such room");
            }
            boolean published = me.publishing;
            remove(me.room, me, null, out);
            ObjectNode ok = event(me.room);
            ok.put("leaving", "ok");
            out.reply(handle, transaction, ok);
            if (published) {
                out.closePc(handle); // as Janus: a publisher that leaves stops sending
            }
        }
    }

    /** The handle went away (detached or its session ended): out of its room, if still in one. */
    void gone(VideoRoomSession session, Outbox out) {
        synchronized (rooms) {
            Participant me = session.participant();
            if (me != null && me.inRoom) {
                // Janus 1.1.2 tells the room "unpublished" twice (once as the PeerConnection goes,
                // once as the handle does), publishing or not, then "leaving": clients see the same.
                for (int i = 0; i < 2; i++) {
                    ObjectNode unpublished = event(me.room);
                    me.id.put(unpublished, "unpublished");
                    me.room.participants().stream().filter(p -> p != me)
                            .forEach(p -> out.push(p.handle, unpublished.deepCopy()));
                    ObjectNode notice = Json.object();
                    notice.put("event", "unpublished");
                    me.room.id.put(notice, "room");
                    me.id.put(notice, "id");
                    out.notice(null, notice);
                }
                remove(me.room, me, null, out);
            }
        }
        Subscription sub = session.subscription();
        if (sub != null) {
            sub.detach();
        }
    }

    /**
     * Takes {@code p} out of {@code room} and tells the others; {@code reason} "kicked" for a
     * moderator's kick (then {@code p} hears it too), null for leaving of its own accord. Called
     * holding the rooms lock.
     */
    static void remove(Room room, Participant p, String reason, Outbox out) {
        room.participants.remove(p.id);
        p.inRoom = false;
        Subscribing.reofferLater(p.legs(), out);
        p.unpublish();
        boolean kicked = "kicked".equals(reason);
        ObjectNode toOthers = event(room);
        p.id.put(toOthers, kicked ? "kicked" : "leaving");
        room.participants().forEach(other -> out.push(other.handle, toOthers.deepCopy()));
        if (kicked) {
            ObjectNode toKicked = event(room);
            toKicked.put("leaving", "ok");
            toKicked.put("reason", "kicked");
            out.push(p.handle, toKicked);
            out.closePc(p.handle);
        }
        ObjectNode notice = Json.object();
        notice.put("event", kicked ? "kicked" : "leaving");
        room.id.put(notice, "room");
        p.id.put(notice, "id");
        // As Janus: about the room, not the handle, so the event carries no session or handle.
        out.notice(null, notice);
    }

    private static ObjectNode event(Room room) {
        ObjectNode e = Json.object();
        e.put("videoroom", "event");
        room.id.put(e, "room");
        return e;
    }
}
