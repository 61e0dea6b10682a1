package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

/**
 * What went wrong on one PeerConnection's packet path, counted instead of only logged at debug
 * level: shown in {@code handle_info} as {@code webrtc.portunus-errors} (a Portunus-only key,
 * see README "differs from Janus"). Incremented on the PeerConnection's loop only; read by the
 * Admin API (a torn read of a counter is harmless).
 */
final class PathErrors {
    /** An incoming datagram whose processing threw (dropped; the PeerConnection goes on). */
    volatile long packetExceptions;
    /** The socket reported an error, mostly a failed send (writes carry no promise). */
    volatile long sendErrors;
    /** SRTP/SRTCP refused to protect an outgoing packet, which was dropped. */
    volatile long protectFailures;
    /** An outgoing datagram dropped because ICE had no selected pair yet (or any more). */
    volatile long sendsWithoutPair;

    /** A forwarded packet (VideoRoom) that found its leg gone, not sending, or not yet connected. */
    volatile long forwardsDropped;

    ObjectNode describe() {
        ObjectNode o = Json.object();
        o.put("packet-exceptions", packetExceptions);
        o.put("send-errors", sendErrors);
        o.put("protect-failures", protectFailures);
        o.put("sends-without-pair", sendsWithoutPair);
        o.put("forwards-dropped", forwardsDropped);
        return o;
    }
}
