package io.portunus.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The EchoTest's answer to a browser offer (RFC 3264 §6, JSEP RFC 8829 §5.3), shaped like the
 * answers Janus 1.1.2 writes (fixture {@code janus-answer.sdp}):
 *
 * <ul>
 * <li>every offered m-line is answered, in order, with its mid (RFC 3264 §6: same number and order);
 * <li>audio/video get one codec: the first offered one matching the preference, plus its rtx
 *     payload type (RFC 4588 §8.6) for video when offered; anything else, or a codec Portunus does
 *     not support, is rejected with port 0;
 * <li>a data channel m-line ({@code UDP/DTLS/SCTP webrtc-datachannel}, RFC 8841) is accepted
 *     with {@code a=sctp-port:5000} and {@code a=max-message-size};
 * <li>the direction mirrors the offer ({@link Direction#reverse}): an echo sends back what it gets;
 * <li>one BUNDLE group with every accepted mid (RFC 8843 §7.3), {@code rtcp-mux}, the same ICE
 *     credentials and candidates on every m-line, {@code a=fingerprint} at session level;
 * <li>only the RTCP feedback and header extensions Janus keeps, with the offer's ids (RFC 8285 §6);
 * <li>simulcast ({@code a=rid}/{@code a=simulcast} send) is answered with recv (RFC 8853 §5.3).
 * </ul>
 *
 * Pure function: no I/O, no clock, no randomness (the caller picks SSRCs and credentials).
 */
public final class EchoAnswer {
    private EchoAnswer() {
    }

    /**
     * Codecs picked when the client states no preference: the ones Janus's EchoTest negotiates.
     * The echo never decodes, so the list is about what Janus answers, not what Portunus can decode.
     */
    static final Set<String> AUDIO_SUPPORTED = Set.of("opus", "multiopus", "pcmu", "pcma", "g722");
    static final Set<String> VIDEO_SUPPORTED = Set.of("vp8", "vp9", "h264", "av1", "h265");

    /** The video feedback Janus answers with, in the order it writes them. */
    static final List<String> VIDEO_RTCP_FB = List.of("ccm fir", "nack", "nack pli", "goog-remb", "transport-cc");

    /** RFC 3551 §6 static payload types a legacy offer may list without {@code a=rtpmap}. */
    private static final Map<Integer, Codec> STATIC = Map.of(0, new Codec("PCMU", 8000, 0),
            8, new Codec("PCMA", 8000, 0), 9, new Codec("G722", 8000, 0));

    /**
     * The DTLS role Janus takes for an offered {@code a=setup} (media.md §2, RFC 5763 §5): passive
     * when the peer wants to be active, else active (also when the offer says nothing).
     */
    public static Setup dtlsRoleFor(Setup offered) {
        return offered == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE;
    }

    /**
     * Builds the answer. Throws only when the offer cannot be answered at all (an accepted
     * m-line without a mid, a DTLS role clash); the message is the client's error text.
     */
    public static Sdp answer(Sdp offer, LocalMedia local, AnswerOptions options) throws SdpException {
        Setup role = local.setup() != null ? local.setup() : dtlsRoleFor(offer.setup());
        if (role == Setup.ACTIVE && offer.setup() == Setup.ACTIVE
                || role == Setup.PASSIVE && offer.setup() == Setup.PASSIVE) {
            throw new SdpException("DTLS role conflict: offer is " + offer.setup().sdpName()
                    + ", answer would be " + role.sdpName());
        }
        List<MediaSection> offered = offer.media();
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            plans.add(plan(i, offered.get(i), options));
        }
        List<String> offeredBundle = offer.bundleMids();
        List<String> bundle = new ArrayList<>();
        for (Plan p : plans) {
            // RFC 8843 §7.3.1: only mids the offerer bundled; Janus forces BUNDLE anyway, so an
            // offer without a group gets every accepted mid (browsers always offer one).
            if (p.accepted() && (offeredBundle.isEmpty() || offeredBundle.contains(p.mid()))) {
                bundle.add(p.mid());
            }
        }

        Origin o = offer.origin();
        String addrType = local.connectionAddress().contains(":") ? "IP6" : "IP4";
        String id = local.sessionId() != null ? Long.toUnsignedString(local.sessionId()) : o.sessionId();
        String version = local.sessionVersion() != null ? Long.toUnsignedString(local.sessionVersion())
                : o.sessionVersion();
        Sdp answer = new Sdp(new Origin("-", id, version, "IN", addrType, local.connectionAddress()),
                offer.sessionName());
        if (!bundle.isEmpty()) {
            answer.addAttribute("group", "BUNDLE " + String.join(" ", bundle));
        }
        if (local.iceLite()) {
            answer.addAttribute("ice-lite", null);
        }
        answer.addAttribute("ice-options", "trickle");
        answer.addAttribute("fingerprint", "sha-256 " + local.fingerprint());
        if (offer.extmapAllowMixed()) {
            answer.addAttribute("extmap-allow-mixed", null);
        }
        answer.addAttribute("msid-semantic", " WMS *");

        String connection = "IN " + addrType + " " + local.connectionAddress();
        for (Plan p : plans) {
            answer.addMedia(!p.accepted() ? rejected(p, connection) : isDataChannel(p.offer())
                    ? dataChannel(p, local, role, connection) : accepted(p, local, role, options, connection));
        }
        return answer;
    }

    /** What to do with one offered m-line: pt is the chosen payload type, or -1 to reject. */
    private record Plan(int index, MediaSection offer, String mid, int pt) {
        boolean accepted() {
            return pt >= 0;
        }
    }

    /** The largest data channel message we take (RFC 8841 §6), what the SCTP stack reassembles. */
    public static final int MAX_MESSAGE_SIZE = 262_144;

    static boolean isDataChannel(MediaSection m) {
        return m.type().equals("application") && m.protocol().contains("SCTP")
                && m.formats().contains("webrtc-datachannel");
    }

    private static Plan plan(int index, MediaSection m, AnswerOptions options) throws SdpException {
        if (isDataChannel(m) && !m.isRejected()) {
            if (m.mid() == null) {
                throw new SdpException("Missing mid in m-line " + index);
            }
            return new Plan(index, m, m.mid(), 0);
        }
        boolean audio = m.type().equals("audio");
        boolean video = m.type().equals("video");
        boolean usable = !m.isRejected() && m.protocol().contains("RTP/SAVP")
                && (audio && options.audio() || video && options.video());
        int pt = usable ? chooseCodec(m, audio ? options.audioCodecs() : options.videoCodecs(),
                audio ? AUDIO_SUPPORTED : VIDEO_SUPPORTED, video ? options.videoProfile() : null) : -1;
        if (pt >= 0 && m.mid() == null) {
            // JSEP §5.2.1 requires a mid on every m-line and BUNDLE cannot work without one.
            throw new SdpException("Missing mid in m-line " + index);
        }
        return new Plan(index, m, m.mid(), pt);
    }

    /**
     * With preferences: the first preferred codec that is offered (its first payload type whose
     * fmtp matches the profile, else its first). Without: the first offered codec supported.
     */
    static int chooseCodec(MediaSection m, List<String> preferred, Set<String> supported, String profile) {
        if (!preferred.isEmpty()) {
            for (String name : preferred) {
                int pt = firstOf(m, name, profile);
                if (pt >= 0) {
                    return pt;
                }
            }
            return -1;
        }
        Map<Integer, Codec> maps = m.rtpmaps();
        for (String f : m.formats()) {
            Codec c = codecOf(maps, f);
            if (c != null && supported.contains(c.name().toLowerCase(Locale.ROOT))) {
                return firstOf(m, c.name(), profile);
            }
        }
        return -1;
    }

    private static int firstOf(MediaSection m, String name, String profile) {
        int first = -1;
        Map<Integer, Codec> maps = m.rtpmaps();
        for (String f : m.formats()) {
            Codec c = codecOf(maps, f);
            if (c == null || !c.is(name)) {
                continue;
            }
            int pt = Integer.parseInt(f);
            if (profile == null || profileMatches(c, m.fmtp(pt), profile)) {
                return pt;
            }
            if (first < 0) {
                first = pt;
            }
        }
        return first;
    }

    private static boolean profileMatches(Codec c, String fmtp, String profile) {
        if (c.is("h264")) {
            return profile.equalsIgnoreCase(MediaSection.fmtpParam(fmtp, "profile-level-id"));
        }
        if (c.is("vp9")) {
            String id = MediaSection.fmtpParam(fmtp, "profile-id");
            return profile.equals(id == null ? "0" : id); // RFC-draft VP9: profile-id defaults to 0
        }
        return true;
    }

    /** The codec of a format, from its rtpmap or the static table; null if not an RTP payload type. */
    private static Codec codecOf(Map<Integer, Codec> rtpmaps, String format) {
        if (format.isEmpty() || format.length() > 3 || !format.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null;
        }
        int pt = Integer.parseInt(format);
        Codec c = rtpmaps.get(pt);
        return c != null ? c : STATIC.get(pt);
    }

    private static MediaSection rejected(Plan p, String connection) {
        // RFC 3264 §6 / JSEP §5.3.1: port 0, formats as offered, the mid kept so the peer can match it.
        MediaSection m = new MediaSection(p.offer().type(), 0, p.offer().protocol(), p.offer().formats());
        m.addLine('c', connection);
        m.addAttribute(Direction.INACTIVE.sdpName(), null);
        if (p.mid() != null) {
            m.addAttribute("mid", p.mid());
        }
        return m;
    }

    /** RFC 8841 §5: the data channel m-line, on the bundle's transport like the others. */
    private static MediaSection dataChannel(Plan p, LocalMedia local, Setup role, String connection) {
        MediaSection m = new MediaSection("application", 9, p.offer().protocol(), List.of("webrtc-datachannel"));
        m.addLine('c', connection);
        m.addAttribute("sendrecv", null);
        m.addAttribute("mid", p.mid());
        m.addAttribute("sctp-port", "5000");
        m.addAttribute("max-message-size", Integer.toString(MAX_MESSAGE_SIZE));
        m.addAttribute("ice-ufrag", local.iceUfrag());
        m.addAttribute("ice-pwd", local.icePwd());
        m.addAttribute("ice-options", "trickle");
        m.addAttribute("setup", role.sdpName());
        for (Candidate c : local.candidates()) {
            m.addAttribute("candidate", c.toSdpValue());
        }
        if (local.endOfCandidates()) {
            m.addAttribute("end-of-candidates", null);
        }
        return m;
    }

    private static MediaSection accepted(Plan p, LocalMedia local, Setup role, AnswerOptions options,
                                         String connection) {
        MediaSection offer = p.offer();
        boolean video = offer.type().equals("video");
        Codec codec = codecOf(offer.rtpmaps(), Integer.toString(p.pt()));
        int rtx = video && options.rtx() ? offer.rtxPayloadTypeFor(p.pt()) : -1;
        int red = !video && options.opusRed() && codec.is("opus") ? redFor(offer, p.pt()) : -1;
        Direction direction = offer.direction().reverse();

        List<String> formats = new ArrayList<>();
        if (red >= 0) {
            formats.add(Integer.toString(red));
        }
        formats.add(Integer.toString(p.pt()));
        if (rtx >= 0) {
            formats.add(Integer.toString(rtx));
        }
        // Port 9 (discard, JSEP §5.2.1): the real addresses are in the candidates.
        MediaSection m = new MediaSection(offer.type(), 9, offer.protocol(), formats);
        m.addLine('c', connection);
        m.addAttribute(direction.sdpName(), null);
        m.addAttribute("mid", p.mid());
        m.addAttribute("rtcp-mux", null);
        m.addAttribute("ice-ufrag", local.iceUfrag());
        m.addAttribute("ice-pwd", local.icePwd());
        m.addAttribute("ice-options", "trickle");
        m.addAttribute("setup", role.sdpName());
        if (red >= 0) {
            m.addAttribute("rtpmap", red + " " + offer.codec(red).toSdpValue());
            m.addAttribute("fmtp", red + " " + p.pt() + "/" + p.pt());
        }
        m.addAttribute("rtpmap", p.pt() + " " + codec.toSdpValue());
        String fmtp = answerFmtp(codec, offer.fmtp(p.pt()));
        if (fmtp != null) {
            m.addAttribute("fmtp", p.pt() + " " + fmtp);
        }
        if (video) {
            List<String> fbs = offer.rtcpFb(p.pt());
            for (String fb : VIDEO_RTCP_FB) {
                if (fbs.contains(fb)) {
                    m.addAttribute("rtcp-fb", p.pt() + " " + fb);
                }
            }
        }
        for (Extmap e : offer.extmaps()) {
            if (options.extmaps().contains(e.uri())) {
                Direction d = e.direction() == null ? null : e.direction().reverse();
                m.addAttribute("extmap", new Extmap(e.id(), d, e.uri(), null).toSdpValue());
            }
        }
        if (video && direction.receives()) {
            answerSimulcast(offer, m);
        }
        if (rtx >= 0) {
            m.addAttribute("rtpmap", rtx + " " + offer.codec(rtx).toSdpValue());
            m.addAttribute("fmtp", rtx + " apt=" + p.pt());
        }
        LocalMedia.Ssrcs ssrcs = local.ssrcs().get(p.mid());
        if (direction.sends()) {
            // RFC 5576 §4.2 FID: main then rtx; Janus writes the group before msid and the ssrcs.
            boolean withRtx = ssrcs != null && rtx >= 0 && ssrcs.rtx() > 0;
            if (withRtx) {
                m.addAttribute("ssrc-group", "FID " + ssrcs.ssrc() + " " + ssrcs.rtx());
            }
            m.addAttribute("msid", local.msidStream() + " " + local.msidStream() + p.index());
            if (ssrcs != null) {
                m.addAttribute("ssrc", ssrcs.ssrc() + " cname:" + local.cname());
                if (withRtx) {
                    m.addAttribute("ssrc", ssrcs.rtx() + " cname:" + local.cname());
                }
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

    /**
     * The fmtp of the answer: video codecs keep the offer's (H.264 packetization and profile,
     * VP9 profile: the echo sends back the same bitstream); Opus keeps only in-band FEC, like
     * Janus; other audio codecs have none.
     */
    private static String answerFmtp(Codec codec, String offered) {
        if (codec.is("opus")) {
            return "1".equals(MediaSection.fmtpParam(offered, "useinbandfec")) ? "useinbandfec=1" : null;
        }
        if (codec.is("vp8") || codec.clockRate() != 90000) {
            return null;
        }
        return offered == null || offered.isBlank() ? null : offered;
    }

    /** An offered RED payload type carrying this Opus pt (fmtp {@code 111/111}, RFC 2198 §5), or -1. */
    private static int redFor(MediaSection offer, int opusPt) {
        for (Map.Entry<Integer, Codec> e : offer.rtpmaps().entrySet()) {
            String f = offer.fmtp(e.getKey());
            if (e.getValue().is("red") && e.getValue().clockRate() == 48000 && f != null
                    && f.trim().matches("(" + opusPt + "/)*" + opusPt)) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** RFC 8853 §5.3: the offerer's send streams become the answerer's recv streams, same rids. */
    private static void answerSimulcast(MediaSection offer, MediaSection m) {
        Simulcast sc = offer.simulcast();
        if (sc == null || sc.send().isEmpty()) {
            return;
        }
        List<String> offeredSend = new ArrayList<>();
        for (Rid r : offer.rids()) {
            if (r.direction().equals("send")) {
                offeredSend.add(r.id());
            }
        }
        List<String> ids = Simulcast.ridIds(sc.send());
        if (!offeredSend.containsAll(ids)) {
            return; // RFC 8853 §5.1: every rid in a=simulcast needs its a=rid; otherwise ignore simulcast
        }
        for (String rid : ids) {
            m.addAttribute("rid", rid + " recv");
        }
        m.addAttribute("simulcast", new Simulcast(List.of(), sc.send()).toSdpValue());
    }
}
