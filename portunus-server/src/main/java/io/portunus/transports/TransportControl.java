package io.portunus.transports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.util.Locale;
import java.util.function.Function;

/**
 * What every transport lets the Admin API change at run time through {@code query_transport}
 * {@code configure} (transports.md §0): the JSON format of what it writes, and whether it
 * emits transport events to the event handlers.
 */
public final class TransportControl {
    private volatile JsonFormat json;
    private volatile boolean events;

    public TransportControl(JsonFormat json, boolean events) {
        this.json = json;
        this.events = events;
    }

    public JsonFormat json() {
        return json;
    }

    /** Whether transport events (type 128) should be emitted. */
    public boolean events() {
        return events;
    }

    /**
     * Applies {@code {"request":"configure","events":bool?,"json":string?}}. As in Janus,
     * {@code events} is taken as "is it true", so leaving it out turns events off.
     */
    public ObjectNode configure(JsonNode request, boolean coreEventsEnabled) {
        ObjectNode response = Json.object();
        var notes = Json.NODES.arrayNode();
        events = request.path("events").asBoolean(false) && request.path("events").isBoolean();
        if (events && !coreEventsEnabled) {
            notes.add("Event handlers disabled at the core level");
        }
        JsonNode format = request.get("json");
        if (format != null && format.isTextual()) {
            switch (format.asText().toLowerCase(Locale.ROOT)) {
                case "indented" -> json = JsonFormat.INDENTED;
                case "plain" -> json = JsonFormat.PLAIN;
                case "compact" -> json = JsonFormat.COMPACT;
                default -> notes.add("Ignored unsupported indentation format");
            }
        }
        response.put("result", 200);
        if (!notes.isEmpty()) {
            response.set("notes", notes);
        }
        return response;
    }

    /**
     * A {@code query_transport} request: validated (412/413), {@code configure} applied, then
     * the transport's own verbs through {@code own} (null from it: 411, unknown request).
     */
    public ObjectNode query(JsonNode request, boolean coreEventsEnabled,
                            Function<String, ObjectNode> own) {
        ObjectNode[] error = new ObjectNode[1];
        String verb = verb(request, error);
        if (verb == null) {
            return error[0];
        }
        if (verb.equals("configure")) {
            return configure(request, coreEventsEnabled);
        }
        ObjectNode answer = own.apply(verb);
        return answer != null ? answer : error(411, "Unknown request '" + verb + "'");
    }

    /** The broker transports' {@code status}: where, whether connected, what waits in the outbox. */
    public static ObjectNode brokerStatus(String broker, boolean connected, Outbox<?> outbox) {
        ObjectNode r = Json.object();
        r.put("result", 200);
        r.put("broker", broker);
        r.put("connected", connected);
        r.put("waiting", outbox.size());
        r.put("dropped", outbox.dropped());
        return r;
    }

    /** {@code {"error_code":411,"error":"Unknown request '<x>'"}} and the validation errors 412/413. */
    public static ObjectNode error(int code, String text) {
        ObjectNode e = Json.object();
        e.put("error_code", code);
        e.put("error", text);
        return e;
    }

    /** Validates a query and returns its {@code request} verb, or an error object in {@code out[0]}. */
    static String verb(JsonNode request, ObjectNode[] out) {
        if (request == null || !request.isObject()) {
            out[0] = error(412, "Invalid request");
            return null;
        }
        JsonNode r = request.get("request");
        if (r == null) {
            out[0] = error(412, "Missing mandatory element (request)");
            return null;
        }
        if (!r.isTextual()) {
            out[0] = error(413, "Invalid element type (request should be a string)");
            return null;
        }
        return r.asText();
    }
}
