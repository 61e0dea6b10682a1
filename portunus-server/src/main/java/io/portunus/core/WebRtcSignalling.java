package io.portunus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.spi.ForwardedLeg;
import io.portunus.media.sdp.LocalMedia;
import io.portunus.webrtc.WebRtc;

import java.util.List;

/**
 * What the Janus API and the plugins ask of the WebRTC side of a handle: JSEPs, trickles and
 * hangups. Implemented by the WebRTC adapter ({@code WebRtc}), which owns the
 * PeerConnections; the core holds only this interface.
 */
public interface WebRtcSignalling {

    /**
     * A JSEP from the client (janus-api.md §2.3 steps 7-9): sets up or renegotiates the
     * PeerConnection for an offer and returns the JSEP the plugin gets.
     */
    ObjectNode remoteJsep(Handle handle, String type, String sdpText) throws ApiException;

    /** An offer is on its way: trickles wait until it is processed. */
    void offerArriving(Handle handle);

    /** The offer was processed or refused: queued trickles go to the PeerConnection, if any. */
    void offerProcessed(Handle handle);

    /** What a plugin needs to write its answer: our ICE, DTLS, candidates and SSRCs. */
    LocalMedia localMedia(Handle handle);

    /**
     * Sets up the handle's PeerConnection for an offer the plugin makes (new ICE credentials on an
     * existing one when {@code restartIce}); what that offer must say about us.
     */
    LocalMedia offerMedia(Handle handle, List<ForwardedLeg> legs, boolean restartIce);

    /** A plugin sent a JSEP to the client. */
    void localJsep(Handle handle, ObjectNode jsep);

    /** One trickled candidate object, or {@code {"completed":true}}. */
    void trickle(Handle handle, JsonNode candidate);

    /** Closes the handle's PeerConnection; the client gets {@code hangup} with the reason. */
    void hangup(Handle handle, String reason);
}
