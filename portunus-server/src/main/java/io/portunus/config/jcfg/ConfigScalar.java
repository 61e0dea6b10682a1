package io.portunus.config.jcfg;

import java.util.Objects;

/**
 * A string, integer, float or boolean value.
 *
 * @param value  a {@link String}, {@link Long} (all libconfig integer kinds, including
 *               {@code L}-suffixed 64-bit ones), {@link Double} or {@link Boolean}
 * @param source file the value comes from
 * @param line   1-based line
 * @param column 1-based column
 */
public record ConfigScalar(Object value, String source, int line, int column) implements ConfigValue {

    public ConfigScalar {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        if (!(value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean)) {
            throw new IllegalArgumentException("unsupported scalar type " + value.getClass().getName());
        }
    }

    /**
     * The value as Janus sees it: Janus turns every scalar into a string before its code reads
     * it, so integers print in decimal, booleans as {@code true}/{@code false}.
     */
    public String asText() {
        return String.valueOf(value);
    }

    /** Human-readable kind and value for error messages, e.g. {@code string "abc"}. */
    String describe() {
        return switch (value) {
            case String s -> "string \"" + s + "\"";
            case Long l -> "integer " + l;
            case Double d -> "float " + d;
            case Boolean b -> "boolean " + b;
            default -> value.toString();
        };
    }

    /** Kind name used in array-type-mismatch messages. */
    String kind() {
        return switch (value) {
            case String s -> "string";
            case Long l -> "integer";
            case Double d -> "float";
            default -> "boolean";
        };
    }
}
