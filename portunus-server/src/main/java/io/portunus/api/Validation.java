package io.portunus.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.ApiException;
import io.portunus.core.JanusError;

/**
 * Janus's parameter checks with its exact texts: {@code Missing mandatory element (x)} (456)
 * and {@code Invalid element type (x should be a string)} (467). A prefix such as
 * {@code "JSEP error: "} turns them into the JSEP variants, which Janus writes in lower case.
 */
public final class Validation {
    public enum Kind {
        STRING("a string"), NONEMPTY_STRING("a non-empty string"), INTEGER("an integer"),
        POSITIVE_INTEGER("a positive integer"), BOOLEAN("a boolean"), OBJECT("an object"), ARRAY("an array");

        final String typeName;

        Kind(String typeName) {
            this.typeName = typeName;
        }
    }

    private final String prefix;

    private Validation(String prefix) {
        this.prefix = prefix;
    }

    public static final Validation PLAIN = new Validation(null);
    public static final Validation JSEP = new Validation("JSEP error: ");

    /** Checks one field; absent (or null) is an error only when {@code required}. */
    public void check(JsonNode parent, String name, Kind kind, boolean required) throws ApiException {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new ApiException(JanusError.MISSING_MANDATORY_ELEMENT,
                        prefix == null ? "Missing mandatory element (" + name + ")"
                                : prefix + "missing mandatory element (" + name + ")");
            }
            return;
        }
        if (!matches(value, kind)) {
            throw new ApiException(JanusError.INVALID_ELEMENT_TYPE,
                    prefix == null ? "Invalid element type (" + name + " should be " + kind.typeName + ")"
                            : prefix + "invalid element type (" + name + " should be " + kind.typeName + ")");
        }
    }

    public static boolean matches(JsonNode value, Kind kind) {
        return switch (kind) {
            case STRING -> value.isTextual();
            case NONEMPTY_STRING -> value.isTextual() && !value.asText().isEmpty();
            case INTEGER -> value.isIntegralNumber();
            case POSITIVE_INTEGER -> value.isIntegralNumber() && value.asLong() >= 0;
            case BOOLEAN -> value.isBoolean();
            case OBJECT -> value.isObject();
            case ARRAY -> value.isArray();
        };
    }

    /** An integer field as a long, or 0 when absent, null or not an integer (Janus's reading). */
    public static long id(JsonNode request, String name) {
        JsonNode v = request.get(name);
        return v != null && v.isIntegralNumber() && v.canConvertToLong() ? v.asLong() : 0;
    }

    public static String text(JsonNode request, String name) {
        JsonNode v = request.get(name);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
