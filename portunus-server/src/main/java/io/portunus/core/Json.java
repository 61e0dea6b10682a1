package io.portunus.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson mapper, and small helpers to build Janus messages in wire key order. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // Bounded nesting keeps a hostile request from exhausting the stack.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /**
     * {@code {"janus":status,"session_id":S,"transaction":T}} with session_id left out when 0
     * and transaction when null, as Janus's message builder does.
     */
    public static ObjectNode message(String status, long sessionId, String transaction) {
        ObjectNode m = object();
        m.put("janus", status);
        if (sessionId > 0) {
            m.put("session_id", sessionId);
        }
        if (transaction != null) {
            m.put("transaction", transaction);
        }
        return m;
    }

    /** {@code {"janus":"error",...,"error":{"code":C,"reason":R}}}. */
    public static ObjectNode error(long sessionId, String transaction, int code, String reason) {
        ObjectNode m = message("error", sessionId, transaction);
        ObjectNode e = m.putObject("error");
        e.put("code", code);
        e.put("reason", reason);
        return m;
    }

    public static ObjectNode error(long sessionId, String transaction, ApiException e) {
        return error(sessionId, transaction, e.code(), e.reason());
    }
}
