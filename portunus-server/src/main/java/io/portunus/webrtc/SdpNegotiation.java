package io.portunus.webrtc;

import io.portunus.media.dtls.DtlsRole;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.Candidate;
import io.portunus.media.sdp.Direction;
import io.portunus.media.sdp.LocalMedia;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;
import io.portunus.media.sdp.Setup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The offer/answer side of one PeerConnection: the last SDPs both ways (for handle_info), what
 * an answer sets on the streams (payload types, RTX, FIR or PLI, directions, transport-cc),
 * renegotiations and ICE restarts from new offers, and what our answer must say about us.
 */
final class SdpNegotiation {
    /** Logs under PeerConnection's name, as before it was split: one logger tells a PeerConnection's story. */
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    private final PeerConnection pc;
    private final MediaEngine engine;
    private final PeerConnection.Listener listener;
    private final MediaIo io;
    private final IceTransport transport;
    private final StreamTable streams;
    private final TransportCc transportCc;
    private volatile DtlsRole dtlsRole;
    /** We offered (a VideoRoom subscriber) and await the peer's answer. */
    private volatile boolean offerPending;
    private volatile String localSdp;
    /** The RTP header extensions of the answer sent, URI to id (handle_info's {@code webrtc.extensions}). */
    private volatile Map<String, Integer> extensions = Map.of();
    private volatile String remoteSdp;

    SdpNegotiation(PeerConnection pc, MediaEngine engine, PeerConnection.Listener listener, MediaIo io,
                   IceTransport transport, StreamTable streams, TransportCc transportCc, DtlsRole dtlsRole) {
        this.pc = pc;
        this.engine = engine;
        this.listener = listener;
        this.io = io;
        this.transport = transport;
        this.streams = streams;
        this.transportCc = transportCc;
        this.dtlsRole = dtlsRole;
    }

    String localSdp() {
        return localSdp;
    }

    Map<String, Integer> extensions() {
        return extensions;
    }

    /** The peer's data channel m-line as {mid, mindex}, or null (for handle_info). */
    String[] dataMedium() {
        String text = remoteSdp;
        if (text == null) {
            return null;
        }
        try {
            List<MediaSection> media = Sdp.parse(text).media();
            for (int i = 0; i < media.size(); i++) {
                MediaSection m = media.get(i);
                if (m.type().equals("application") && m.mid() != null && !m.isRejected()) {
                    return new String[] {m.mid(), Integer.toString(i)};
                }
            }
        } catch (SdpException e) {
            return null;
        }
        return null;
    }

    String remoteSdp() {
        return remoteSdp;
    }

    void remoteSdp(String sdp) {
        remoteSdp = sdp;
    }

    /** The answer as sent to the peer (first or renegotiated): ICE checks may start. */
    void localDescriptionSent(String sdp) {
        localSdp = sdp;
        Sdp answer;
        try {
            answer = Sdp.parse(sdp);
        } catch (SdpException e) {
            LOG.warn("Our own answer does not parse ({}); media may not flow", e.getMessage());
            answer = null;
        }
        Sdp parsed = answer;
        io.execute(() -> {
            if (parsed != null) {
                applyAnswer(parsed);
            }
            transport.startChecks();
        });
    }

    /**
     * Our own offer as sent to the peer: payload types and directions are ours to say, so they
     * apply at once (the answer may only narrow the directions); ICE waits for the answer.
     */
    void localOfferSent(String sdp) throws SdpException {
        Sdp offer = Sdp.parse(sdp);
        localSdp = sdp;
        offerPending = true;
        io.runAndWait(() -> applyAnswer(offer));
    }

    boolean offerPending() {
        return offerPending;
    }

    /**
     * The peer's answer to our offer (RFC 8829 §5.10): its ICE credentials and DTLS fingerprint,
     * the DTLS role it chose ({@code active} makes us the DTLS server), what each m-line may still
     * do, and then the connectivity checks start.
     */
    void remoteAnswer(Sdp answer, DtlsSrtp dtlsSrtp) throws SdpException {
        String ufrag = answer.iceUfrag();
        String pwd = answer.icePwd();
        var fp = answer.fingerprint();
        if (ufrag == null || pwd == null) {
            throw new SdpException("Missing ICE credentials (a=ice-ufrag/a=ice-pwd)");
        }
        if (fp == null) {
            throw new SdpException("Missing DTLS fingerprint (a=fingerprint)");
        }
        DtlsRole role = answer.setup() == Setup.PASSIVE ? DtlsRole.CLIENT : DtlsRole.SERVER;
        String text = answer.write();
        io.runAndWait(() -> {
            offerPending = false;
            dtlsRole = role;
            dtlsSrtp.negotiated(role, fp.hash(), fp.value());
            transport.remoteCredentials(ufrag, pwd);
            PeerConnections.updateStreams(streams, answer);
            for (MediaSection m : answer.media()) {
                MediaStream stream = m.mid() == null ? null : streams.byMid(m.mid());
                if (stream == null) {
                    continue;
                }
                Direction dir = m.isRejected() ? Direction.INACTIVE : m.direction().reverse();
                stream.send = stream.send && dir.sends();
                if (m.extmapId(AnswerOptions.TRANSPORT_CC) <= 0) {
                    stream.transportCcId = 0; // the peer's answer did not keep it
                }
                stream.recv = dir.receives();
            }
            remoteSdp = text;
            transport.startChecks();
        });
    }

