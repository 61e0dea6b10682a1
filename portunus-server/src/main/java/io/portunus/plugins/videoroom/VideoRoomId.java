package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of a room or of a participant: a positive integer, or a string when the plugin runs
 * with {@code string_ids} (plugins.md §2.1). Exactly one of the two is set.
 */
record VideoRoomId(long number, String text) {
    /** Random ids stay below 2^53 so that JavaScript clients read them exactly. */
    private static final long MAX_RANDOM = 1L << 53;

    static VideoRoomId of(long number) {
        return new VideoRoomId(number, null);
    }

    static VideoRoomId of(String text) {
        return new VideoRoomId(0, text);
    }

    static VideoRoomId random(boolean stringIds) {
        return stringIds ? of(UUID.randomUUID().toString()) : of(ThreadLocalRandom.current().nextLong(1, MAX_RANDOM));
    }

    /**
     * Reads {@code name} from a request: checked as a string or a positive integer (429/430 as
     * Janus words them); null when absent and not required. Zero is returned as is: "none
     * given" for a create, an id no room has elsewhere.
     */
    static VideoRoomId read(JsonNode body, String name, boolean stringIds, boolean required) throws VideoRoomError {
        Params.check(body, name, stringIds ? Params.Type.STRING : Params.Type.POSITIVE_INTEGER, required);
        JsonNode v = body.get(name);
        if (v == null) {
            return null;
        }
        return stringIds ? of(v.asText()) : of(v.asLong());
    }

    /** A static room's id from its category name ({@code room-1234}), or null when it is not one. */
    static VideoRoomId fromCategory(String suffix, boolean stringIds) {
        if (stringIds) {
            return suffix.isEmpty() ? null : of(suffix);
        }
        try {
            long n = Long.parseLong(suffix);
            return n > 0 ? of(n) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True for "no id given": 0. An empty string is an id like any other, as Janus takes it. */
    boolean isUnset() {
        return text == null && number == 0;
    }

    void put(ObjectNode target, String key) {
        if (text != null) {
            target.put(key, text);
        } else {
            target.put(key, number);
        }
    }

    @Override
    public String toString() {
        return text != null ? text : Long.toString(number);
    }
}
