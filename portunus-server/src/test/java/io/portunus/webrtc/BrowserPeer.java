package io.portunus.webrtc;

import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.media.dtls.DtlsRole;
import io.portunus.media.dtls.DtlsSession;
import io.portunus.media.ice.IceAgent;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.ice.IceConfig;
import io.portunus.media.ice.IceEvent;
import io.portunus.media.ice.IceRole;
import io.portunus.media.ice.IceState;
import io.portunus.media.rtcp.RoundTrip;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtp.LossDetector;
import io.portunus.media.rtp.RetransmissionBuffer;
import io.portunus.media.rtp.RtpExtensions;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.rtp.Rtx;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.Direction;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpSession;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The other end of the scenario: the browser's side of a PeerConnection, made of the same
 * portunus-media protocol classes the server's is made of. It offers (audio PCMU, video VP8
 * with RTX and NACK), is the ICE controlling agent and the DTLS server (the offer says
 * actpass; Portunus answers active), sends RTP it keeps for retransmission, answers NACKs with
 * RTX, NACKs the server's lost video, and keeps what the server's RTCP reports say. Driven on
 * the {@link SimMedia} loop.
 */
final class BrowserPeer implements MediaIo.DatagramSink {
    static final long AUDIO_SSRC = 0x11112222L;
    static final long VIDEO_SSRC = 0x33334444L;
    static final long VIDEO_RTX_SSRC = 0x55556666L;
    static final int VP8 = 96;
    static final int RTX = 97;

    private final SimMedia sim;
    private final DtlsCertificate certificate;
    final InetSocketAddress address;
    /** An offerer is ICE controlling and the DTLS server (actpass answered active); an answerer the reverse. */
    private final boolean answerer;
    final IceAgent ice;
    /** Added to the video m-line of our offer (e.g. a=extmap lines). */
    String extraVideoAttributes = "";
    private MediaIo.Timer iceTimer;
    DtlsSession dtls;
    volatile SrtpKeys keys;
    SrtpSession srtp;
    final List<IceState> iceStates = new ArrayList<>();
    String dtlsFailure;
    private boolean closed;

    /** What the server's answer said. */
    long serverAudioSsrc;
    long serverVideoSsrc;
    long serverVideoRtxSsrc;
    private String serverFingerprint;

    private final RetransmissionBuffer videoSent = new RetransmissionBuffer(512, 2_000_000);
    private int rtxSequence = 1;
    private int audioSeq = 1000;
    private int videoSeq = 5000;
    /** Per server SSRC: sequence numbers received (retransmissions unwrapped), and loss tracking. */
    final Map<Long, List<Integer>> received = new LinkedHashMap<>();
    /** The transport-wide sequence numbers of what arrived, in order, when the server's offer had transport-cc. */
    final List<Integer> transportSequences = new ArrayList<>();
    /** RTP payload length of each packet received (after unwrapping a retransmission). */
    final List<Integer> payloadLengths = new ArrayList<>();
    /** The offer's transport-cc extension id (on its video), or 0. */
    int transportCcId;
    final Map<Long, LossDetector> loss = new LinkedHashMap<>();
    int retransmissionsIn;
    /** The sequence numbers that came as the server's retransmissions (RTX, unwrapped). */
    final List<Integer> retransmitted = new ArrayList<>();
    int nacksIn;
    /** The sequence numbers the server's NACKs asked for. */
    final List<Integer> nacked = new ArrayList<>();
    int nacksOut;
    int keyFrameRequestsIn;
    int undecryptable;
    /** Sender reports from the server (the SR part, and its report block when there is one). */
    final List<ServerReport> reports = new ArrayList<>();
    /** The NTP middle 32 bits of the sender reports we sent, for the server's LSR. */
    final List<Long> ourSrNtp = new ArrayList<>();
    /** When we sent each of them (fake µs). */
    final List<Long> ourSrAt = new ArrayList<>();

    record ServerReport(long at, long ssrc, long rtpTimestamp, long packets, long octets, Rtcp.ReportBlock block) {
    }

    BrowserPeer(SimMedia sim, DtlsCertificate certificate) {
        this(sim, certificate, new InetSocketAddress("192.0.2.10", 50_000), false);
    }

    /**
     * @param answerer true for a peer that answers the server's offer (a VideoRoom subscriber):
     *                 ICE controlled, DTLS client ({@code a=setup:active})
     */
    BrowserPeer(SimMedia sim, DtlsCertificate certificate, InetSocketAddress address, boolean answerer) {
        this.sim = sim;
        this.certificate = certificate;
        this.address = address;
        this.answerer = answerer;
        this.ice = new IceAgent(answerer ? IceRole.CONTROLLED : IceRole.CONTROLLING, "brws",
                "browser-ice-password-0001", false, answerer ? 8 : 7, IceConfig.defaults());
        sim.bind(address, this);
        sim.handshakeInbox(() -> dtls == null || closed || dtls.queuedDatagrams() == 0);
    }

