package io.portunus.webrtc.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.CoreSettings;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.Json;
import io.portunus.core.event.Event;
import io.portunus.webrtc.PeerConnection;
import io.portunus.webrtc.WebRtc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The captures running, one at most per handle (as in Janus, pcap and text2pcap share the
 * slot). A capture belongs to the handle, not to its PeerConnection: the writer thread's upkeep
 * hands the tap to whatever PeerConnection the handle has (one set up after {@code start_pcap},
 * or after a hangup and a new offer), and stops the capture when the handle goes away.
 */
public final class Captures {
    private static final Logger LOG = LoggerFactory.getLogger(Captures.class);
    private final Map<Handle, Capture> running = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final Gateway gateway;

    /** Why start refused: already capturing, or the file could not be made (with the reason). */
    public static final class StartFailed extends Exception {
        public final boolean alreadyRunning;

        StartFailed(boolean alreadyRunning, String message) {
            super(message);
            this.alreadyRunning = alreadyRunning;
        }
    }

    public Captures(Gateway gateway) {
        this.gateway = gateway;
    }

    /** The capture root of these settings: {@code general.captures_folder}, else ./captures. */
    public static Path root(CoreSettings settings) {
        String folder = settings.capturesFolder;
        return Path.of(folder == null || folder.isEmpty() ? "captures" : folder).toAbsolutePath().normalize();
    }

    /** For tests: whether any handle with this id still has a capture. */
    boolean runningForHandleId(long handleId) {
        return running.keySet().stream().anyMatch(h -> h.handleId() == handleId);
    }

    public Capture running(Handle handle) {
        return running.get(handle);
    }

    public Capture start(Handle handle, CaptureFormat format, String folder, String filename,
                                int truncate) throws StartFailed {
        CoreSettings settings = gateway.settings();
        synchronized (lock) {
            if (running.containsKey(handle)) {
                throw new StartFailed(true, format.verbName() + " already started");
            }
            CapturePaths paths = new CapturePaths(root(settings), settings.protectedFolders);
            CapturePaths.Opened opened;
            try {
                opened = paths.create(folder, filename, format);
            } catch (CapturePaths.Refused e) {
                throw new StartFailed(false, e.getMessage());
            }
            Capture[] self = new Capture[1];
            Capture capture = new Capture(format, opened.file(), opened.channel(), truncate, settings.capturesMaxBytes,
                    handle.sessionId(), handle.handleId(), Capture.DEFAULT_QUEUE,
                    () -> upkeep(handle, self[0]), reason -> ended(handle, self[0], reason));
            self[0] = capture;
            running.put(handle, capture);
            attach(handle, capture);
            LOG.info("Started {} capture of handle {} to {}{}", format.verbName(), Long.toUnsignedString(handle.handleId()),
                    opened.file(), truncate > 0 ? " (truncated to " + truncate + " bytes)" : "");
            return capture;
        }
    }

    /** Stops the handle's capture, whichever format; false when none runs. */
    public boolean stop(Handle handle) {
        Capture capture;
        synchronized (lock) {
            capture = running.remove(handle);
        }
        if (capture == null) {
            return false;
        }
        detach(handle, capture);
        capture.stop();
        LOG.info("Stopped {} capture of handle {} ({}): {} packets, {} dropped", capture.format().verbName(),
                Long.toUnsignedString(handle.handleId()), capture.file(), capture.queued(), capture.dropped());
        return true;
    }

    /** handle_info's keys for a running capture (admin-api.md §4.1). */
    public void describe(Handle handle, ObjectNode info) {
        Capture c = running.get(handle);
        if (c != null && c.isRunning()) {
            info.put("dump-to-" + c.format().verbName(), true);
            info.put(c.format().verbName() + "-file", c.file().toString());
        }
    }

    private void attach(Handle handle, Capture capture) {
        PeerConnection pc = WebRtc.peerConnection(handle);
        if (pc != null && pc.captureTap() != capture) {
            pc.captureTap(capture);
        }
    }

    private void detach(Handle handle, Capture capture) {
        PeerConnection pc = WebRtc.peerConnection(handle);
        if (pc != null && pc.captureTap() == capture) {
            pc.captureTap(null);
        }
    }

    private void upkeep(Handle handle, Capture capture) {
        if (capture == null || running.get(handle) != capture) {
            return;
        }
        if (!handle.isAlive()) {
            stop(handle); // media.md §7: the capture ends with its handle
            return;
        }
        attach(handle, capture);
    }

    private void ended(Handle handle, Capture capture, String reason) {
        synchronized (lock) {
            running.remove(handle, capture);
        }
        if (capture != null) {
            detach(handle, capture);
        }
        // Beyond Janus: tell the event handlers (as an external event, schema "portunus.capture").
        ObjectNode data = Json.object();
        data.put("event", "capture-ended");
        data.put("session_id", handle.sessionId());
        data.put("handle_id", handle.handleId());
        if (capture != null) {
            data.put("type", capture.format().verbName());
            data.put("file", capture.file().toString());
            data.put("bytes", capture.bytesWritten());
            data.put("dropped", capture.dropped());
        }
        data.put("reason", reason);
        try {
            gateway.events().emit(new Event.ExternalEvent("portunus.capture", data));
        } catch (RuntimeException e) {
            LOG.warn("Could not emit the capture event: {}", e.toString());
        }
    }
}
