package io.portunus.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation;
import io.portunus.api.Validation.Kind;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Json;

/** Session-scope requests: list_handles, and the per-session timeout. */
final class SessionRequests {
    private final Gateway gateway;

    SessionRequests(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(AdminApi api) {
        api.scoped("list_handles", (r, t, session, handle) -> {
            ObjectNode ok = Json.message("success", session.id(), t);
            var list = ok.putArray("handles");
            session.handles().forEach(h -> list.add(h.handleId()));
            return ok;
        });
        api.scoped("set_session_timeout", (r, t, session, handle) -> {
            Validation.PLAIN.check(r, "timeout", Kind.INTEGER, true);
            int timeout = r.get("timeout").asInt();
            if (timeout < -1) {
                throw new ApiException(io.portunus.core.JanusError.INVALID_ELEMENT_TYPE,
                        "Invalid element type (timeout should be -1, 0 or a positive integer)");
            }
            session.timeoutSeconds(timeout);
            ObjectNode ok = Json.message("success", session.id(), t);
            ok.put("timeout", timeout);
            return ok;
        });
    }
}
