package io.portunus.loadtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Janus API requests the load tool's peers make, and the ids their answers carry. */
final class JanusRequests {
    private JanusRequests() {
    }

    /** A request with its own transaction. */
    static ObjectNode request(String verb) {
        ObjectNode o = HttpJson.JSON.createObjectNode();
        o.put("janus", verb);
        o.put("transaction", RandomIds.token(12));
        return o;
    }

    /** The {@code data.id} of a {@code success} answer (a session or handle id); fails on anything else. */
    static long successId(JsonNode r, String what) {
        if (!"success".equals(r.path("janus").asText()) || !r.path("data").has("id")) {
            throw new IllegalStateException(what + " failed: " + r);
        }
        return r.path("data").path("id").asLong();
    }
}
