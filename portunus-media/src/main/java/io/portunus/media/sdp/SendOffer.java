package io.portunus.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * An offer Portunus makes for media it sends and does not receive (a VideoRoom subscriber's
 * PeerConnection), JSEP RFC 8829 §5.2: one {@code sendonly} m-line per leg with one codec (and
 * its RTX, RFC 4588), all bundled (RFC 8843) with {@code rtcp-mux}, {@code a=setup:actpass}
 * (RFC 5763 §5: the answerer picks the DTLS role), our SSRCs announced with {@code a=ssrc} so
 * the answerer can tell the legs apart without the {@code sdes:mid} extension.
 *
 * <p>Pure function: no I/O, no clock, no randomness (the caller picks SSRCs and credentials).
 */
public final class SendOffer {
    private SendOffer() {
    }

    /**
     * One m-line of the offer.
     *
     * @param mid      the leg's mid
     * @param type     {@code audio} or {@code video}
     * @param pt       the codec's payload type
     * @param codec    the codec
     * @param fmtp     its fmtp parameters, or null
     * @param rtxPt    the RTX payload type, or -1 for none
     * @param rtcpFb   the feedback offered for the codec ({@code nack}, {@code nack pli}, ...)
     * @param extmaps  the header extensions offered, with the ids of this offer
     * @param msid     the msid stream and track ({@code a=msid}, RFC 8830)
     * @param active   false for a leg whose source went away: {@code a=inactive}, kept in the bundle
     */
    public record Leg(String mid, String type, int pt, Codec codec, String fmtp, int rtxPt, List<String> rtcpFb,
                      List<Extmap> extmaps, String msid, boolean active) {
        public Leg {
            rtcpFb = List.copyOf(rtcpFb);
            extmaps = List.copyOf(extmaps);
        }

        /** A data channel m-line (RFC 8841) with this mid, on the bundle's transport. */
        public static Leg data(String mid) {
            return new Leg(mid, DATA, -1, null, null, -1, List.of(), List.of(), null, true);
        }

        boolean isData() {
            return DATA.equals(type);
        }
    }

    private static final String DATA = "application";

    /**
     * The offer; {@code local} gives ICE, fingerprint, candidates, SSRCs and cname; {@code o=} has
     * {@code sessionId} and {@code version} (one more for each new offer of the session, RFC 3264 §8).
     */
    public static Sdp offer(List<Leg> legs, LocalMedia local, String sessionName, long id, long version) {
        String addrType = local.connectionAddress().contains(":") ? "IP6" : "IP4";
        Sdp offer = new Sdp(new Origin("-", Long.toUnsignedString(id), Long.toUnsignedString(version), "IN", addrType,
                local.connectionAddress()), sessionName);
        List<String> mids = new ArrayList<>();
        legs.forEach(l -> mids.add(l.mid()));
        if (!mids.isEmpty()) {
            offer.addAttribute("group", "BUNDLE " + String.join(" ", mids));
        }
        if (local.iceLite()) {
            offer.addAttribute("ice-lite", null);
        }
        offer.addAttribute("ice-options", "trickle");
        offer.addAttribute("fingerprint", "sha-256 " + local.fingerprint());
        offer.addAttribute("msid-semantic", " WMS *");
        String connection = "IN " + addrType + " " + local.connectionAddress();
        for (Leg leg : legs) {
            offer.addMedia(leg.isData() ? data(leg, local, connection) : media(leg, local, connection));
        }
        return offer;
    }

    /**
     * A data channel m-line as Janus 1.1.2 offers it to a VideoRoom subscriber ({@code sendonly},
     * {@code a=sctp-port:5000}), with the {@code a=max-message-size} our answers give too (RFC 8841 §6).
     */
    private static MediaSection data(Leg leg, LocalMedia local, String connection) {
        MediaSection m = new MediaSection(DATA, 9, "UDP/DTLS/SCTP", List.of("webrtc-datachannel"));
        m.addLine('c', connection);
        m.addAttribute(Direction.SENDONLY.sdpName(), null);
        m.addAttribute("mid", leg.mid());
        m.addAttribute("sctp-port", "5000");
        m.addAttribute("max-message-size", Integer.toString(EchoAnswer.MAX_MESSAGE_SIZE));
        m.addAttribute("ice-ufrag", local.iceUfrag());
        m.addAttribute("ice-pwd", local.icePwd());
        m.addAttribute("ice-options", "trickle");
        m.addAttribute("setup", Setup.ACTPASS.sdpName());
        for (Candidate c : local.candidates()) {
            m.addAttribute("candidate", c.toSdpValue());
        }
        if (local.endOfCandidates()) {
            m.addAttribute("end-of-candidates", null);
        }
        return m;
    }

    private static MediaSection media(Leg leg, LocalMedia local, String connection) {
        List<String> formats = new ArrayList<>();
        formats.add(Integer.toString(leg.pt()));
        if (leg.rtxPt() >= 0) {
            formats.add(Integer.toString(leg.rtxPt()));
        }
        MediaSection m = new MediaSection(leg.type(), 9, "UDP/TLS/RTP/SAVPF", formats);
        m.addLine('c', connection);
        m.addAttribute((leg.active() ? Direction.SENDONLY : Direction.INACTIVE).sdpName(), null);
        m.addAttribute("mid", leg.mid());
        m.addAttribute("rtcp-mux", null);
        m.addAttribute("ice-ufrag", local.iceUfrag());
        m.addAttribute("ice-pwd", local.icePwd());
        m.addAttribute("ice-options", "trickle");
        m.addAttribute("setup", Setup.ACTPASS.sdpName());
        m.addAttribute("rtpmap", leg.pt() + " " + leg.codec().toSdpValue());
        if (leg.fmtp() != null && !leg.fmtp().isBlank()) {
            m.addAttribute("fmtp", leg.pt() + " " + leg.fmtp());
        }
        for (String fb : leg.rtcpFb()) {
            m.addAttribute("rtcp-fb", leg.pt() + " " + fb);
        }
        for (Extmap e : leg.extmaps()) {
            m.addAttribute("extmap", e.toSdpValue());
        }
        if (leg.rtxPt() >= 0) {
            m.addAttribute("rtpmap", leg.rtxPt() + " rtx/" + leg.codec().clockRate());
            m.addAttribute("fmtp", leg.rtxPt() + " apt=" + leg.pt());
        }
        LocalMedia.Ssrcs ssrcs = local.ssrcs().get(leg.mid());
        boolean withRtx = ssrcs != null && leg.rtxPt() >= 0 && ssrcs.rtx() > 0;
        if (withRtx) {
            m.addAttribute("ssrc-group", "FID " + ssrcs.ssrc() + " " + ssrcs.rtx());
        }
        m.addAttribute("msid", leg.msid());
        if (ssrcs != null) {
            m.addAttribute("ssrc", ssrcs.ssrc() + " cname:" + local.cname());
            m.addAttribute("ssrc", ssrcs.ssrc() + " msid:" + leg.msid());
            if (withRtx) {
                m.addAttribute("ssrc", ssrcs.rtx() + " cname:" + local.cname());
                m.addAttribute("ssrc", ssrcs.rtx() + " msid:" + leg.msid());
            }
        }
        for (Candidate c : local.candidates()) {
            m.addAttribute("candidate", c.toSdpValue());
        }
        if (local.endOfCandidates()) {
            m.addAttribute("end-of-candidates", null);
        }
        return m;
    }
}