    String offer() {
        String common = "c=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:brws\r\na=ice-pwd:browser-ice-password-0001\r\na=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 " + certificate.fingerprintSha256() + "\r\n"
                + "a=setup:actpass\r\na=sendrecv\r\na=rtcp-mux\r\n";
        return "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS stream\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n" + common + "a=mid:0\r\n"
                + "a=msid:stream audio-track\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=ssrc:" + AUDIO_SSRC + " cname:browser\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n" + common + "a=mid:1\r\n"
                + "a=msid:stream video-track\r\n"
                + "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n"
                + "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
                + "a=ssrc-group:FID " + VIDEO_SSRC + " " + VIDEO_RTX_SSRC + "\r\n"
                + "a=ssrc:" + VIDEO_SSRC + " cname:browser\r\n"
                + "a=ssrc:" + VIDEO_RTX_SSRC + " cname:browser\r\n"
                + extraVideoAttributes;
    }

    /**
     * Our answer to the server's offer (a VideoRoom subscriber's, sendonly legs), as a browser
     * makes it: each m-line received only, our ICE credentials and fingerprint, DTLS client
     * ({@code active}). Takes the server's ICE credentials, candidates, fingerprint and video
     * SSRCs from the offer and starts our (controlled) ICE agent.
     */
    String answerTo(String offerText) throws Exception {
        Sdp offer = Sdp.parse(offerText);
        serverFingerprint = offer.fingerprint().value();
        for (MediaSection m : offer.media()) {
            if (m.type().equals("video") && m.extmapId(AnswerOptions.TRANSPORT_CC) > 0) {
                transportCcId = m.extmapId(AnswerOptions.TRANSPORT_CC);
            }
            if (m.type().equals("video") && serverVideoSsrc == 0) {
                serverVideoSsrc = m.mainSsrc();
                serverVideoRtxSsrc = Math.max(0, m.rtxSsrcFor(serverVideoSsrc));
            } else if (m.type().equals("audio") && serverAudioSsrc == 0) {
                serverAudioSsrc = m.mainSsrc();
            }
        }
        ice.addLocalCandidate(candidate());
        ice.endOfLocalCandidates(sim.now);
        ice.setRemoteCredentials(offer.iceUfrag(), offer.icePwd());
        for (var c : offer.media().get(0).candidates()) {
            ice.addRemoteCandidate(IceCandidate.parse(c.toSdpValue()));
        }
        String answer = answerSdp(offerText, "brws", "browser-ice-password-0001");
        ice.start(sim.now);
        pump();
        return answer;
    }

    /**
     * Our answer to a new offer of the server's with new ICE credentials (its ICE restart, RFC
     * 8445 §9) as a browser makes it: new credentials of ours, the checks start over with the
     * server's new ones; DTLS and SRTP stay.
     */
    String answerToRestart(String offerText, String ufrag, String pwd) throws Exception {
        Sdp offer = Sdp.parse(offerText);
        ice.restart(ufrag, pwd);
        ice.setRemoteCredentials(offer.iceUfrag(), offer.icePwd());
        for (var c : offer.media().get(0).candidates()) {
            ice.addRemoteCandidate(IceCandidate.parse(c.toSdpValue()));
        }
        pump();
        return answerSdp(offerText, ufrag, pwd);
    }

    /** Our answer (with these ICE credentials) to a server's offer that changes nothing of ICE or DTLS. */
    String answerSdp(String offerText, String ufrag, String pwd) throws Exception {
        Sdp answer = Sdp.parse(offerText);
        answer.removeAttributes("fingerprint");
        answer.removeAttributes("ice-lite");
        answer.addAttribute("fingerprint", "sha-256 " + certificate.fingerprintSha256());
        for (MediaSection m : answer.media()) {
            for (String name : List.of("ice-ufrag", "ice-pwd", "ice-options", "setup", "ssrc", "ssrc-group", "msid",
                    "candidate", "end-of-candidates")) {
                m.removeAttributes(name);
            }
            m.setDirection(m.direction().sends() ? Direction.RECVONLY : Direction.INACTIVE);
            m.addAttribute("ice-ufrag", ufrag);
            m.addAttribute("ice-pwd", pwd);
            m.addAttribute("setup", "active");
        }
        return answer.write();
    }

