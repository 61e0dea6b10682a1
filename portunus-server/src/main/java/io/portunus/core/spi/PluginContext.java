package io.portunus.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.media.sdp.LocalMedia;

/** What the core offers a plugin: its configuration and the ways to talk back. */
public interface PluginContext {

    /** The plugin's own {@code janus.plugin.<name>.jcfg}, or an empty group. */
    ConfigGroup config();

    /**
     * Sends an {@code event} to the client that owns the handle, with {@code transaction} when
     * it answers a request and the optional {@code jsep}. Returns false when the handle or its
     * session is gone (the event is then dropped).
     */
    boolean pushEvent(PluginHandle handle, String transaction, ObjectNode data, ObjectNode jsep);

    /** Sends RTP to the handle's peer. */
    default void relayRtp(PluginHandle handle, MediaPacket packet) {
    }

    /** Sends RTCP to the handle's peer. */
    default void relayRtcp(PluginHandle handle, MediaPacket packet) {
    }

    /**
     * What the plugin's answer must say about the handle's PeerConnection (ICE credentials,
     * fingerprint, DTLS role, candidates, our SSRCs); only valid after an offer arrived.
     */
    default LocalMedia localMedia(PluginHandle handle) {
        throw new IllegalStateException("no media");
    }

    /** Asks the core to close the handle's PeerConnection. */
    void closePc(PluginHandle handle);

    /** Asks the core to detach the handle. */
    void endSession(PluginHandle handle);

    /** Whether event handlers are enabled in the core (and so worth building events for). */
    boolean eventsEnabled();

    /** Sends a plugin event (type 64) to the event handlers. */
    void notifyEvent(PluginHandle handle, ObjectNode event);
}
