package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.MediaRecorder;
import io.portunus.core.spi.PluginHandle;
import io.portunus.plugins.videoroom.Params.Param;
import io.portunus.plugins.videoroom.Params.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The synchronous requests (plugins.md §2.3), the same over the Janus API ({@code message},
 * answered in {@code success}) and the Admin API ({@code message_plugin}, where there is no
 * handle): room management, and the moderator's view of and hand on participants.
 */
final class RoomRequests {
    /** The names this class answers; anything else is asynchronous or unknown. */
    static final Set<String> NAMES = Set.of("create", "edit", "destroy", "list", "exists", "allowed", "kick",
            "moderate", "listparticipants", "listforwarders", "enable_recording", "rtp_forward", "stop_rtp_forward");

    private static final Param[] EDIT = {
            Param.optional("secret", Type.STRING), Param.optional("new_description", Type.STRING),
            Param.optional("new_is_private", Type.BOOLEAN), Param.optional("new_secret", Type.STRING),
            Param.optional("new_pin", Type.STRING), Param.optional("new_require_pvtid", Type.BOOLEAN),
            Param.optional("new_bitrate", Type.POSITIVE_INTEGER), Param.optional("new_fir_freq", Type.POSITIVE_INTEGER),
            Param.optional("new_publishers", Type.POSITIVE_INTEGER), Param.optional("new_lock_record", Type.BOOLEAN),
            Param.optional("new_rec_dir", Type.STRING), Param.optional("permanent", Type.BOOLEAN)};
    // As in Janus, destroy, enable_recording and listforwarders look the room up before the secret's type.
    private static final Param[] DESTROY = {Param.optional("permanent", Type.BOOLEAN)};
    private static final Param[] ALLOWED = {
            Param.optional("secret", Type.STRING), Param.required("action", Type.STRING),
            Param.optional("allowed", Type.ARRAY)};
    private static final Param[] KICK = {Param.optional("secret", Type.STRING)};
    private static final Param[] MODERATE = {
            Param.optional("secret", Type.STRING), Param.required("mid", Type.STRING),
            Param.required("mute", Type.BOOLEAN)};
    private static final Param[] RECORDING = {Param.required("record", Type.BOOLEAN)};

    private final VideoRoomConfig config;
    private final Rooms rooms;
    /** Where permanent rooms are saved; null when the configuration came from no file. */
    private final RoomFile file;

    /** The server's {@code .mjr} recorder, or null. */
    private final MediaRecorder recorder;
    /** rtp_forward, stop_rtp_forward and listforwarders; null where no forwarding is wanted (some tests). */
    private final ForwarderRequests forwarders;

    RoomRequests(VideoRoomConfig config, Rooms rooms, RoomFile file) {
        this(config, rooms, file, null, null);
    }

    RoomRequests(VideoRoomConfig config, Rooms rooms, RoomFile file, MediaRecorder recorder,
                 ForwarderRequests forwarders) {
        this.config = config;
        this.rooms = rooms;
        this.file = file;
        this.recorder = recorder;
        this.forwarders = forwarders;
    }

    /**
     * Answers {@code request} ({@code body.request}, one of {@link #NAMES}); {@code handle} is the
     * asking handle, or null from the Admin API. What others must hear goes into {@code out}.
     */
    ObjectNode handle(String request, JsonNode body, PluginHandle handle, Outbox out) throws VideoRoomError {
        synchronized (rooms) {
            return switch (request) {
                case "create" -> create(body, handle, out);
                case "edit" -> edit(body, handle, out);
                case "destroy" -> destroy(body, handle, out);
                case "list" -> list(body);
                case "exists" -> exists(body);
                case "allowed" -> allowed(body);
                case "kick" -> kick(body, out);
                case "moderate" -> moderate(body);
                case "listparticipants" -> listParticipants(body);
                case "listforwarders" -> forwarders().list(body);
                case "enable_recording" -> enableRecording(body);
                case "rtp_forward" -> forwarders().forward(body, out);
                case "stop_rtp_forward" -> forwarders().stop(body, out);
                default -> throw new VideoRoomError(VideoRoomError.INVALID_REQUEST, "Unknown request '" + request + "'");
            };
        }
    }

    private VideoRoomId roomId(JsonNode body, boolean required) throws VideoRoomError {
        return VideoRoomId.read(body, "room", config.stringIds(), required);
    }