    /** Our one host candidate, trickled to the server. */
    IceCandidate candidate() {
        return IceCandidate.host(address, 65535);
    }

    /** The server's answer: its ICE credentials and candidates, fingerprint and SSRCs; checks start. */
    void answer(String text) throws Exception {
        Sdp answer = Sdp.parse(text);
        MediaSection audio = answer.media().get(0);
        MediaSection video = answer.media().get(1);
        serverAudioSsrc = audio.mainSsrc();
        serverVideoSsrc = video.mainSsrc();
        serverVideoRtxSsrc = video.rtxSsrcFor(serverVideoSsrc);
        serverFingerprint = answer.fingerprint().value();
        ice.addLocalCandidate(candidate());
        ice.endOfLocalCandidates(sim.now);
        ice.setRemoteCredentials(answer.iceUfrag(), answer.icePwd());
        for (var c : audio.candidates()) {
            ice.addRemoteCandidate(IceCandidate.parse(c.toSdpValue()));
        }
        ice.start(sim.now);
        pump();
    }

    private void pump() {
        for (var t : ice.pollTransmit(sim.now)) {
            sim.send(t.from(), t.to(), t.data());
        }
        for (var event : ice.pollEvents()) {
            if (event instanceof IceEvent.StateChanged sc) {
                iceStates.add(sc.state());
                if ((sc.state() == IceState.CONNECTED || sc.state() == IceState.READY) && dtls == null) {
                    startDtls();
                }
            }
        }
        if (iceTimer != null) {
            iceTimer.cancel();
        }
        long deadline = ice.nextDeadlineMicros();
        if (deadline != Long.MAX_VALUE) {
            iceTimer = sim.schedule(() -> {
                ice.handleTimeout(sim.now);
                pump();
            }, Math.max(1_000, deadline - sim.now));
        }
    }

    private void startDtls() {
        var options = DtlsSession.Options.defaults().withClock(() -> sim.now).withThreads(sim.handshakeThreads());
        dtls = new DtlsSession(certificate, answerer ? DtlsRole.CLIENT : DtlsRole.SERVER, "sha-256", serverFingerprint,
                d -> sim.execute(() -> write(d)), new DtlsSession.Listener() {
                    @Override
                    public void onConnected(SrtpKeys k) {
                        keys = k;
                        sim.execute(() -> srtp = new SrtpSession(k));
                    }

                    @Override
                    public void onFailed(String reason) {
                        sim.execute(() -> dtlsFailure = reason);
                    }

                    @Override
                    public void onClosed() {
                        sim.execute(() -> dtlsFailure = "closed");
                    }
                }, 1200, options);
        dtls.start();
    }

    private void write(byte[] datagram) {
        var pair = ice.selectedPair();
        if (pair != null) {
            sim.send(pair.local().address(), pair.remote().address(), datagram);
        }
    }

    @Override
    public void received(byte[] data, int len, InetSocketAddress from, InetSocketAddress local) {
        int first = data[0] & 0xFF;
        if (first < 4) {
            if (ice.handleStun(data, 0, len, from, local, sim.now)) {
                pump();
            }
        } else if (first >= 20 && first <= 63) {
            if (dtls != null) {
                dtls.receive(data, 0, len);
            }
        } else if (srtp != null && RtpHeader.isRtcp(data, 0, len)) {
            int plain = srtp.unprotectRtcp(data, 0, len);
            if (plain <= 0) {
                undecryptable++;
            } else {
                receiveRtcp(data, plain);
            }
        } else if (srtp != null) {
            int plain = srtp.unprotectRtp(data, 0, len);
            if (plain <= 0) {
                undecryptable++;
            } else {
                receiveRtp(data, plain);
            }
        }
    }

    @Override
    public void socketError(Throwable cause) {
        throw new AssertionError("the in-memory network has no socket errors", cause);
    }

    private void receiveRtp(byte[] data, int len) {
        if (transportCcId > 0) {
            transportSequences.add(RtpExtensions.uint16(data, 0, len, transportCcId));
        }
        long ssrc = RtpHeader.ssrc(data, 0);
        if (ssrc == serverVideoRtxSsrc && serverVideoRtxSsrc != 0) {
            data = Rtx.unwrap(data, len, VP8, serverVideoSsrc);
            if (data == null) {
                return;
            }
            len = data.length;
            ssrc = serverVideoSsrc;
            retransmissionsIn++;
            retransmitted.add(RtpHeader.sequence(data, 0));
        }
        int seq = RtpHeader.sequence(data, 0);
        payloadLengths.add(RtpHeader.payloadLength(data, 0, len));
        received.computeIfAbsent(ssrc, s -> new ArrayList<>()).add(seq);
        loss.computeIfAbsent(ssrc, s -> new LossDetector()).received(seq, sim.now);
    }

