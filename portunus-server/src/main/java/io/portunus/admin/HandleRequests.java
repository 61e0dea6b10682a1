package io.portunus.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.webrtc.WebRtc;

/** Handle-scope requests: handle_info, detach_handle, hangup_webrtc (admin-api.md §4). */
final class HandleRequests {
    private final Gateway gateway;
    private final WebRtc webRtc;

    HandleRequests(Gateway gateway, WebRtc webRtc) {
        this.gateway = gateway;
        this.webRtc = webRtc;
    }

    void register(AdminApi api) {
        api.handle("handle_info", (r, t, handle) -> {
            Validation.PLAIN.check(r, "plugin_only", Kind.BOOLEAN, false);
            boolean pluginOnly = r.path("plugin_only").asBoolean(false);
            ObjectNode ok = Json.message("success", handle.sessionId(), t);
            ok.put("handle_id", handle.handleId());
            ok.set("info", HandleInfo.build(gateway, webRtc, handle, pluginOnly));
            return ok;
        });
        api.handle("detach_handle", (r, t, handle) -> {
            if (!gateway.detach(handle, true)) {
                throw new ApiException(JanusError.PLUGIN_DETACH, "No plugin to detach from");
            }
            return Json.message("success", handle.sessionId(), t);
        });
        api.handle("hangup_webrtc", (r, t, handle) -> {
            if (!handle.isAlive()) {
                throw new ApiException(JanusError.PLUGIN_DETACH, "No plugin attached");
            }
            gateway.webRtc().hangup(handle, "Admin API");
            return Json.message("success", handle.sessionId(), t);
        });
    }
}
