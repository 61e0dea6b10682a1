package io.portunus.webrtc;

import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.LiveSettings;
import io.portunus.core.spi.MediaPacket;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.media.ice.IceState;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.EchoAnswer;
import io.portunus.media.sdp.Sdp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole call on a fake clock and an in-memory network, no sockets and no sleeping: the
 * server's real {@link PeerConnection} (ICE agent, DTLS-SRTP, RTP and RTCP parts, the NACK
 * tick) answers a browser's offer ({@link BrowserPeer}, made of the same portunus-media
 * protocol classes); an echo "plugin" sends every packet back. The network drops one packet
 * each way and delays every other one by 4 ms, and the test checks what a user would: both
 * ends connect, the DTLS-SRTP keys agree and RTP decrypts both ways, each dropped video packet
 * is NACKed, retransmitted and arrives, the dropped audio packet shows as lost, and the
 * server's sender reports carry the packets sent, the loss and the jitter in each codec's
 * clock (4 ms is 32 units of PCMU's 8 kHz and 360 of VP8's 90 kHz).
 */
class PeerConnectionScenarioTest {
    static DtlsCertificate serverCertificate;
    static DtlsCertificate browserCertificate;

    /** Dropped on the wire: browser→server audio and video, server→browser video. */
    static final int DROPPED_AUDIO = 1020;
    static final int DROPPED_UPLINK_VIDEO = 5010;
    static final int DROPPED_DOWNLINK_VIDEO = 5030;
    static final int AUDIO_FRAMES = 150; // 3 s of 20 ms
    static final int VIDEO_FRAMES = 75;  // 3 s at 25 fps

    @BeforeAll
    static void certificates() throws Exception {
        serverCertificate = DtlsCertificate.generate();
        browserCertificate = DtlsCertificate.generate();
    }

    /** The plugin's side: an echo, and what the PeerConnection said. */
    static final class EchoPlugin implements PeerConnection.Listener {
        PeerConnection pc;
        boolean webrtcUp;
        final List<String> iceStates = new ArrayList<>();
        final List<String> dtlsStates = new ArrayList<>();
        final List<String> hangups = new ArrayList<>();
        final List<Integer> audioIn = new ArrayList<>();
        final List<Integer> videoIn = new ArrayList<>();

        @Override public void onWebrtcUp() { webrtcUp = true; }
        @Override public void onRtcp(MediaPacket packet) { }
        @Override public void onMediaState(String mid, boolean video, boolean receiving, Integer seconds) { }
        @Override public void onHangup(String reason) { hangups.add(reason); }
        @Override public void onIceState(String state) { iceStates.add(state); }
        @Override public void onDtlsState(String state, long retransmissions) { dtlsStates.add(state); }

        @Override
        public void onRtp(MediaPacket packet) {
            (packet.video() ? videoIn : audioIn).add(RtpHeader.sequence(packet.buffer(), packet.offset()));
            pc.sendRtp(packet);
        }
    }

    /** The figures a run ends with, compared between two runs for determinism. */
    record Outcome(long connectedAfterMicros, List<BrowserPeer.ServerReport> reports, List<Integer> nacked,
                   long srtpDatagrams) {
    }

    @Test
    void offerAnswerIceDtlsMediaBothWaysNackRepairAndReportsOnAFakeClock() throws Exception {
        Outcome first = call();
        Outcome second = call();
        // The same call twice gives the same figures at the same fake times: nothing depends on
        // the machine's speed or the DTLS thread's timing.
        assertThat(second).isEqualTo(first);
    }

    private Outcome call() throws Exception {
        SimMedia sim = new SimMedia();
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseString(
                "nat: { ice_enforce_list = \"127.0.0.1\" }\n", "test")).build();
        // No I/O threads: the PeerConnection gets the simulation's loop, clock and network.
        MediaEngine engine = new MediaEngine(settings, new LiveSettings(settings.media), null,
                CompletableFuture.completedFuture(serverCertificate));
        BrowserPeer browser = new BrowserPeer(sim, browserCertificate);
        EchoPlugin plugin = new EchoPlugin();

        // ---- offer/answer, trickle --------------------------------------------------------
        Sdp offer = Sdp.parse(browser.offer());
        PeerConnection pc = PeerConnections.fromOffer(engine, sim.io(), offer, plugin);
        plugin.pc = pc;
        sim.handshakeInbox(() -> pc.isClosed() || pc.dtlsQueuedDatagrams() == 0);
        String answer = EchoAnswer.answer(offer, pc.localMedia(), AnswerOptions.defaults()).write();
        pc.localDescriptionSent(answer);
        pc.addRemoteCandidate(browser.candidate(), browser.candidate().toSdpValue());
        pc.endOfRemoteCandidates();
        browser.answer(answer);
        var server = pc.localCandidates().get(0).address();

