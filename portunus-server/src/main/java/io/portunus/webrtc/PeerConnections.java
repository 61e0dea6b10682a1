package io.portunus.webrtc;

import io.portunus.media.dtls.DtlsRole;
import io.portunus.media.sdp.Fingerprint;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;
import io.portunus.media.sdp.Setup;

import java.util.SequencedMap;

/**
 * Makes a PeerConnection from a remote offer: ICE credentials, fingerprint and DTLS role from
 * the SDP, one {@link MediaStream} per accepted audio/video m-line with the peer's SSRCs and
 * ours, and the sockets bound.
 */
public final class PeerConnections {
    private PeerConnections() {
    }

    public static PeerConnection fromOffer(MediaEngine engine, Sdp offer, PeerConnection.Listener listener)
            throws SdpException, InterruptedException {
        return fromOffer(engine, engine.newIo(), offer, listener);
    }

    /** The same on the given thread, clock and sockets (a test's in-memory network). */
    static PeerConnection fromOffer(MediaEngine engine, MediaIo io, Sdp offer, PeerConnection.Listener listener)
            throws SdpException, InterruptedException {
        if (engine.hostAddresses().isEmpty()) {
            throw new IllegalStateException("no local address for media");
        }
        String ufrag = offer.iceUfrag();
        String pwd = offer.icePwd();
        Fingerprint fp = offer.fingerprint();
        if (ufrag == null || pwd == null) {
            throw new SdpException("Missing ICE credentials (a=ice-ufrag/a=ice-pwd)");
        }
        if (fp == null) {
            throw new SdpException("Missing DTLS fingerprint (a=fingerprint)");
        }
        // Janus's choice: be the DTLS client unless the peer insists on being it; media.dtls_role
        // = "passive" makes Portunus the server whenever the offer (actpass) leaves the choice.
        DtlsRole role;
        if (offer.setup() == Setup.ACTIVE) {
            role = DtlsRole.SERVER;
        } else if (offer.setup() == Setup.PASSIVE) {
            role = DtlsRole.CLIENT;
        } else {
            role = "passive".equalsIgnoreCase(engine.settings().dtlsRole) ? DtlsRole.SERVER : DtlsRole.CLIENT;
        }
        PeerConnection pc = new PeerConnection(engine, io, listener, role, fp.hash(), fp.value(), ufrag, pwd);
        updateStreams(pc.streams(), offer);
        pc.remoteSdp(offer.write());
        try {
            pc.bind();
        } catch (InterruptedException | RuntimeException e) {
            pc.discard(); // the sockets bound before the failure
            throw e;
        }
        engine.totals().opened(pc); // only once set up: a failed offer leaves nothing behind in the totals
        return pc;
    }

    /**
     * Makes a PeerConnection that will offer (a VideoRoom subscriber's): one stream per leg with
     * our SSRCs, the sockets bound; the peer's ICE, fingerprint and DTLS role come with its answer
     * ({@link PeerConnection#remoteAnswer}). Until then we are the DTLS server (the peer answers
     * {@code actpass} with {@code active}, as browsers do) and the ICE controlling agent.
     *
     * @param legs mid to whether that leg is video, in m-line order
     */
    public static PeerConnection forLocalOffer(MediaEngine engine, SequencedMap<String, Boolean> legs,
                                               PeerConnection.Listener listener) throws InterruptedException {
        return forLocalOffer(engine, engine.newIo(), legs, listener);
    }

    /** The same on the given thread, clock and sockets (a simulated room's in-memory network). */
    static PeerConnection forLocalOffer(MediaEngine engine, MediaIo io, SequencedMap<String, Boolean> legs,
                                        PeerConnection.Listener listener) throws InterruptedException {
        if (engine.hostAddresses().isEmpty()) {
            throw new IllegalStateException("no local address for media");
        }
        PeerConnection pc = new PeerConnection(engine, io, listener, DtlsRole.SERVER, null, null, null, null);
        int mindex = 0;
        for (var leg : legs.entrySet()) {
            boolean video = leg.getValue();
            pc.streams().add(new MediaStream(leg.getKey(), mindex++, video, PeerConnection.randomSsrc(),
                    video ? PeerConnection.randomSsrc() : 0));
        }
        try {
            pc.bind();
        } catch (InterruptedException | RuntimeException e) {
            pc.discard();
            throw e;
        }
        engine.totals().opened(pc);
        return pc;
    }

    /**
     * The stream and track ids the offer declares for an m-line: {@code a=msid} (RFC 8830), else
     * the {@code msid} source attribute of its main SSRC (RFC 5576, older browsers); "-" (no
     * stream, RFC 8830 §2) gives none.
     */
    static String[] remoteMsid(MediaSection m, long mainSsrc) {
        String value = m.msid();
        if (value == null && mainSsrc > 0) {
            var attributes = m.ssrcs().get(mainSsrc);
            value = attributes == null ? null : attributes.get("msid");
        }
        if (value == null || value.isBlank()) {
            return new String[2];
        }
        String[] words = value.trim().split("\\s+", 2);
        String stream = words[0].equals("-") ? null : words[0];
        return new String[] {stream, words.length > 1 ? words[1] : null};
    }

    /**
     * One stream per accepted audio/video m-line, with our SSRCs (kept for the PeerConnection's
     * life, so a renegotiated answer repeats them) and the peer's: an m-line seen before keeps
     * its stream and only takes the peer's SSRCs if they changed.
     */
    static void updateStreams(StreamTable streams, Sdp offer) {
        int index = 0;
        for (MediaSection m : offer.media()) {
            int mindex = index++;
            boolean audio = m.type().equals("audio");
            boolean video = m.type().equals("video");
            if ((!audio && !video) || m.isRejected() || m.mid() == null) {
                continue;
            }
            long main = m.mainSsrc();
            long rtx = main > 0 ? Math.max(m.rtxSsrcFor(main), 0) : 0;
            MediaStream known = streams.byMid(m.mid());
            String[] msid = remoteMsid(m, main);
            if (known != null) {
                known.remoteMsidStream = msid[0];
                known.remoteMsidTrack = msid[1];
                if (main > 0 && main != known.remoteSsrc) {
                    streams.remoteSsrcs(known, main, rtx);
                }
                continue;
            }
            MediaStream stream = new MediaStream(m.mid(), mindex, video, PeerConnection.randomSsrc(),
                    video ? PeerConnection.randomSsrc() : 0);
            stream.simulcast = video ? SimulcastLayers.fromOffer(m) : null;
            stream.remoteMsidStream = msid[0];
            stream.remoteMsidTrack = msid[1];
            if (main > 0) {
                stream.remoteSsrc = main;
                stream.remoteRtxSsrc = rtx;
            }
            streams.add(stream);
        }
    }
}
