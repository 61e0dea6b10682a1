package io.portunus.core;

import io.portunus.core.spi.MediaPacket;

/**
 * A handle's PeerConnection as the core sees it: where plugins' packets go and what a detach
 * closes. The WebRTC adapter ({@code io.portunus.webrtc}) implements it; the core never sees
 * the media implementation behind it.
 */
public interface HandleMedia {

    /** Sends an RTP packet a plugin relays to this handle's peer (called on any thread). */
    void sendRtp(MediaPacket packet);

    /**
     * Forwards another handle's RTP on one of this PeerConnection's legs (called on any thread;
     * the packet is shared and immutable, the implementation makes its own copy).
     */
    void forwardRtp(MediaPacket packet);

    /** A forwarding leg's header-extension ids from now on (index: the source's id, value: the leg's, 0 drops). */
    void forwardedLeg(String mid, int[] extensionIds);

    /**
     * Forwarding to a leg stopped for a while and starts again (a VideoRoom subscriber's
     * {@code pause} then {@code start}): its sequence numbers and timestamps go on from the last
     * ones sent, so the peer sees no gap to NACK.
     */
    void forwardingResumed(String mid);

    /** Sends an RTCP packet a plugin relays to this handle's peer. */
    void sendRtcp(MediaPacket packet);

    /** Closes the PeerConnection; the client gets {@code hangup} with the reason. */
    void close(String reason);

    /** Sends a data channel message on the channel with this label (from any thread). */
    default void sendData(String label, byte[] data, boolean binary) {
    }
}
