package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.JanusError;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.Transport;

/** Requests to modules: message_plugin, query_transport, query_logger, loops_info (admin-api.md §2.4). */
final class ModuleRequests {
    private final Gateway gateway;

    ModuleRequests(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(AdminApi api) {
        // A plugin may take its time: off the I/O thread, as Janus runs it on its task pool.
        api.globalSlow("message_plugin", this::messagePlugin);
        api.global("query_transport", this::queryTransport);
        api.global("query_logger", (r, t) -> {
            Validation.PLAIN.check(r, "logger", Kind.STRING, true);
            Validation.PLAIN.check(r, "request", Kind.OBJECT, false);
            // Portunus has no external loggers (Janus's jsonlog etc.): every name is unknown.
            throw new ApiException(JanusError.PLUGIN_NOT_FOUND, "Invalid logger");
        });
        api.global("loops_info", (r, t) -> {
            // One event loop per handle is not how Portunus runs media; there are no static loops.
            ObjectNode ok = AdminApi.success(t);
            ok.putArray("loops");
            return ok;
        });
    }

    private ObjectNode messagePlugin(JsonNode r, String transaction) throws ApiException {
        Validation.PLAIN.check(r, "plugin", Kind.STRING, true);
        Validation.PLAIN.check(r, "request", Kind.OBJECT, false);
        Plugin plugin = gateway.plugins().get(r.get("plugin").asText());
        if (plugin == null) {
            throw new ApiException(JanusError.PLUGIN_NOT_FOUND, "Invalid plugin");
        }
        ObjectNode request = r.get("request") instanceof ObjectNode o ? o.deepCopy() : null;
        ObjectNode response;
        try {
            response = plugin.handleAdminMessage(request);
        } catch (UnsupportedOperationException e) {
            throw new ApiException(JanusError.UNKNOWN, "Plugin doesn't support Admin API messages");
        }
        ObjectNode ok = AdminApi.success(transaction);
        ok.set("response", response == null ? ok.objectNode() : response);
        return ok;
    }

    private ObjectNode queryTransport(JsonNode r, String transaction) throws ApiException {
        Validation.PLAIN.check(r, "transport", Kind.STRING, true);
        Validation.PLAIN.check(r, "request", Kind.OBJECT, false);
        String name = r.get("transport").asText();
        Transport transport = gateway.transports().stream()
                .filter(t -> t.info().packageName().equals(name)).findFirst().orElse(null);
        if (transport == null) {
            throw new ApiException(JanusError.PLUGIN_NOT_FOUND, "Invalid transport");
        }
        ObjectNode response = transport.query(r.get("request") instanceof ObjectNode o ? o : null);
        ObjectNode ok = AdminApi.success(transaction);
        ok.set("response", response == null ? ok.objectNode() : response);
        return ok;
    }
}
