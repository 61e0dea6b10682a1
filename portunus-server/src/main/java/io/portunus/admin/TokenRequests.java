package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.JanusError;

import java.util.LinkedHashSet;
import java.util.Set;

/** Stored-token management: add, list, allow, disallow, remove (admin-api.md §2.3). */
final class TokenRequests {
    private final Gateway gateway;

    TokenRequests(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(AdminApi api) {
        api.global("add_token", this::add);
        api.global("list_tokens", this::list);
        api.global("allow_token", (r, t) -> change(r, t, true));
        api.global("disallow_token", (r, t) -> change(r, t, false));
        api.global("remove_token", this::remove);
    }

    private void requireStoredMode() throws ApiException {
        if (!gateway.settings().storedTokens()) {
            throw new ApiException(JanusError.UNKNOWN, "Stored-Token based authentication disabled");
        }
    }

    private ObjectNode add(JsonNode r, String transaction) throws ApiException {
        requireStoredMode();
        Validation.PLAIN.check(r, "token", Kind.STRING, true);
        Validation.PLAIN.check(r, "plugins", Kind.ARRAY, false);
        Set<String> plugins = new LinkedHashSet<>();
        JsonNode list = r.get("plugins");
        if (list != null && list.isArray()) {
            // Unknown or non-string entries are skipped, as in Janus.
            list.forEach(p -> {
                if (p.isTextual() && gateway.plugins().containsKey(p.asText())) {
                    plugins.add(p.asText());
                }
            });
        }
        if (list == null || list.isNull() || list.isEmpty()) {
            plugins.addAll(gateway.plugins().keySet());
        }
        return pluginsReply(transaction, gateway.tokens().add(r.get("token").asText(), plugins));
    }

    private ObjectNode change(JsonNode r, String transaction, boolean allow) throws ApiException {
        requireStoredMode();
        Validation.PLAIN.check(r, "token", Kind.STRING, true);
        Validation.PLAIN.check(r, "plugins", Kind.ARRAY, true);
        JsonNode list = r.get("plugins");
        if (list.isEmpty()) {
            throw new ApiException(JanusError.INVALID_ELEMENT_TYPE, "Invalid element type (plugins should be a non-empty array)");
        }
        Set<String> plugins = new LinkedHashSet<>();
        for (JsonNode p : list) {
            if (!p.isTextual() || !gateway.plugins().containsKey(p.asText())) {
                throw new ApiException(JanusError.INVALID_ELEMENT_TYPE, "Invalid element type (some of the provided plugins are invalid)");
            }
            plugins.add(p.asText());
        }
        String token = r.get("token").asText();
        Set<String> now = gateway.tokens().change(token, plugins, allow);
        if (now == null) {
            throw new ApiException(JanusError.TOKEN_NOT_FOUND, "Token " + token + " not found");
        }
        return pluginsReply(transaction, now);
    }

    private ObjectNode list(JsonNode r, String transaction) throws ApiException {
        requireStoredMode();
        ObjectNode ok = AdminApi.success(transaction);
        var tokens = ok.putObject("data").putArray("tokens");
        gateway.tokens().snapshot().forEach((token, plugins) -> {
            if (!plugins.isEmpty()) {
                ObjectNode t = tokens.addObject();
                t.put("token", token);
                var allowed = t.putArray("allowed_plugins");
                plugins.forEach(allowed::add);
            }
        });
        return ok;
    }

    private ObjectNode remove(JsonNode r, String transaction) throws ApiException {
        requireStoredMode();
        Validation.PLAIN.check(r, "token", Kind.STRING, true);
        if (!gateway.tokens().remove(r.get("token").asText())) {
            throw new ApiException(JanusError.UNKNOWN, "Error removing token");
        }
        return AdminApi.success(transaction);
    }

    private static ObjectNode pluginsReply(String transaction, Set<String> plugins) {
        ObjectNode ok = AdminApi.success(transaction);
        var arr = ok.putObject("data").putArray("plugins");
        plugins.forEach(arr::add);
        return ok;
    }
}
