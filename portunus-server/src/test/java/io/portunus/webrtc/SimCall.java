package io.portunus.webrtc;

import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.LiveSettings;
import io.portunus.core.spi.MediaPacket;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.EchoAnswer;
import io.portunus.media.sdp.Sdp;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A connected EchoTest-like call on {@link SimMedia}: the server's real PeerConnection, whose
 * listener sends every packet back as the EchoTest plugin does, and a {@link BrowserPeer},
 * through offer/answer, ICE and the DTLS handshake. For the JMH relay-path benchmark, which
 * then feeds the PeerConnection packets the browser protected.
 */
public final class SimCall {
    final SimMedia sim = new SimMedia();
    final BrowserPeer browser;
    final PeerConnection pc;
    final InetSocketAddress serverAddress;

    /** Echoes RTP as the EchoTest plugin does (on the PeerConnection's thread, same buffer). */
    private static final class Echo implements PeerConnection.Listener {
        PeerConnection pc;
        boolean up;

        @Override public void onWebrtcUp() { up = true; }
        @Override public void onRtp(MediaPacket packet) { pc.sendRtp(packet); }
        @Override public void onRtcp(MediaPacket packet) { }
        @Override public void onMediaState(String mid, boolean video, boolean receiving, Integer seconds) { }
        @Override public void onHangup(String reason) { }
    }

    /** @param srtpProfile the one SRTP profile the server offers (media.srtp_profiles), e.g. AES128_CM_SHA1_80 */
    public SimCall(DtlsCertificate serverCertificate, DtlsCertificate browserCertificate, String srtpProfile)
            throws Exception {
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseString(
                "nat: { ice_enforce_list = \"127.0.0.1\" }\nmedia: { srtp_profiles = \"" + srtpProfile + "\" }\n",
                "sim")).build();
        MediaEngine engine = new MediaEngine(settings, new LiveSettings(settings.media), null,
                CompletableFuture.completedFuture(serverCertificate));
        browser = new BrowserPeer(sim, browserCertificate);
        Echo echo = new Echo();
        Sdp offer = Sdp.parse(browser.offer());
        pc = PeerConnections.fromOffer(engine, sim.io(), offer, echo);
        echo.pc = pc;
        sim.handshakeInbox(() -> pc.isClosed() || pc.dtlsQueuedDatagrams() == 0);
        String answer = EchoAnswer.answer(offer, pc.localMedia(), AnswerOptions.defaults()).write();
        pc.localDescriptionSent(answer);
        pc.addRemoteCandidate(browser.candidate(), browser.candidate().toSdpValue());
        pc.endOfRemoteCandidates();
        browser.answer(answer);
        serverAddress = pc.localCandidates().get(0).address();
        if (!sim.runUntil(sim.now + 5_000_000, () -> echo.up && browser.srtp != null)) {
            throw new IllegalStateException("the simulated call did not connect");
        }
    }

    /** A video packet as the browser sends it: VP8 payload of {@code payload} bytes, SRTP-protected. */
    public byte[] browserVideoPacket(int seq, int payload) {
        byte[] p = new byte[12 + payload];
        p[0] = (byte) 0x80;
        p[1] = (byte) BrowserPeer.VP8;
        RtpHeader.sequence(p, 0, seq);
        RtpHeader.timestamp(p, 0, 3600L * seq);
        RtpHeader.ssrc(p, 0, BrowserPeer.VIDEO_SSRC);
        return browser.srtp.protectRtp(p, 0, p.length);
    }

    /** From now on the server's sends are counted only: the relay path without a network. */
    public void discardSends() {
        sim.discard = true;
    }

    /** A datagram arriving at the server's socket, {@code micros} after the last. */
    public void deliverToServer(byte[] datagram, long micros) {
        sim.now += micros;
        pc.received(datagram, datagram.length, browser.address, serverAddress);
    }

    public long serverSends() {
        return sim.discarded;
    }

    /** The SRTP profile the handshake settled on. */
    public String srtpProfile() {
        return pc.srtpKeys().profile().name();
    }

    public void close() {
        pc.close("benchmark over");
        browser.close();
    }
}
