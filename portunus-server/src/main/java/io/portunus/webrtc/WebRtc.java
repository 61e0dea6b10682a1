package io.portunus.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.HandleFlags.Flag;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.WebRtcSignalling;
import io.portunus.core.event.Event;
import io.portunus.core.event.GatewayEvents;
import io.portunus.core.event.MediaEvent;
import io.portunus.core.event.MediaStats;
import io.portunus.core.event.Origin;
import io.portunus.core.event.WebRtcEvent;
import io.portunus.core.spi.ForwardedLeg;
import io.portunus.core.spi.MediaPacket;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.sdp.LocalMedia;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;
import io.portunus.webrtc.capture.Captures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The WebRTC adapter between the core and the media protocols (Janus's ice.c role): turns JSEPs
 * and trickles into PeerConnections, and PeerConnection happenings into client events
 * ({@code webrtcup}, {@code media}, {@code hangup}) and plugin callbacks. It owns the
 * PeerConnections (through {@link Handle#peerConnection()}) and the Admin API's captures.
 */
public final class WebRtc implements WebRtcSignalling {
    private static final Logger LOG = LoggerFactory.getLogger(WebRtc.class);
    private final Gateway gateway;
    private final MediaEngine engine;
    private final Captures captures;

    /** {@code engine} null: no media address, every offer gets error 490. */
    public WebRtc(Gateway gateway, MediaEngine engine) {
        this.gateway = gateway;
        this.engine = engine;
        this.captures = new Captures(gateway);
    }

    /** The handle's PeerConnection, or null. */
    public static PeerConnection peerConnection(Handle handle) {
        return (PeerConnection) handle.peerConnection();
    }

    /** The captures of the Admin API's {@code start_pcap}/{@code start_text2pcap}. */
    public Captures captures() {
        return captures;
    }

    /**
     * A JSEP from the client (janus-api.md §2.3 steps 7-9). Sets up the PeerConnection for an
     * offer and returns the JSEP the plugin gets.
     */
    public ObjectNode remoteJsep(Handle handle, String type, String sdpText) throws ApiException {
        Sdp sdp;
        try {
            sdp = Sdp.parse(sdpText);
        } catch (SdpException e) {
            throw new ApiException(JanusError.JSEP_INVALID_SDP, e.getMessage());
        }
        boolean offer = type.equalsIgnoreCase("offer");
        PeerConnection existing = peerConnection(handle);
        if (!offer) {
            if (existing == null || !existing.offerPending()) {
                // An answer with nothing offered is Janus's 469.
                throw new ApiException(JanusError.UNEXPECTED_ANSWER, "Unexpected ANSWER (did we offer?)");
            }
            return remoteAnswer(handle, existing, sdp, sdpText);
        }
        if (existing != null) {
            return renegotiate(handle, existing, sdp, sdpText);
        }
        if (engine == null || engine.hostAddresses().isEmpty()) {
            LOG.warn("Cannot set up ICE: no media address available");
            throw new ApiException(JanusError.UNKNOWN, "Error setting ICE locally");
        }
        PeerConnection pc;
        try {
            pc = PeerConnections.fromOffer(engine, sdp, listener(handle));
        } catch (SdpException e) {
            throw new ApiException(JanusError.JSEP_INVALID_SDP, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(JanusError.UNKNOWN, "Error setting ICE locally");
        } catch (RuntimeException e) {
            LOG.warn("ICE set-up failed: {}", e.getMessage());
            throw new ApiException(JanusError.UNKNOWN, "Error setting ICE locally");
        }
        if (!handle.installPeerConnection(pc)) {
            // Detached or destroyed while the sockets were being bound: nobody else will close them.
            pc.discard();
            throw new ApiException(JanusError.HANDLE_NOT_FOUND, "No such handle " + handle.handleId());
        }
        // A capture started before the offer taps the new PeerConnection from its first packet.
        pc.captureTap(captures.running(handle));
        if (gateway.events().enabled()) {
            gateway.events().emit(Event.JsepEvent.remote(
                    GatewayEvents.origin(handle), "offer", sdpText));
        }
        handle.flags().set(Flag.GOT_OFFER, true);
        handle.flags().set(Flag.HAS_AUDIO, sdpText.contains("m=audio"));
        handle.flags().set(Flag.HAS_VIDEO, sdpText.contains("m=video"));
        offerProcessed(handle);
        ObjectNode stripped = Json.object();
        stripped.put("type", "offer");
        stripped.put("sdp", sdpText);
        return stripped;
    }

    /**
     * A new offer on an existing PeerConnection (janus-api.md §2.3 step 9): an ICE restart when
     * the peer's ICE credentials changed (flag {@code ice-restart} until a new pair is selected),
     * else a plain renegotiation. Either way DTLS/SRTP, our fingerprint and SSRCs stay; the
     * plugin gets the offer with {@code "update":true}. Failure: 469 {@code Error processing SDP}.
     */
    private ObjectNode renegotiate(Handle handle, PeerConnection pc, Sdp sdp, String sdpText) throws ApiException {
        boolean restart;
        try {
            restart = pc.remoteOffer(sdp);
        } catch (SdpException | RuntimeException e) {
            LOG.warn("Renegotiation failed: {}", e.getMessage());
            throw new ApiException(JanusError.UNEXPECTED_ANSWER, "Error processing SDP");
        }
        if (restart) {
            handle.flags().set(Flag.ICE_RESTART, true);
            // A new generation of remote candidates: "completed" must be said again.
            handle.flags().set(Flag.ALL_TRICKLES, false);
        }
        if (gateway.events().enabled()) {
            gateway.events().emit(Event.JsepEvent.remote(
                    GatewayEvents.origin(handle), "offer", sdpText));
        }
        handle.flags().set(Flag.HAS_AUDIO, sdpText.contains("m=audio"));
        handle.flags().set(Flag.HAS_VIDEO, sdpText.contains("m=video"));
        offerProcessed(handle);
        ObjectNode stripped = Json.object();
        stripped.put("type", "offer");
        stripped.put("sdp", sdpText);
        stripped.put("update", true);
        return stripped;
    }

    /** The peer's answer to the offer a plugin made: ICE and DTLS start (janus-api.md §2.3). */
    private ObjectNode remoteAnswer(Handle handle, PeerConnection pc, Sdp sdp, String sdpText) throws ApiException {
        try {
            pc.remoteAnswer(sdp);
        } catch (SdpException | RuntimeException e) {
            LOG.warn("Answer not applied: {}", e.getMessage());
            throw new ApiException(JanusError.UNEXPECTED_ANSWER, "Error processing SDP");
        }
        handle.flags().set(Flag.GOT_ANSWER, true);
        handle.flags().set(Flag.NEGOTIATED, true);
        if (sdpText.contains("m=application")) {
            handle.flags().set(Flag.DATA_CHANNELS, true); // as Janus: negotiated, before any message
        }
        if (gateway.events().enabled()) {
            gateway.events().emit(Event.JsepEvent.remote(GatewayEvents.origin(handle), "answer", sdpText));
        }
        ObjectNode stripped = Json.object();
        stripped.put("type", "answer");
        stripped.put("sdp", sdpText);
        return stripped;
    }

    /**
     * A plugin offers (a VideoRoom subscriber): a PeerConnection with one stream per leg, sockets
     * bound and candidates gathered, installed on the handle; or, for a new offer on it, the same
     * one (its legs kept in their order, their directions maybe changed, new legs added at the end),
     * with new ICE credentials when {@code restartIce} (flag {@code ice-restart} until a pair of
     * the new generation is selected).
     */
    @Override
    public LocalMedia offerMedia(Handle handle, List<ForwardedLeg> legs, boolean restartIce) {
        if (engine == null || engine.hostAddresses().isEmpty()) {
            throw new IllegalStateException("no media address available");
        }
        PeerConnection existing = peerConnection(handle);
        if (existing != null) {
            // A new offer on our PeerConnection: the legs it had (some now inactive) and maybe new
            // ones at the end; ICE, DTLS and the old legs' SSRCs stay.
            if (!existing.hasLegs(legs.stream().map(ForwardedLeg::mid).toList())) {
                throw new IllegalStateException("a new offer must keep the m-lines it had, in their order");
            }
            SequencedMap<String, Boolean> added = new LinkedHashMap<>();
            legs.forEach(l -> added.put(l.mid(), l.video()));
            existing.addLegs(added);
            legs.forEach(l -> existing.forwardedLeg(l.mid(), l.extensionIds()));
            if (restartIce) {
                existing.restartIce();
                handle.flags().set(Flag.ICE_RESTART, true);
                // A new generation of remote candidates: "completed" must be said again.
                handle.flags().set(Flag.ALL_TRICKLES, false);
            }
            try {
                return existing.localMedia();
            } catch (SdpException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        SequencedMap<String, Boolean> kinds = new LinkedHashMap<>();
        legs.forEach(l -> kinds.put(l.mid(), l.video()));
        PeerConnection pc;
        try {
            pc = PeerConnections.forLocalOffer(engine, kinds, listener(handle));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (!handle.installPeerConnection(pc)) {
            pc.discard();
            throw new IllegalStateException("handle " + handle.handleId() + " is gone");
        }
        pc.captureTap(captures.running(handle));
        legs.forEach(l -> pc.forwardedLeg(l.mid(), l.extensionIds()));
        try {
            return pc.localMedia();
        } catch (SdpException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * An offer is on its way (called on the I/O thread before a worker takes the message):
     * trickles wait until it is processed, as Janus queues them while {@code processing-offer}.
     * Otherwise candidates of an ICE restart could reach the agent before the restart and be
     * dropped by it.
     */
    public void offerArriving(Handle handle) {
        synchronized (handle) {
            handle.flags().set(Flag.PROCESSING_OFFER, true);
        }
    }

    /** The offer was processed or refused: queued trickles go to the PeerConnection, if any. */
    public void offerProcessed(Handle handle) {
        PeerConnection pc;
        List<JsonNode> queued;
        synchronized (handle) {
            handle.flags().set(Flag.PROCESSING_OFFER, false);
            pc = peerConnection(handle);
            if (pc == null) {
                return;
            }
            queued = handle.drainPendingTrickles();
        }
        queued.forEach(c -> applyCandidate(pc, handle, c));
    }

    /** What a plugin needs to write its answer: our ICE, DTLS, candidates and SSRCs. */
    public LocalMedia localMedia(Handle handle) {
        PeerConnection pc = peerConnection(handle);
        if (pc == null) {
            throw new IllegalStateException("no PeerConnection on handle " + handle.handleId());
        }
        try {
            return pc.localMedia();
        } catch (SdpException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A plugin sent a JSEP to the client: an answer completes the negotiation and starts ICE. */
    public void localJsep(Handle handle, ObjectNode jsep) {
        PeerConnection pc = peerConnection(handle);
        if (pc == null) {
            return;
        }
        if ("offer".equalsIgnoreCase(jsep.path("type").asText())) {
            try {
                pc.localOfferSent(jsep.path("sdp").asText());
            } catch (SdpException e) {
                LOG.warn("The plugin's offer does not parse ({}); media may not flow", e.getMessage());
            }
            return;
        }
        if (!"answer".equalsIgnoreCase(jsep.path("type").asText())) {
            return;
        }
        handle.flags().set(Flag.GOT_ANSWER, true);
        handle.flags().set(Flag.NEGOTIATED, true);
        pc.localDescriptionSent(jsep.path("sdp").asText());
    }

    /** One trickled candidate object ({@code {"candidate":..,"sdpMid":..}} or {@code {"completed":true}}). */
    public void trickle(Handle handle, JsonNode candidate) {
        handle.flags().set(Flag.TRICKLE, true);
        PeerConnection pc;
        synchronized (handle) {
            pc = peerConnection(handle);
            if (pc == null || handle.flags().get(Flag.PROCESSING_OFFER)) {
                handle.queueTrickle(candidate);
                return;
            }
        }
        applyCandidate(pc, handle, candidate);
    }

    private void applyCandidate(PeerConnection pc, Handle handle, JsonNode candidate) {
        if (!candidate.isObject() || candidate.has("completed")) {
            handle.flags().set(Flag.ALL_TRICKLES, true);
            pc.endOfRemoteCandidates();
            return;
        }
        String line = candidate.path("candidate").asText("");
        if (line.isEmpty()) {
            // An empty candidate string is how browsers say "end of candidates" for a generation.
            pc.endOfRemoteCandidates();
            return;
        }
        String value = line.startsWith("a=") ? line.substring(2) : line;
        value = value.startsWith("candidate:") ? value.substring("candidate:".length()) : value;
        try {
            IceCandidate parsed = IceCandidate.parse(value);
            if (parsed == null) {
                LOG.debug("Ignoring an unparsable candidate: {}", line);
                return;
            }
            pc.addRemoteCandidate(parsed, line);
        } catch (RuntimeException e) {
            // As Janus: a candidate that does not parse is ignored, not an error.
            LOG.debug("Ignoring an unparsable candidate: {}", line);
        }
    }

    /** Closes the handle's PeerConnection; the client gets {@code hangup} with the reason. */
    public void hangup(Handle handle, String reason) {
        PeerConnection pc = peerConnection(handle);
        if (pc != null) {
            pc.close(reason);
        }
    }

    /** What turns one handle's PeerConnection happenings into events and plugin callbacks. */
    PeerConnection.Listener listener(Handle handle) {
        return new Events(handle);
    }

    /** PeerConnection happenings for one handle. */
    private final class Events implements PeerConnection.Listener {
        private final Handle handle;

        Events(Handle handle) {
            this.handle = handle;
        }

        private Origin origin() {
            return GatewayEvents.origin(handle);
        }

        private void emit(Event event) {
            gateway.events().emit(event);
        }

        @Override
        public void onIceState(String state) {
            if (gateway.events().enabled()) {
                emit(new WebRtcEvent.IceState(origin(), state, 1, 1));
            }
        }

        @Override
        public void onLocalCandidate(String candidate) {
            if (gateway.events().enabled()) {
                emit(new WebRtcEvent.LocalCandidate(origin(), candidate, 1, 1));
            }
        }

        @Override
        public void onRemoteCandidate(String candidate) {
            if (gateway.events().enabled()) {
                emit(new WebRtcEvent.RemoteCandidate(origin(), candidate, 1, 1));
            }
        }

        @Override
        public void onSelectedPair(IceCandidate local, IceCandidate remote) {
            handle.flags().set(Flag.ICE_RESTART, false); // a restart is over once a new pair carries media
            if (gateway.events().enabled()) {
                emit(new WebRtcEvent.SelectedPair(origin(), side(local), side(remote), 1, 1));
            }
        }

        private WebRtcEvent.Candidate side(IceCandidate c) {
            var a = c.address();
            return new WebRtcEvent.Candidate(a.getAddress().getHostAddress(), a.getPort(), c.type(),
                    c.protocol(), a.getAddress() instanceof Inet6Address ? 6 : 4);
        }

        @Override
        public void onDtlsState(String state, long retransmissions) {
            if (gateway.events().enabled()) {
                emit(new WebRtcEvent.DtlsState(origin(), state, 1, 1, (int) retransmissions));
            }
        }

        @Override
        public void onStats(List<MediaStats> stats) {
            if (!gateway.events().enabled()) {
                return;
            }
            if (gateway.settings().events.combineMediaStats()) {
                emit(new MediaEvent.CombinedStats(origin(), stats));
            } else {
                stats.forEach(s -> emit(new MediaEvent.Stats(origin(), s)));
            }
        }

        @Override
        public void onWebrtcUp() {
            if (gateway.events().enabled()) {
                emit(WebRtcEvent.Connection.up(origin()));
            }
            handle.flags().set(Flag.READY, true);
            // The plugin first, then the client (as Janus): a client that acts on webrtcup (a
            // VideoRoom subscriber joining this publisher) finds the plugin already set up.
            try {
                handle.plugin().setupMedia(handle);
            } catch (RuntimeException e) {
                LOG.warn("Plugin setup_media failed: {}", e.toString());
            }
            gateway.notify(handle.session(), gateway.handleEvent("webrtcup", handle));
        }

        @Override
        public void onRtp(MediaPacket packet) {
            handle.plugin().incomingRtp(handle, packet);
        }

        @Override
        public void onRtcp(MediaPacket packet) {
            handle.plugin().incomingRtcp(handle, packet);
        }

        @Override
        public void onData(String label, byte[] data, boolean binary) {
            handle.flags().set(Flag.DATA_CHANNELS, true);
            try {
                handle.plugin().incomingData(handle, label, data, binary);
            } catch (RuntimeException e) {
                LOG.warn("Plugin incoming_data failed: {}", e.toString());
            }
        }

        @Override
        public void onMediaState(String mid, boolean video, boolean receiving, Integer seconds) {
            if (gateway.events().enabled()) {
                emit(new MediaEvent.State(origin(), video ? "video" : "audio", mid, null, receiving, seconds));
            }
            ObjectNode event = gateway.handleEvent("media", handle);
            event.put("mid", mid);
            event.put("type", video ? "video" : "audio");
            event.put("receiving", receiving);
            if (seconds != null) {
                event.put("seconds", seconds);
            }
            gateway.notify(handle.session(), event);
        }

        @Override
        public void onSlowLink(String mid, boolean video, boolean uplink, long lost) {
            ObjectNode event = gateway.handleEvent("slowlink", handle);
            event.put("mid", mid);
            event.put("media", video ? "video" : "audio");
            event.put("uplink", uplink);
            event.put("lost", lost);
            gateway.notify(handle.session(), event);
            if (gateway.events().enabled()) {
                emit(new MediaEvent.SlowLink(origin(), mid, video ? "video" : "audio",
                        uplink ? "uplink" : "downlink", (int) lost));
            }
            try {
                handle.plugin().slowLink(handle, uplink, video);
            } catch (RuntimeException e) {
                LOG.warn("Plugin slow_link failed: {}", e.toString());
            }
        }

        @Override
        public void onHangup(String reason) {
            if (gateway.events().enabled()) {
                emit(WebRtcEvent.Connection.hangup(origin(), reason));
            }
            handle.peerConnection(null);
            for (Flag f : new Flag[] {Flag.GOT_OFFER, Flag.GOT_ANSWER, Flag.NEGOTIATED, Flag.READY, Flag.TRICKLE,
                    Flag.ALL_TRICKLES, Flag.HAS_AUDIO, Flag.HAS_VIDEO, Flag.ICE_RESTART}) {
                handle.flags().set(f, false);
            }
            try {
                handle.plugin().hangupMedia(handle);
            } catch (RuntimeException e) {
                LOG.warn("Plugin hangup_media failed: {}", e.toString());
            }
            // Not when the handle is going away (detach): the client is told "detached" instead.
            if (handle.isAlive()) {
                ObjectNode event = gateway.handleEvent("hangup", handle);
                event.put("reason", reason);
                gateway.notify(handle.session(), event);
            }
        }
    }
}