    private void receiveRtcp(byte[] data, int len) {
        for (Rtcp.Block block : Rtcp.blocks(data, 0, len)) {
            int at = block.offset();
            if (block.type() == Rtcp.SR && block.length() >= 28) {
                Rtcp.ReportBlock rb = null;
                if (block.format() > 0 && block.length() >= 52) {
                    int b = at + 28;
                    long word = Rtcp.read32(data, b + 4);
                    rb = new Rtcp.ReportBlock(Rtcp.read32(data, b), (int) (word >>> 24), word & 0xFFFFFF,
                            Rtcp.read32(data, b + 8), Rtcp.read32(data, b + 12), Rtcp.read32(data, b + 16),
                            Rtcp.read32(data, b + 20));
                }
                reports.add(new ServerReport(sim.now, Rtcp.read32(data, at + 4), Rtcp.read32(data, at + 16),
                        Rtcp.read32(data, at + 20), Rtcp.read32(data, at + 24), rb));
            } else if (block.type() == Rtcp.RTPFB && block.format() == Rtcp.FMT_NACK
                    && Rtcp.mediaSsrc(data, block) == VIDEO_SSRC) {
                for (int seq : Rtcp.nackedSequences(data, block)) {
                    nacksIn++;
                    nacked.add(seq);
                    retransmit(seq);
                }
            } else if (block.type() == Rtcp.PSFB) {
                keyFrameRequestsIn++;
            }
        }
    }

    /** Answers a NACK from what we sent, as RTX (RFC 4588), as a browser does. */
    private void retransmit(int seq) {
        byte[] original = videoSent.get(seq, sim.now);
        if (original == null) {
            return;
        }
        byte[] rtx = Rtx.wrap(original, original.length, RTX, VIDEO_RTX_SSRC, rtxSequence++);
        protectAndSend(srtp.protectRtp(rtx, 0, rtx.length));
    }

    /** One audio packet: 20 ms of PCMU (160 samples at 8 kHz). */
    int sendAudio(int frame) {
        int seq = audioSeq++;
        byte[] p = rtp(0, seq, 160L * frame, AUDIO_SSRC, 160);
        protectAndSend(srtp.protectRtp(p, 0, p.length));
        return seq;
    }

    /** One video packet of a 25 fps VP8 stream (3600 ticks of 90 kHz a frame), kept for NACKs. */
    int sendVideo(int frame) {
        int seq = videoSeq++;
        byte[] p = rtp(VP8, seq, 3600L * frame, VIDEO_SSRC, 1000);
        videoSent.add(p, 0, p.length, sim.now);
        protectAndSend(srtp.protectRtp(p, 0, p.length));
        return seq;
    }

    /** NACKs what the server's video lost, as a browser's 20 ms NACK timer would. */
    void nackTick() {
        LossDetector l = loss.get(serverVideoSsrc);
        List<Integer> due = l == null ? List.of() : l.due(sim.now, 50_000);
        if (!due.isEmpty()) {
            nacksOut += due.size();
            byte[] nack = Rtcp.nack(VIDEO_SSRC, serverVideoSsrc, due);
            protectAndSend(srtp.protectRtcp(nack, 0, nack.length));
        }
    }

    /** A sender report for our audio, so the server can give LSR/DLSR back. */
    void sendAudioSenderReport(long packets) {
        long ntp = RoundTrip.ntp(SimMedia.WALL_OFFSET_MICROS + sim.now);
        ourSrNtp.add((ntp >>> 16) & 0xFFFFFFFFL);
        ourSrAt.add(sim.now);
        byte[] sr = Rtcp.report(AUDIO_SSRC, true, ntp >>> 32, ntp & 0xFFFFFFFFL, 0, packets, packets * 160, null, "browser");
        protectAndSend(srtp.protectRtcp(sr, 0, sr.length));
    }

    private void protectAndSend(byte[] packet) {
        if (packet != null) {
            write(packet);
        }
    }

    private static byte[] rtp(int pt, int seq, long timestamp, long ssrc, int payload) {
        byte[] p = new byte[12 + payload];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        RtpHeader.sequence(p, 0, seq);
        RtpHeader.timestamp(p, 0, timestamp);
        RtpHeader.ssrc(p, 0, ssrc);
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) (seq + i);
        }
        return p;
    }

    void close() {
        closed = true; // a closed session's inbox keeps its wake-up marker: nothing left to wait for
        if (dtls != null) {
            dtls.close();
        }
    }
}
