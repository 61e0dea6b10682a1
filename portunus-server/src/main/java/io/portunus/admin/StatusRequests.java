package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.JanusError;
import io.portunus.core.LiveSettings;
import io.portunus.logging.LogControl;

import java.util.function.BiConsumer;
import java.util.function.Function;

/** get_status and the run-time setters (admin-api.md §2.1-§2.2). */
final class StatusRequests {
    private final Gateway gateway;

    StatusRequests(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(AdminApi api) {
        LiveSettings live = gateway.live();
        LogControl log = LogControl.get();
        api.global("get_status", this::status);
        api.global("set_session_timeout", (r, t) -> {
            Validation.PLAIN.check(r, "timeout", Kind.POSITIVE_INTEGER, true);
            gateway.sessionTimeout(r.get("timeout").asInt());
            return reply(t, "timeout", gateway.sessionTimeout());
        });
        api.global("set_log_level", this::setLogLevel);
        api.global("accept_new_sessions", bool("accept", "accept", (g, on) -> g.acceptNewSessions(on), Gateway::acceptNewSessions));
        api.global("set_log_timestamps", bool("timestamps", "log_timestamps", (g, on) -> log.setTimestamps(on), g -> log.timestamps()));
        api.global("set_log_colors", bool("colors", "log_colors", (g, on) -> log.setColors(on), g -> log.colors()));
        api.global("set_locking_debug", bool("debug", "locking_debug", (g, on) -> live.lockingDebug(on), g -> live.lockingDebug()));
        api.global("set_refcount_debug", bool("debug", "refcount_debug", (g, on) -> live.refcountDebug(on), g -> live.refcountDebug()));
        api.global("set_libnice_debug", bool("debug", "libnice_debug", (g, on) -> live.iceDebug(on), g -> live.iceDebug()));
        api.global("set_nack_optimizations", bool("nack_optimizations", "nack-optimizations",
                (g, on) -> live.nackOptimizations(on), g -> live.nackOptimizations()));
        api.global("set_min_nack_queue", (r, t) -> {
            Validation.PLAIN.check(r, "min_nack_queue", Kind.POSITIVE_INTEGER, true);
            return reply(t, "min_nack_queue", live.minNackQueueMs(r.get("min_nack_queue").asInt()));
        });
        api.global("set_no_media_timer", (r, t) -> {
            Validation.PLAIN.check(r, "no_media_timer", Kind.POSITIVE_INTEGER, true);
            live.noMediaTimerSeconds(r.get("no_media_timer").asInt());
            return reply(t, "no_media_timer", live.noMediaTimerSeconds());
        });
        api.global("set_slowlink_threshold", (r, t) -> {
            Validation.PLAIN.check(r, "slowlink_threshold", Kind.POSITIVE_INTEGER, true);
            live.slowlinkThreshold(r.get("slowlink_threshold").asInt());
            return reply(t, "slowlink_threshold", live.slowlinkThreshold());
        });
    }

    /** A boolean setter: required field {@code field}, applied, and echoed back under {@code key}. */
    private AdminApi.GlobalVerb bool(String field, String key, BiConsumer<Gateway, Boolean> apply,
                                     Function<Gateway, Boolean> read) {
        return (r, t) -> {
            Validation.PLAIN.check(r, field, Kind.BOOLEAN, true);
            apply.accept(gateway, r.get(field).asBoolean());
            return reply(t, key, read.apply(gateway));
        };
    }

    private static ObjectNode reply(String transaction, String key, int value) {
        ObjectNode ok = AdminApi.success(transaction);
        ok.put(key, value);
        return ok;
    }

    private static ObjectNode reply(String transaction, String key, boolean value) {
        ObjectNode ok = AdminApi.success(transaction);
        ok.put(key, value);
        return ok;
    }

    /** Key order as Janus 1.1.2 (which still had {@code libnice_debug} here). */
    private ObjectNode status(JsonNode request, String transaction) {
        var s = gateway.settings();
        LiveSettings live = gateway.live();
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
        st.put("locking_debug", live.lockingDebug());
        st.put("refcount_debug", live.refcountDebug());
        st.put("libnice_debug", live.iceDebug());
        st.put("min_nack_queue", live.minNackQueueMs());
        st.put("nack-optimizations", live.nackOptimizations());
        st.put("no_media_timer", live.noMediaTimerSeconds());
        st.put("slowlink_threshold", live.slowlinkThreshold());
        return ok;
    }

    private ObjectNode setLogLevel(JsonNode request, String transaction) throws ApiException {
        Validation.PLAIN.check(request, "level", Kind.POSITIVE_INTEGER, true);
        int level = request.get("level").asInt();
        if (level > 7) {
            throw new ApiException(JanusError.INVALID_ELEMENT_TYPE, "Invalid element type (level should be between 0 and 7)");
        }
        LogControl.get().setLevel(level);
        return reply(transaction, "level", level);
    }
}
