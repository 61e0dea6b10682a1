package io.portunus.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.JanusError;
import io.portunus.core.Json;

/** Session-scope requests and the global session list (admin-api.md §2.1, §3). */
final class SessionRequests {
    private final Gateway gateway;

    SessionRequests(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(AdminApi api) {
        api.global("list_sessions", (r, t) -> {
            ObjectNode ok = AdminApi.success(t);
            ok.putPOJO("sessions", new IdArray(gateway.sessionIdsDecimal()));
            return ok;
        });
        api.session("list_handles", (r, t, session) -> {
            ObjectNode ok = Json.message("success", session.id(), t);
            var list = ok.putArray("handles");
            session.handles().forEach(h -> list.add(h.handleId()));
            return ok;
        });
        api.session("destroy_session", (r, t, session) -> {
            gateway.destroySession(session, false);
            return Json.message("success", session.id(), t);
        });
        api.session("set_session_timeout", (r, t, session) -> {
            Validation.PLAIN.check(r, "timeout", Kind.INTEGER, true);
            int timeout = r.get("timeout").asInt();
            if (timeout < -1) {
                throw new ApiException(JanusError.INVALID_ELEMENT_TYPE,
                        "Invalid element type (timeout should be a non-negative integer or -1)");
            }
            session.timeoutSeconds(timeout);
            ObjectNode ok = AdminApi.success(t);
            ok.put("timeout", timeout);
            ok.put("session_id", session.id());
            return ok;
        });
    }
}