    private ObjectNode create(JsonNode body, PluginHandle handle, Outbox out) throws VideoRoomError {
        Params.check(body, RoomSettings.CREATE);
        VideoRoomId id = roomId(body, false);
        if (config.adminKey() != null) {
            Params.checkSecret(config.adminKey(), body, "admin_key");
        }
        JsonNode allowed = body.get("allowed");
        List<String> tokens = tokens(allowed);
        RoomSettings.checkCodecs(RoomSettings.of(body));
        RoomRecording.checkFolder(recorder, "rec_dir", body);
        boolean permanent = Boolean.TRUE.equals(Params.bool(body, "permanent"));
        if (permanent && file == null) {
            throw new VideoRoomError(VideoRoomError.UNKNOWN_ERROR, "No configuration file, can't create permanent room");
        }
        if (id != null && !id.isUnset() && rooms.get(id) != null) {
            throw new VideoRoomError(VideoRoomError.ROOM_EXISTS, "Room " + id + " already exists");
        }
        if (id == null || id.isUnset()) {
            id = rooms.unusedId(config.stringIds());
        }
        Room room = RoomSettings.apply(id, RoomSettings.of(body));
        if (allowed != null) {
            room.checkAllowed = true;
            room.allowed.addAll(tokens);
        }
        if (permanent) {
            file.save(room);
        }
        rooms.add(room);
        ObjectNode reply = answer("created", room);
        reply.put("permanent", permanent);
        out.notice(handle, roomEvent("created", room));
        return reply;
    }

    private ObjectNode edit(JsonNode body, PluginHandle handle, Outbox out) throws VideoRoomError {
        VideoRoomId id = roomId(body, true);
        Params.check(body, EDIT);
        Room room = rooms.require(id);
        Params.checkSecret(room.secret, body, "secret");
        RoomRecording.checkFolder(recorder, "new_rec_dir", body);
        boolean permanent = Boolean.TRUE.equals(Params.bool(body, "permanent"));
        if (permanent && file == null) {
            throw new VideoRoomError(VideoRoomError.UNKNOWN_ERROR, "No configuration file, can't edit room permanently");
        }
        String description = Params.text(body, "new_description");
        if (description != null && !description.isEmpty()) {
            room.description = description;
        }
        if (body.has("new_is_private")) {
            room.isPrivate = body.get("new_is_private").asBoolean();
        }
        if (body.has("new_require_pvtid")) {
            room.requirePvtid = body.get("new_require_pvtid").asBoolean();
        }
        if (body.has("new_secret")) {
            room.secret = body.get("new_secret").asText();
        }
        if (body.has("new_pin")) {
            room.pin = body.get("new_pin").asText();
        }
        if (body.has("new_bitrate")) {
            room.bitrate = RoomSettings.bitrate(body.get("new_bitrate").asLong());
        }
        if (body.has("new_fir_freq")) {
            room.firFreq = body.get("new_fir_freq").asLong();
        }
        if (body.has("new_publishers")) {
            room.maxPublishers = body.get("new_publishers").asLong();
        }
        if (body.has("new_lock_record")) {
            room.lockRecord = body.get("new_lock_record").asBoolean();
        }
        if (body.has("new_rec_dir")) {
            room.recDir = body.get("new_rec_dir").asText();
        }
        if (permanent) {
            file.save(room);
        }
        ObjectNode reply = answer("edited", room);
        reply.put("permanent", permanent);
        out.notice(handle, roomEvent("edited", room));
        return reply;
    }

    private ObjectNode destroy(JsonNode body, PluginHandle handle, Outbox out) throws VideoRoomError {
        VideoRoomId id = roomId(body, true);
        Params.check(body, DESTROY);
        Room room = rooms.require(id);
        Params.checkSecret(room.secret, body, "secret");
        boolean permanent = Boolean.TRUE.equals(Params.bool(body, "permanent"));
        if (permanent && file == null) {
            throw new VideoRoomError(VideoRoomError.UNKNOWN_ERROR,
                    "No configuration file, can't destroy room permanently");
        }
        if (permanent) {
            file.remove(id);
        }
        rooms.remove(id);
        ObjectNode gone = answer("destroyed", room);
        for (Participant p : room.participants()) {
            // Everyone inside hears it, their PeerConnections close, and their handles are free to join again.
            out.push(p.handle, gone.deepCopy());
            out.closePc(p.handle);
            p.inRoom = false;
            p.stopForwarding();
        }
        room.participants.clear();
        ObjectNode reply = answer("destroyed", room);
        reply.put("permanent", permanent);
        out.notice(handle, roomEvent("destroyed", room));
        return reply;
    }

