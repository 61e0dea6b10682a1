package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.JanusError;
import io.portunus.webrtc.capture.CaptureFormat;
import io.portunus.webrtc.capture.Captures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code start_pcap}, {@code start_text2pcap}, {@code stop_pcap}, {@code stop_text2pcap}
 * (admin-api.md §4, media.md §7). Success carries no session_id, as in Janus. A refused path
 * keeps Janus's text and adds the reason after a colon:
 * {@code Error starting pcap dump: folder /etc is outside the capture root /srv/captures}.
 */
final class CaptureRequests {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureRequests.class);
    private final Gateway gateway;
    private final Captures captures;

    CaptureRequests(Gateway gateway, Captures captures) {
        this.gateway = gateway;
        this.captures = captures;
    }

    void register(AdminApi api) {
        api.handle("start_pcap", (r, t, handle) -> start(r, t, handle, CaptureFormat.PCAP));
        api.handle("start_text2pcap", (r, t, handle) -> start(r, t, handle, CaptureFormat.TEXT2PCAP));
        // Either stop verb stops whichever capture runs.
        api.handle("stop_pcap", (r, t, handle) -> stop(t, handle));
        api.handle("stop_text2pcap", (r, t, handle) -> stop(t, handle));
    }

    private ObjectNode start(JsonNode r, String t,
                                                                 Handle handle, CaptureFormat format) throws ApiException {
        Validation.PLAIN.check(r, "folder", Kind.STRING, false);
        Validation.PLAIN.check(r, "filename", Kind.STRING, false);
        Validation.PLAIN.check(r, "truncate", Kind.POSITIVE_INTEGER, false);
        String folder = Validation.text(r, "folder");
        String filename = Validation.text(r, "filename");
        long truncate = r.path("truncate").asLong(0);
        try {
            captures.start(handle, format, folder, filename, (int) Math.min(truncate, Integer.MAX_VALUE));
        } catch (Captures.StartFailed e) {
            if (e.alreadyRunning) {
                throw new ApiException(JanusError.UNKNOWN, format.verbName() + " already started");
            }
            LOG.warn("{} for handle {} refused: {}", "start_" + format.verbName(),
                    Long.toUnsignedString(handle.handleId()), e.getMessage());
            throw new ApiException(JanusError.UNKNOWN, "Error starting " + format.verbName() + " dump: " + e.getMessage());
        }
        return AdminApi.success(t);
    }

    private ObjectNode stop(String t, Handle handle) throws ApiException {
        if (!captures.stop(handle)) {
            throw new ApiException(JanusError.UNKNOWN, "Capture not started");
        }
        return AdminApi.success(t);
    }
}
