package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation;
import io.portunus.api.Validation.Kind;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.JanusError;
import io.portunus.logging.LogControl;

/** get_status and the core's run-time switches (admin-api.md §2.1-§2.2). */
final class StatusRequests {
    private final Gateway gateway;

    StatusRequests(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(AdminApi api) {
        api.global("get_status", this::status);
        api.global("accept_new_sessions", (r, t) -> {
            Validation.PLAIN.check(r, "accept", Kind.BOOLEAN, true);
            gateway.acceptNewSessions(r.get("accept").asBoolean());
            ObjectNode ok = AdminApi.success(t);
            ok.put("accept", gateway.acceptNewSessions());
            return ok;
        });
        api.global("set_session_timeout", (r, t) -> {
            Validation.PLAIN.check(r, "timeout", Kind.POSITIVE_INTEGER, true);
            gateway.sessionTimeout(r.get("timeout").asInt());
            ObjectNode ok = AdminApi.success(t);
            ok.put("timeout", gateway.sessionTimeout());
            return ok;
        });
        api.global("set_log_level", this::setLogLevel);
        api.global("set_log_timestamps", (r, t) -> {
            Validation.PLAIN.check(r, "timestamps", Kind.BOOLEAN, true);
            LogControl.get().setTimestamps(r.get("timestamps").asBoolean());
            ObjectNode ok = AdminApi.success(t);
            ok.put("log_timestamps", LogControl.get().timestamps());
            return ok;
        });
        api.global("set_log_colors", (r, t) -> {
            Validation.PLAIN.check(r, "colors", Kind.BOOLEAN, true);
            LogControl.get().setColors(r.get("colors").asBoolean());
            ObjectNode ok = AdminApi.success(t);
            ok.put("log_colors", LogControl.get().colors());
            return ok;
        });
        api.global("list_sessions", (r, t) -> {
            ObjectNode ok = AdminApi.success(t);
            var list = ok.putArray("sessions");
            gateway.sessions().forEach(s -> list.add(s.id()));
            return ok;
        });
    }

    private ObjectNode status(JsonNode request, String transaction) {
        var s = gateway.settings();
        LogControl log = LogControl.get();
        ObjectNode ok = AdminApi.success(transaction);
        ObjectNode st = ok.putObject("status");
        st.put("token_auth", s.tokenAuth);
        st.put("session_timeout", gateway.sessionTimeout());
        st.put("reclaim_session_timeout", s.reclaimSessionTimeout);
        st.put("candidates_timeout", s.candidatesTimeout);
        st.put("log_level", log.level());
        st.put("log_timestamps", log.timestamps());
        st.put("log_colors", log.colors());
        st.put("locking_debug", false);
        st.put("refcount_debug", false);
        st.put("min_nack_queue", s.media.minNackQueue());
        st.put("nack-optimizations", s.media.nackOptimizations());
        st.put("no_media_timer", s.media.noMediaTimer());
        st.put("slowlink_threshold", s.media.slowlinkThreshold());
        return ok;
    }

    private ObjectNode setLogLevel(JsonNode request, String transaction) throws ApiException {
        Validation.PLAIN.check(request, "level", Kind.POSITIVE_INTEGER, true);
        int level = request.get("level").asInt();
        if (level > 7) {
            throw new ApiException(JanusError.INVALID_ELEMENT_TYPE, "Invalid element type (level should be between 0 and 7)");
        }
        LogControl.get().setLevel(level);
        ObjectNode ok = AdminApi.success(transaction);
        ok.put("level", level);
        return ok;
    }
}
