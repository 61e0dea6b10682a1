package io.portunus.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

/**
 * The replies and checks shared by the handlers' {@code query_eventhandler} requests
 * (event-handlers.md): 411 unknown request, 412 missing element, 413 invalid element, with the
 * core's texts, and {@code {"result":200}} on success.
 */
public final class HandlerRequests {
    public static final int UNKNOWN_REQUEST = 411;
    public static final int MISSING_ELEMENT = 412;
    public static final int INVALID_ELEMENT = 413;

    /** What a field must be. */
    public enum Kind {
        STRING("a string"), BOOLEAN("a boolean"), POSITIVE_INTEGER("a positive integer");

        final String text;

        Kind(String text) {
            this.text = text;
        }

        boolean matches(JsonNode v) {
            return switch (this) {
                case STRING -> v.isTextual();
                case BOOLEAN -> v.isBoolean();
                case POSITIVE_INTEGER -> v.isIntegralNumber() && v.asLong() >= 0;
            };
        }
    }

    private HandlerRequests() {
    }

    public static ObjectNode ok() {
        return Json.object().put("result", 200);
    }

    public static ObjectNode error(int code, String text) {
        ObjectNode e = Json.object();
        e.put("error_code", code);
        e.put("error", text);
        return e;
    }

    /** The {@code request} verb, or null with the error in {@code error[0]}. */
    public static String verb(JsonNode request, ObjectNode[] error) {
        if (request == null || !request.isObject()) {
            error[0] = error(MISSING_ELEMENT, "Missing mandatory element (request)");
            return null;
        }
        return check(request, "request", Kind.STRING, true, error) ? request.get("request").asText() : null;
    }

    /** Checks an optional or required field; false with the error in {@code error[0]}. */
    public static boolean check(JsonNode request, String name, Kind kind, boolean required, ObjectNode[] error) {
        JsonNode v = request.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                error[0] = error(MISSING_ELEMENT, "Missing mandatory element (" + name + ")");
                return false;
            }
            return true;
        }
        if (!kind.matches(v)) {
            error[0] = error(INVALID_ELEMENT, "Invalid element type (" + name + " should be " + kind.text + ")");
            return false;
        }
        return true;
    }

    /** An optional field of a {@code tweak} request and what it must be. */
    public record Field(String name, Kind kind) {
    }

    public static Field field(String name, Kind kind) {
        return new Field(name, kind);
    }

    /**
     * The start every handler's {@code tweak} shares: the verb must be {@code tweak} and each
     * field, when present, of its kind. Null when the request may be applied, else the reply.
     */
    public static ObjectNode checkTweak(JsonNode request, Field... fields) {
        ObjectNode[] error = new ObjectNode[1];
        String verb = verb(request, error);
        if (verb == null) {
            return error[0];
        }
        if (!verb.equals("tweak")) {
            return unknown(verb);
        }
        for (Field f : fields) {
            if (!check(request, f.name(), f.kind(), false, error)) {
                return error[0];
            }
        }
        return null;
    }

    public static ObjectNode unknown(String verb) {
        return error(UNKNOWN_REQUEST, "Unknown request '" + verb + "'");
    }
}