    /** Payload types and directions as answered: what the peer will send, and what we may. */
    private void applyAnswer(Sdp answer) {
        transportCc.negotiated(answer);
        Map<String, Integer> negotiated = new LinkedHashMap<>();
        for (MediaSection m : answer.media()) {
            if (!m.isRejected()) {
                m.extmaps().forEach(e -> negotiated.putIfAbsent(e.uri(), e.id()));
            }
        }
        extensions = Collections.unmodifiableMap(negotiated);
        for (MediaSection m : answer.media()) {
            MediaStream stream = m.mid() == null ? null : streams.byMid(m.mid());
            if (stream == null) {
                continue;
            }
            if (m.isRejected() || m.formats().isEmpty()) {
                stream.send = false;
                stream.recv = false;
                continue;
            }
            stream.transportCcId = Math.max(0, m.extmapId(AnswerOptions.TRANSPORT_CC));
            try {
                int pt = Integer.parseInt(m.formats().get(0));
                stream.payloadType = pt;
                var codec = m.codec(pt);
                stream.codec = codec == null ? null : codec.name().toLowerCase(Locale.ROOT);
                stream.clockRate(codecClockRate(m, pt, stream.video));
                int rtx = m.rtxPayloadTypeFor(pt);
                stream.rtxPayloadType = rtx;
                List<String> feedback = m.rtcpFb(pt);
                stream.keyFrameByFir = feedback.contains("ccm fir") && !feedback.contains("nack pli");
            } catch (NumberFormatException e) {
                continue;
            }
            var dir = m.direction();
            stream.send = dir == Direction.SENDRECV || dir == Direction.SENDONLY;
            stream.recv = dir == Direction.SENDRECV || dir == Direction.RECVONLY;
        }
        // media.md §5: a renegotiation that stops a medium's recv says receiving:false at once.
        for (MediaStream stream : streams.all()) {
            if (!stream.recv && stream.receiving) {
                stream.receiving = false;
                listener.onMediaState(stream.mid, stream.video, false, null);
            }
        }
    }

    /**
     * A new offer on this PeerConnection. New ICE credentials mean an ICE restart (RFC 8445 §9):
     * we take new ones too, the peer's candidates start over, and DTLS, SRTP and the current
     * pair stay until a new pair is selected. Same credentials: a plain renegotiation. Either way
     * new m-lines get streams and the answer sent next updates payload types and directions.
     * Applied on the loop before returning, so the answer built next sees it.
     *
     * @return true if this was an ICE restart
     */
    boolean remoteOffer(Sdp offer) throws SdpException {
        String ufrag = offer.iceUfrag();
        String pwd = offer.icePwd();
        if (ufrag == null || pwd == null) {
            throw new SdpException("Missing ICE credentials (a=ice-ufrag/a=ice-pwd)");
        }
        boolean restart = transport.isRestart(ufrag, pwd);
        String text = offer.write();
        io.runAndWait(() -> {
            if (restart && !pc.isClosed()) {
                transport.restart(ufrag, pwd);
            }
            PeerConnections.updateStreams(streams, offer);
            remoteSdp = text;
            transport.pump();
        });
        return restart;
    }

    /** The DTLS role we answered with, for the answer's a=setup. */
    Setup setup() {
        return dtlsRole == DtlsRole.CLIENT ? Setup.ACTIVE : Setup.PASSIVE;
    }

    /** What the answer needs to say about this PeerConnection: ICE, DTLS, candidates, SSRCs. */
    LocalMedia localMedia() throws SdpException {
        var b = LocalMedia.builder()
                .ice(transport.localUfrag(), transport.localPwd())
                .fingerprint(engine.certificate().fingerprintSha256())
                .setup(setup())
                .endOfCandidates(true)
                .iceLite(engine.settings().media.iceLite());
        for (IceCandidate c : transport.localCandidates()) {
            b.candidate(Candidate.parse(c.toSdpValue()));
        }
        for (MediaStream s : streams.all()) {
            b.ssrc(s.mid, s.localSsrc, s.video ? s.localRtxSsrc : -1);
        }
        b.connectionAddress(transport.connectionAddress());
        return b.build();
    }

    /** The RTP clock of a payload type as the SDP maps it (G722's rtpmap says 8000, RFC 3551 §4.5.2). */
    static int codecClockRate(MediaSection m, int pt, boolean video) {
        var codec = m.codec(pt);
        return codec != null ? codec.clockRate() : staticClockRate(pt, video);
    }

    /**
     * The RTP clock of a static payload type without an rtpmap (RFC 3551 §6): 8 kHz for the
     * audio ones (PCMU 0, PCMA 8, G722 9, ...), 90 kHz for video; 0 for a dynamic one (unknown).
     */
    static int staticClockRate(int pt, boolean video) {
        if (pt >= 96) {
            return 0;
        }
        return video ? 90_000 : switch (pt) {
            case 10, 11 -> 44_100; // L16
            case 14 -> 90_000; // MPA
            case 6 -> 16_000; // DVI4
            case 16 -> 11_025;
            case 17 -> 22_050;
            default -> 8_000;
        };
    }
}
