package io.portunus.plugins.echotest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One EchoTest request body, validated with Janus's codes and texts (plugins.md §1.1-§1.2):
 * 413 for a wrong type or value, and for a body with nothing EchoTest understands.
 */
record EchoRequest(Boolean audio, Boolean video, Long bitrate, Boolean record, String filename,
                   Integer substream, Integer temporal, Long fallback, Boolean svc, Integer spatialLayer,
                   Integer temporalLayer, Boolean opusRed) {

    static final int INVALID_JSON = 412;
    static final int INVALID_ELEMENT = 413;
    static final int INVALID_SDP = 414;

    /** A request EchoTest refuses; {@link #code()} goes into {@code error_code}. */
    static final class Invalid extends Exception {
        private final int code;

        Invalid(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    private enum Type {
        BOOLEAN("a boolean"), POSITIVE_INTEGER("a positive integer"), INTEGER("an integer"), STRING("a string");
        final String text;

        Type(String text) {
            this.text = text;
        }
    }

    private record Field(String name, Type type) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("audio", Type.BOOLEAN), new Field("video", Type.BOOLEAN),
            new Field("bitrate", Type.POSITIVE_INTEGER), new Field("record", Type.BOOLEAN),
            new Field("filename", Type.STRING), new Field("substream", Type.POSITIVE_INTEGER),
            new Field("temporal", Type.POSITIVE_INTEGER), new Field("fallback", Type.POSITIVE_INTEGER),
            new Field("svc", Type.BOOLEAN), new Field("spatial_layer", Type.POSITIVE_INTEGER),
            new Field("temporal_layer", Type.POSITIVE_INTEGER), new Field("audiocodec", Type.STRING),
            new Field("videocodec", Type.STRING), new Field("videoprofile", Type.STRING),
            new Field("opusred", Type.BOOLEAN), new Field("min_delay", Type.INTEGER),
            new Field("max_delay", Type.INTEGER));

    /** Fields that make a request meaningful on their own (without a JSEP). */
    private static final List<String> ACTIONS = List.of("audio", "video", "bitrate", "record", "substream",
            "temporal", "fallback", "spatial_layer", "temporal_layer", "min_delay", "max_delay");

    static EchoRequest parse(JsonNode body, boolean hasJsep) throws Invalid {
        if (body == null || !body.isObject()) {
            throw new Invalid(INVALID_JSON, "JSON error: not an object");
        }
        for (Field f : FIELDS) {
            JsonNode v = body.get(f.name());
            if (v != null && !matches(v, f.type())) {
                throw new Invalid(INVALID_ELEMENT, "Invalid element type (" + f.name() + " should be " + f.type().text + ")");
            }
        }
        for (String layer : List.of("substream", "temporal", "spatial_layer", "temporal_layer")) {
            JsonNode v = body.get(layer);
            if (v != null && v.asLong() > 2) {
                throw new Invalid(INVALID_ELEMENT, "Invalid value (" + layer + " should be 0, 1 or 2)");
            }
        }
        if (!hasJsep && ACTIONS.stream().noneMatch(body::has)) {
            throw new Invalid(INVALID_ELEMENT, "Message error: no supported attributes found");
        }
        return new EchoRequest(bool(body, "audio"), bool(body, "video"), lng(body, "bitrate"), bool(body, "record"),
                body.has("filename") ? body.get("filename").asText() : null, integer(body, "substream"),
                integer(body, "temporal"), lng(body, "fallback"), bool(body, "svc"), integer(body, "spatial_layer"),
                integer(body, "temporal_layer"), bool(body, "opusred"));
    }

    private static boolean matches(JsonNode v, Type t) {
        return switch (t) {
            case BOOLEAN -> v.isBoolean();
            case POSITIVE_INTEGER -> v.isIntegralNumber() && v.asLong() >= 0;
            case INTEGER -> v.isIntegralNumber();
            case STRING -> v.isTextual();
        };
    }

    private static Boolean bool(JsonNode body, String name) {
        return body.has(name) ? body.get(name).asBoolean() : null;
    }

    private static Long lng(JsonNode body, String name) {
        return body.has(name) ? body.get(name).asLong() : null;
    }

    private static Integer integer(JsonNode body, String name) {
        return body.has(name) ? body.get(name).asInt() : null;
    }

}