        // ---- ICE and DTLS -----------------------------------------------------------------
        long start = sim.now;
        boolean up = sim.runUntil(start + 5_000_000, () -> plugin.webrtcUp && browser.srtp != null);
        assertThat(up).as("both ends connected within 5 s of fake time").isTrue();
        long connectedAfter = sim.now - start;
        assertThat(plugin.iceStates).contains("connecting", "connected");
        assertThat(browser.iceStates).contains(IceState.CONNECTED);
        assertThat(plugin.dtlsStates).containsExactly("trying", "connected");
        assertThat(browser.dtlsFailure).isNull();
        assertThat(pc.phase()).isEqualTo("connected");
        // The keys each end derived from the handshake are the same, seen from either side.
        assertThat(pc.srtpKeys()).isNotNull();
        assertThat(browser.keys).isEqualTo(pc.srtpKeys().mirrored());
        assertThat(pc.describe().at("/dtls/remote-fingerprint").asText())
                .isEqualTo(browserCertificate.fingerprintSha256());

        // ---- media both ways for 3 s, one loss each way, jitter on the uplink ---------------
        sim.drop = d -> d.isRtp() && ((d.ssrc() == BrowserPeer.AUDIO_SSRC && d.sequence() == DROPPED_AUDIO)
                || (d.ssrc() == BrowserPeer.VIDEO_SSRC && d.sequence() == DROPPED_UPLINK_VIDEO)
                || (d.ssrc() == browser.serverVideoSsrc && d.sequence() == DROPPED_DOWNLINK_VIDEO));
        sim.extraDelay = d -> d.isRtp() && (d.ssrc() == BrowserPeer.AUDIO_SSRC || d.ssrc() == BrowserPeer.VIDEO_SSRC)
                && d.sequence() % 2 == 1 ? 4_000 : 0;
        long mediaStart = sim.now;
        for (int i = 0; i < AUDIO_FRAMES; i++) {
            int frame = i;
            sim.schedule(() -> browser.sendAudio(frame), 20_000L * i);
        }
        for (int i = 0; i < VIDEO_FRAMES; i++) {
            int frame = i;
            sim.schedule(() -> browser.sendVideo(frame), 40_000L * i);
        }
        for (long t = 20_000; t < 4_500_000; t += 20_000) {
            sim.schedule(browser::nackTick, t);
        }
        for (int s = 0; s < 3; s++) {
            long packets = 25L + 50L * s;
            sim.schedule(() -> browser.sendAudioSenderReport(packets), 500_000 + 1_000_000L * s);
        }
        sim.runUntil(mediaStart + 4_500_000, () -> false);

        // RTP decrypts both ways: every packet the server got was the browser's, and back.
        assertThat(browser.undecryptable).isZero();
        List<Integer> sentAudio = IntStream.range(1000, 1000 + AUDIO_FRAMES).boxed().toList();
        List<Integer> sentVideo = IntStream.range(5000, 5000 + VIDEO_FRAMES).boxed().toList();
        List<Integer> audioBut1020 = sentAudio.stream().filter(s -> s != DROPPED_AUDIO).toList();
        assertThat(plugin.audioIn).containsExactlyElementsOf(audioBut1020);
        assertThat(browser.received.get(browser.serverAudioSsrc)).containsExactlyElementsOf(audioBut1020);

        // The uplink video loss: the server NACKed it, the browser resent it as RTX, it reached
        // the plugin (late, once) and so came back too.
        MediaStream video = pc.streams().byMid("1");
        assertThat(browser.nacked).contains(DROPPED_UPLINK_VIDEO);
        assertThat(video.nacksOut).isGreaterThanOrEqualTo(1);
        assertThat(video.retransmissionsIn).isEqualTo(1);
        assertThat(plugin.videoIn).containsExactlyInAnyOrderElementsOf(sentVideo);
        assertThat(video.loss.lostCount()).isZero();
        // The downlink video loss: the browser NACKed it, the server resent it from its
        // retransmission buffer as RTX on its RTX SSRC, and it arrived.
        assertThat(browser.nacksOut).isGreaterThanOrEqualTo(1);
        assertThat(video.nacksIn).isGreaterThanOrEqualTo(1);
        assertThat(video.retransmissionsOut).isGreaterThanOrEqualTo(1);
        assertThat(browser.retransmitted).contains(DROPPED_DOWNLINK_VIDEO);
        // Every video packet came back; some twice: the uplink repair made the echo of 5010
        // late, so the browser NACKed it too, as a browser would.
        assertThat(browser.received.get(browser.serverVideoSsrc).stream().distinct().sorted().toList())
                .isEqualTo(sentVideo);
        assertThat(browser.loss.get(browser.serverVideoSsrc).lostCount()).isZero();
        assertThat(pc.describe().at("/portunus-errors").toString()).doesNotContain(":1", ":2");

