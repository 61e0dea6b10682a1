package io.portunus.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.Json;
import io.portunus.core.Session;
import io.portunus.webrtc.PeerConnection;
import io.portunus.webrtc.WebRtc;

/**
 * Assembles {@code handle_info} (admin-api.md §4.1) from the parts each component writes: the
 * session, the handle, the plugin's {@code plugin_specific} (through the module interface),
 * then the WebRTC flags, and, with a PeerConnection, its SDPs and its own {@code webrtc} part
 * (ICE agent, DTLS session and media streams each describe themselves).
 */
final class HandleInfo {
    private HandleInfo() {
    }

    static ObjectNode build(Gateway gateway, WebRtc webRtc, Handle handle, boolean pluginOnly) {
        Session session = handle.session();
        ObjectNode info = Json.object();
        info.put("session_id", session.id());
        info.put("session_last_activity", session.lastActivityMicros());
        info.put("session_timeout", session.timeoutSeconds() < 0 ? gateway.sessionTimeout() : session.timeoutSeconds());
        if (session.transport() != null) {
            info.put("session_transport", session.transport().transportName());
        }
        info.put("handle_id", handle.handleId());
        if (handle.opaqueId() != null) {
            info.put("opaque_id", handle.opaqueId());
        }
        if (handle.token() != null) {
            info.put("token", handle.token());
        }
        info.put("loop-running", true);
        info.put("created", handle.createdMicros());
        info.put("current_time", gateway.clock().monotonicMicros());
        if (handle.isAlive()) {
            info.put("plugin", handle.plugin().info().packageName());
            ObjectNode specific = handle.plugin().querySession(handle);
            if (specific != null) {
                info.set("plugin_specific", specific);
            }
        }
        if (pluginOnly) {
            return info;
        }
        handle.flags().describe(info);
        PeerConnection pc = WebRtc.peerConnection(handle);
        if (pc != null) {
            info.put("agent-created", pc.createdMicros());
            if (pc.agentStartedMicros() >= 0) {
                info.put("agent-started", pc.agentStartedMicros());
            }
            info.put("ice-mode", gateway.settings().media.iceLite() ? "lite" : "full");
            info.put("ice-role", "controlled");
        }
        ObjectNode sdps = info.putObject("sdps");
        if (pc != null) {
            sdps.put("profile", "UDP/TLS/RTP/SAVPF");
            if (pc.localSdp() != null) {
                sdps.put("local", pc.localSdp());
            }
            if (pc.remoteSdp() != null) {
                sdps.put("remote", pc.remoteSdp());
            }
        }
        if (handle.pendingTrickles() > 0) {
            info.put("pending-trickles", handle.pendingTrickles());
        }
        info.put("queued-packets", 0);
        webRtc.captures().describe(handle, info);
        if (pc != null) {
            info.set("webrtc", pc.describe());
        }
        return info;
    }
}