    private ObjectNode list(JsonNode body) throws VideoRoomError {
        // Private rooms only for whoever knows the admin key; without one configured, for nobody.
        boolean showPrivate = config.adminKey() != null && config.adminKey().equals(Params.text(body, "admin_key"));
        ObjectNode reply = success();
        ArrayNode list = reply.putArray("list");
        for (Room room : rooms.all()) {
            if (!room.isPrivate || showPrivate) {
                list.add(room.describeForList());
            }
        }
        return reply;
    }

    private ObjectNode exists(JsonNode body) throws VideoRoomError {
        VideoRoomId id = roomId(body, true);
        ObjectNode reply = success();
        id.put(reply, "room");
        reply.put("exists", rooms.get(id) != null);
        return reply;
    }

    private ObjectNode allowed(JsonNode body) throws VideoRoomError {
        VideoRoomId id = roomId(body, true);
        Params.check(body, ALLOWED);
        String action = body.get("action").asText();
        String verb = action.toLowerCase(Locale.ROOT);
        if (!Set.of("enable", "disable", "add", "remove").contains(verb)) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Unsupported action '" + action + "' (allowed)");
        }
        JsonNode allowed = body.get("allowed");
        Room room = rooms.require(id);
        Params.checkSecret(room.secret, body, "secret");
        List<String> tokens = tokens(allowed);
        switch (verb) {
            case "enable" -> room.checkAllowed = true;
            case "disable" -> room.checkAllowed = false;
            case "add" -> room.allowed.addAll(tokens);
            default -> tokens.forEach(room.allowed::remove);
        }
        ObjectNode reply = success();
        room.id.put(reply, "room");
        if (!verb.equals("disable")) {
            reply.set("allowed", room.allowedJson());
        }
        return reply;
    }

    private ObjectNode kick(JsonNode body, Outbox out) throws VideoRoomError {
        VideoRoomId id = roomId(body, true);
        Params.check(body, KICK);
        VideoRoomId user = VideoRoomId.read(body, "id", config.stringIds(), true);
        Room room = rooms.require(id);
        Params.checkSecret(room.secret, body, "secret");
        Participant p = participant(room, user);
        Membership.remove(room, p, "kicked", out);
        return success();
    }

    private ObjectNode moderate(JsonNode body) throws VideoRoomError {
        VideoRoomId id = roomId(body, true);
        Params.check(body, MODERATE);
        VideoRoomId user = VideoRoomId.read(body, "id", config.stringIds(), true);
        Room room = rooms.require(id);
        Params.checkSecret(room.secret, body, "secret");
        participant(room, user);
        // Nobody publishes streams yet, so no mid names one.
        throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such stream " + body.get("mid").asText());
    }

    private ObjectNode listParticipants(JsonNode body) throws VideoRoomError {
        VideoRoomId id = roomId(body, true);
        Room room = rooms.require(id);
        ObjectNode reply = answer("participants", room);
        ArrayNode list = reply.putArray("participants");
        room.participants().forEach(p -> list.add(p.describeForList()));
        return reply;
    }

    private ObjectNode enableRecording(JsonNode body) throws VideoRoomError {
        VideoRoomId id = roomId(body, true);
        Params.check(body, RECORDING);
        Room room = rooms.require(id);
        Params.checkSecret(room.secret, body, "secret");
        RoomRecording.enable(recorder, room, body.get("record").asBoolean());
        ObjectNode reply = success();
        reply.put("record", room.record);
        return reply;
    }

    private ForwarderRequests forwarders() {
        return forwarders != null ? forwarders : new ForwarderRequests(config, rooms, (stream, layer) -> { });
    }

    static Participant participant(Room room, VideoRoomId user) throws VideoRoomError {
        Participant p = room.participants.get(user);
        if (p == null) {
            throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such user " + user + " in room " + room.id);
        }
        return p;
    }

    /** The strings of an {@code allowed} array; 430 for anything else in it. */
    private static List<String> tokens(JsonNode allowed) throws VideoRoomError {
        List<String> tokens = new ArrayList<>();
        if (allowed == null) {
            return tokens;
        }
        for (JsonNode t : allowed) {
            if (!t.isTextual()) {
                throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT,
                        "Invalid element in the allowed array (not a string)");
            }
            tokens.add(t.asText());
        }
        return tokens;
    }

    private static ObjectNode success() {
        ObjectNode reply = Json.object();
        reply.put("videoroom", "success");
        return reply;
    }

    private static ObjectNode answer(String what, Room room) {
        ObjectNode reply = Json.object();
        reply.put("videoroom", what);
        room.id.put(reply, "room");
        return reply;
    }

    private static ObjectNode roomEvent(String what, Room room) {
        ObjectNode event = Json.object();
        event.put("event", what);
        room.id.put(event, "room");
        return event;
    }
}
