package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.JanusError;
import io.portunus.core.event.Event;
import io.portunus.events.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** query_eventhandler, custom_event and custom_logline (admin-api.md §2.4-§2.5). */
final class EventRequests {
    private static final Logger LOG = LoggerFactory.getLogger(EventRequests.class);
    private final Gateway gateway;
    private final EventBus events;

    EventRequests(Gateway gateway, EventBus events) {
        this.gateway = gateway;
        this.events = events;
    }

    void register(AdminApi api) {
        // A tweak may reconnect a handler's socket: off the I/O thread.
        api.globalSlow("query_eventhandler", this::queryEventHandler);
        api.global("custom_event", this::customEvent);
        api.global("custom_logline", this::customLogline);
    }

    private ObjectNode queryEventHandler(JsonNode r, String transaction) throws ApiException {
        Validation.PLAIN.check(r, "handler", Kind.STRING, true);
        Validation.PLAIN.check(r, "request", Kind.OBJECT, false);
        JsonNode request = r.get("request") instanceof ObjectNode o ? o.deepCopy() : null;
        // With events off the bus has no handlers, so every name is unknown, as in Janus.
        ObjectNode response = events.query(r.get("handler").asText(), request);
        if (response == null) {
            throw new ApiException(JanusError.PLUGIN_NOT_FOUND, "Invalid event handler");
        }
        ObjectNode ok = AdminApi.success(transaction);
        ok.set("response", response);
        return ok;
    }

    /** Success even with events off (then nothing is emitted), as Janus answers. */
    private ObjectNode customEvent(JsonNode r, String transaction) throws ApiException {
        Validation.PLAIN.check(r, "schema", Kind.STRING, true);
        Validation.PLAIN.check(r, "data", Kind.OBJECT, true);
        gateway.events().emit(new Event.ExternalEvent(r.get("schema").asText(), r.get("data").deepCopy()));
        return AdminApi.success(transaction);
    }

    private ObjectNode customLogline(JsonNode r, String transaction) throws ApiException {
        Validation.PLAIN.check(r, "line", Kind.STRING, true);
        Validation.PLAIN.check(r, "level", Kind.POSITIVE_INTEGER, false);
        int level = r.has("level") ? r.get("level").asInt() : 4;
        if (level > 7) {
            level = 4;
        }
        String line = r.get("line").asText();
        // Janus's levels: 0-2 fatal/error, 3 warning, 4 info, 5-6 verbose, 7 debug.
        switch (level) {
            case 0, 1, 2 -> LOG.error("{}", line);
            case 3 -> LOG.warn("{}", line);
            case 4 -> LOG.info("{}", line);
            case 5, 6 -> LOG.debug("{}", line);
            default -> LOG.trace("{}", line);
        }
        return AdminApi.success(transaction);
    }
}
