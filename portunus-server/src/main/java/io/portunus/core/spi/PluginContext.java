package io.portunus.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.media.sdp.LocalMedia;

import java.util.List;

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

    /**
     * For an offer the plugin makes (a VideoRoom subscriber's): sets up the handle's
     * PeerConnection with one stream per leg, in order, and returns what the offer must say about
     * it (ICE credentials, fingerprint, candidates, our SSRCs per mid). The offer pushed next with
     * {@link #pushEvent} is applied as our local description; the client's answer completes it.
     */
    default LocalMedia offerMedia(PluginHandle handle, List<ForwardedLeg> legs) {
        throw new IllegalStateException("no media");
    }

    /**
     * Runs {@code work} for {@code handle} in line with its messages, on a worker thread: never on
     * the caller's, which may be an I/O thread (a request, a PeerConnection going down) while the
     * work waits for the handle's PeerConnection's own I/O thread (a new offer), and two I/O
     * threads waiting for each other stop both. Dropped once the server is stopping.
     */
    default void runAsMessage(PluginHandle handle, Runnable work) {
        work.run();
    }

    /**
     * {@link #offerMedia(PluginHandle, List)} for a new offer on the handle's PeerConnection; with {@code restartIce}, an ICE
     * restart (RFC 8445 §9): new local ICE credentials in this offer, the peer's new ones taken
     * from its answer; DTLS, SRTP and our SSRCs stay.
     */
    default LocalMedia offerMedia(PluginHandle handle, List<ForwardedLeg> legs, boolean restartIce) {
        if (restartIce) {
            throw new IllegalStateException("no ICE restart");
        }
        return offerMedia(handle, legs);
    }

    /**
     * A leg of an offer the plugin made now forwards another source (a VideoRoom {@code switch}):
     * its header-extension ids are those of {@code leg}; sequence numbers and timestamps go on
     * continuously.
     */
    default void forwardedLeg(PluginHandle handle, ForwardedLeg leg) {
    }

    /**
     * Forwarding to the leg {@code mid} of an offer the plugin made stopped for a while and goes
     * on (a VideoRoom {@code pause} then {@code start}): its sequence numbers and timestamps go on
     * from the last ones sent, with no gap for the peer to NACK.
     */
    default void forwardingResumed(PluginHandle handle, String mid) {
    }

    /**
     * Forwards RTP another handle received to {@code handle}'s leg {@code packet.mid()}. The
     * packet is shared and must not change after the call; the core makes the one copy the leg
     * rewrites (SSRC, sequence number, timestamp, header-extension ids) and hands it to the
     * leg's I/O thread without a lock. Callable from any thread.
     */
    default void forwardRtp(PluginHandle handle, MediaPacket packet) {
    }

    /**
     * The recorder of {@code .mjr} files (VideoRoom {@code record}, EchoTest {@code record}), or
     * null when the server has none.
     */
    default MediaRecorder recorder() {
        return null;
    }

    /** Sends a data channel message to the handle's peer, on the channel with this label (one is opened if none). */
    default void relayData(PluginHandle handle, String label, byte[] data, boolean binary) {
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
