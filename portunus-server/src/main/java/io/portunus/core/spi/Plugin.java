package io.portunus.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.portunus.core.ModuleInfo;

import java.util.ServiceLoader;

/**
 * A media plugin (EchoTest, VideoRoom, ...), found with {@link ServiceLoader} and
 * named by its Janus package. Shaped after Janus's plugin interface so that the same
 * life cycle holds: one plugin session per handle, messages that answer synchronously or
 * asynchronously, media callbacks once a PeerConnection is up, and a self-description for
 * the Admin API's {@code handle_info}.
 *
 * <p>The core calls these methods from several threads; a plugin keeps its per-handle state
 * in {@link PluginHandle#pluginState()} and guards it itself.
 */
public interface Plugin {

    ModuleInfo info();

    /** Called once at start-up, before any session; the context gives config and callbacks. */
    void init(PluginContext context) throws Exception;

    /** Called once at shutdown. */
    void destroy();

    /** A handle was attached: set up the plugin session. A failure is reported as 461. */
    void createSession(PluginHandle handle) throws PluginException;

    /**
     * A {@code message} for this handle. {@code jsep} is the stripped JSEP (type, sdp, ...)
     * or null. Runs on a worker thread, never on a transport's I/O thread.
     */
    PluginResult handleMessage(PluginHandle handle, String transaction, ObjectNode body, ObjectNode jsep);

    /**
     * Admin API {@code message_plugin}: a synchronous reply, or null for none ({@code request}
     * may be null when the Admin request had none). The default refuses, which the Admin API
     * reports as "Plugin doesn't support Admin API messages".
     */
    default ObjectNode handleAdminMessage(ObjectNode request) {
        throw new UnsupportedOperationException("no Admin API messages");
    }

    /** The PeerConnection of this handle is up (DTLS done). */
    default void setupMedia(PluginHandle handle) {
    }

    /** An RTP packet arrived on the handle's PeerConnection (already decrypted). */
    default void incomingRtp(PluginHandle handle, MediaPacket packet) {
    }

    /** An RTCP packet arrived on the handle's PeerConnection (already decrypted). */
    default void incomingRtcp(PluginHandle handle, MediaPacket packet) {
    }

    /** A data channel message arrived. */
    default void incomingData(PluginHandle handle, String label, byte[] data, boolean binary) {
    }

    /** The core detected a slow link (many NACKs) on this handle. */
    default void slowLink(PluginHandle handle, boolean uplink, boolean video) {
    }

    /** The PeerConnection of this handle went away. */
    void hangupMedia(PluginHandle handle);

    /** The handle is being detached: free the plugin session. */
    void destroySession(PluginHandle handle) throws PluginException;

    /**
     * Metrics are on (an HTTP transport serves {@code /metrics}): register the plugin's own
     * meters here (rooms, publishers, ...), named {@code portunus.plugin.<name>.*} (Prometheus:
     * {@code portunus_plugin_<name>_...}), with labels of bounded cardinality only: never a
     * session, handle or room id. Gauges and function counters read at scrape time cost the
     * media path nothing. Called at most once, after {@link #init}.
     */
    default void bindMetrics(MeterRegistry registry) {
    }

    /** The plugin's part of {@code handle_info} ({@code plugin_specific}), or null. */
    ObjectNode querySession(PluginHandle handle);
}
