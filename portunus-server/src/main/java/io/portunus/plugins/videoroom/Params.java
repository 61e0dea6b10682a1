package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Janus's parameter checks as the VideoRoom answers them: 429 {@code Missing mandatory element (x)}
 * and 430 {@code Invalid element type (x should be a string)}, plus the secret checks
 * (plugins.md §2.2 note).
 */
final class Params {
    enum Type {
        STRING("a string"), NONEMPTY_STRING("a non-empty string"), INTEGER("an integer"),
        POSITIVE_INTEGER("a positive integer"), BOOLEAN("a boolean"), ARRAY("an array"), OBJECT("an object");

        final String text;

        Type(String text) {
            this.text = text;
        }

        boolean accepts(JsonNode v) {
            return switch (this) {
                case STRING -> v.isTextual();
                case NONEMPTY_STRING -> v.isTextual() && !v.asText().isEmpty();
                case INTEGER -> v.isIntegralNumber() && v.canConvertToLong();
                case POSITIVE_INTEGER -> v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0;
                case BOOLEAN -> v.isBoolean();
                case ARRAY -> v.isArray();
                case OBJECT -> v.isObject();
            };
        }
    }

    /** One parameter of a request: its name, JSON type and whether it must be there. */
    record Param(String name, Type type, boolean required) {
        static Param required(String name, Type type) {
            return new Param(name, type, true);
        }

        static Param optional(String name, Type type) {
            return new Param(name, type, false);
        }
    }

    private Params() {
    }

    /** Checks each parameter in order; the first problem is the answer, as in Janus. */
    static void check(JsonNode body, Param... params) throws VideoRoomError {
        for (Param p : params) {
            check(body, p.name(), p.type(), p.required());
        }
    }

    static void check(JsonNode body, String name, Type type, boolean required) throws VideoRoomError {
        JsonNode v = body.get(name);
        if (v == null) {
            if (required) {
                throw missing(name);
            }
            return;
        }
        // A JSON null is a value of the wrong type, not an absent one.
        if (!type.accepts(v)) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT,
                    "Invalid element type (" + name + " should be " + type.text + ")");
        }
    }

    static VideoRoomError missing(String name) {
        return new VideoRoomError(VideoRoomError.MISSING_ELEMENT, "Missing mandatory element (" + name + ")");
    }

    /**
     * A password the room (or the plugin) has set: when {@code expected} is null anything goes;
     * else the request must carry it as a string under {@code name}, and the same one.
     */
    static void checkSecret(String expected, JsonNode body, String name) throws VideoRoomError {
        if (expected == null) {
            return;
        }
        check(body, name, Type.STRING, true);
        if (!expected.equals(body.get(name).asText())) {
            throw new VideoRoomError(VideoRoomError.UNAUTHORIZED, "Unauthorized (wrong " + name + ")");
        }
    }

    static String text(JsonNode body, String name) {
        JsonNode v = body.get(name);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    static Boolean bool(JsonNode body, String name) {
        JsonNode v = body.get(name);
        return v != null && v.isBoolean() ? v.asBoolean() : null;
    }

    static Long number(JsonNode body, String name) {
        JsonNode v = body.get(name);
        return v != null && v.isIntegralNumber() ? v.asLong() : null;
    }
}