        // ---- the server's sender reports ----------------------------------------------------
        List<BrowserPeer.ServerReport> audioReports = browser.reports.stream()
                .filter(r -> r.ssrc() == browser.serverAudioSsrc).toList();
        List<BrowserPeer.ServerReport> videoReports = browser.reports.stream()
                .filter(r -> r.ssrc() == browser.serverVideoSsrc).toList();
        assertThat(audioReports).as("one a second while media flows").hasSizeBetween(4, 5);
        assertThat(videoReports).hasSizeBetween(4, 5);
        checkSenderReports(sim, server, browser.serverAudioSsrc, audioReports, 8_000);
        checkSenderReports(sim, server, browser.serverVideoSsrc, videoReports, 90_000);

        BrowserPeer.ServerReport lastAudio = audioReports.get(audioReports.size() - 1);
        Rtcp.ReportBlock audioBlock = lastAudio.block();
        assertThat(audioBlock.ssrc()).isEqualTo(BrowserPeer.AUDIO_SSRC);
        assertThat(audioBlock.cumulativeLost()).as("the dropped audio packet, never repaired").isEqualTo(1);
        assertThat(audioBlock.extendedHighestSeq()).isEqualTo(1000 + AUDIO_FRAMES - 1);
        assertThat(audioBlock.jitter()).as("4 ms in PCMU's 8 kHz clock is 32").isBetween(28L, 36L);
        assertThat(audioReports.stream().map(BrowserPeer.ServerReport::block)
                .filter(b -> b != null && b.fractionLost() > 0).count())
                .as("one report's interval held the loss").isEqualTo(1);
        // LSR/DLSR: the server echoes our last sender report's time and how long it held it
        // (1/65536 s): from its arrival to the report's departure, each 10 ms from the browser.
        int lsr = browser.ourSrNtp.indexOf(audioBlock.lastSr());
        assertThat(lsr).as("LSR is one of our SRs").isNotNegative();
        long held = (lastAudio.at() - sim.latencyMicros) - (browser.ourSrAt.get(lsr) + sim.latencyMicros);
        assertThat(audioBlock.delaySinceLastSr()).isEqualTo(held * 65_536 / 1_000_000);

        Rtcp.ReportBlock videoBlock = videoReports.get(videoReports.size() - 1).block();
        assertThat(videoBlock.ssrc()).isEqualTo(BrowserPeer.VIDEO_SSRC);
        assertThat(videoBlock.cumulativeLost()).as("repaired by the retransmission").isZero();
        assertThat(videoBlock.extendedHighestSeq()).isEqualTo(5000 + VIDEO_FRAMES - 1);
        assertThat(videoBlock.jitter()).as("4 ms in VP8's 90 kHz clock is 360").isBetween(320L, 400L);

        // Counted before the close: the DTLS alerts a close sends come from the handshake thread
        // whenever it runs. STUN and DTLS are not compared either: the server seeds its ICE agent
        // (consent checks every 4-6 s, RFC 7675) from SecureRandom, and ECDSA signatures vary in length.
        long srtpDatagrams = sim.sent.stream().filter(d -> (d.data()[0] & 0xFF) >= 128).count();
        pc.close("test over");
        browser.close();
        sim.advance(100_000);
        assertThat(plugin.hangups).containsExactly("test over");
        // The server's SSRCs are random: the runs are compared with them named 1 (audio) and 2 (video).
        List<BrowserPeer.ServerReport> named = browser.reports.stream()
                .map(r -> new BrowserPeer.ServerReport(r.at(), r.ssrc() == browser.serverAudioSsrc ? 1 : 2,
                        r.rtpTimestamp(), r.packets(), r.octets(), r.block()))
                .toList();
        return new Outcome(connectedAfter, named, browser.nacked, srtpDatagrams);
    }

    /**
     * The k-th sender report the browser decrypted on an SSRC is the k-th SR datagram the server
     * sent on it (SRTCP leaves the first 8 bytes in the clear): its packet count is the RTP the
     * server had sent on that SSRC before it, and its RTP time is the last packet's moved on by
     * the time since, in the codec's clock (RFC 3550 §6.4.1), also once the stream went quiet.
     */
    private static void checkSenderReports(SimMedia sim, InetSocketAddress server, long ssrc,
                                           List<BrowserPeer.ServerReport> reports, long clockRate) {
        int packets = 0;
        long lastTimestamp = -1;
        long lastSentAt = 0;
        int k = 0;
        for (SimMedia.Datagram d : sim.sent) {
            if (!d.from().equals(server) || d.ssrc() != ssrc) {
                continue;
            }
            if (d.isRtp()) {
                packets++;
                lastTimestamp = RtpHeader.timestamp(d.data(), 0);
                lastSentAt = d.at();
            } else if (d.rtcpType() == Rtcp.SR) {
                BrowserPeer.ServerReport r = reports.get(k++);
                assertThat(r.packets()).as("SR %d packet count", k).isEqualTo(packets);
                long ahead = (r.rtpTimestamp() - lastTimestamp) & 0xFFFFFFFFL;
                assertThat(ahead).as("SR %d RTP time past the last packet's, in %d Hz", k, clockRate)
                        .isEqualTo((d.at() - lastSentAt) * clockRate / 1_000_000);
            }
        }
        assertThat(k).isEqualTo(reports.size());
    }
}
