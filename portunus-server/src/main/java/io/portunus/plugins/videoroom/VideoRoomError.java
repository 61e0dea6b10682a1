package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

/**
 * A request the VideoRoom refuses, with Janus's {@code error_code} (plugins.md §2.2) and text.
 * Thrown by validation and by the requests themselves; the plugin turns it into
 * {@code {"videoroom":"event","error_code":..,"error":..}}.
 */
final class VideoRoomError extends Exception {
    static final int UNKNOWN_ERROR = 499;
    static final int NO_MESSAGE = 421;
    static final int INVALID_JSON = 422;
    static final int INVALID_REQUEST = 423;
    static final int JOIN_FIRST = 424;
    static final int ALREADY_JOINED = 425;
    static final int NO_SUCH_ROOM = 426;
    static final int ROOM_EXISTS = 427;
    static final int NO_SUCH_FEED = 428;
    static final int MISSING_ELEMENT = 429;
    static final int INVALID_ELEMENT = 430;
    static final int INVALID_SDP_TYPE = 431;
    static final int PUBLISHERS_FULL = 432;
    static final int UNAUTHORIZED = 433;
    static final int ALREADY_PUBLISHED = 434;
    static final int NOT_PUBLISHED = 435;
    static final int ID_EXISTS = 436;
    static final int INVALID_SDP = 437;
    static final int INVALID_FEED = 438;

    private final int code;

    VideoRoomError(int code, String message) {
        // No stack trace: these are answers to clients, not faults of the server.
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    static VideoRoomError noSuchRoom(VideoRoomId room) {
        return new VideoRoomError(NO_SUCH_ROOM, "No such room (" + room + ")");
    }

    /** The body Janus sends for an error, synchronously or as an event. */
    ObjectNode toEvent() {
        ObjectNode event = Json.object();
        event.put("videoroom", "event");
        event.put("error_code", code);
        event.put("error", getMessage());
        return event;
    }
}
