package io.portunus.webrtc;

import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Clock;
import io.portunus.core.LiveSettings;
import io.portunus.core.spi.MediaPacket;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.media.ice.IceAgent;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.ice.IceConfig;
import io.portunus.media.ice.IceRole;
import io.portunus.media.ice.ReflexiveGatherer;
import io.portunus.media.ice.StunPacket;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.EchoAnswer;
import io.portunus.media.sdp.Sdp;
import io.portunus.net.EventLoops;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real PeerConnection on 127.0.0.1 (sockets, event loop, ICE agent): srflx gathering against
 * a STUN server the test runs on loopback (and one that never answers), and an ICE restart and
 * a plain renegotiation against a peer ICE agent on its own loopback socket.
 */
class PeerConnectionIceTest {
    static EventLoops loops;
    static DtlsCertificate certificate;
    static String chromiumOffer;
    final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        loops = new EventLoops(1);
        certificate = DtlsCertificate.generate();
        try (InputStream in = PeerConnectionIceTest.class.getResourceAsStream("/sdp/chromium-offer.sdp")) {
            chromiumOffer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void tearDown() {
        loops.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    static MediaEngine engine(String nat) throws Exception {
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseString(
                "nat: { ice_enforce_list = \"127.0.0.1\" " + nat + " }\n", "test")).build();
        return new MediaEngine(settings, new LiveSettings(settings.media), loops, CompletableFuture.completedFuture(certificate));
    }

    /** Chromium's EchoTest offer with other ICE credentials. */
    static Sdp offer(String ufrag, String pwd) throws Exception {
        return Sdp.parse(chromiumOffer.replace("a=ice-ufrag:/uNR", "a=ice-ufrag:" + ufrag)
                .replace("a=ice-pwd:ij9Cl5srgALGdXXthmIjxcYj", "a=ice-pwd:" + pwd));
    }

    /** What the PeerConnection told its owner. */
    static final class Recorder implements PeerConnection.Listener {
        final List<InetSocketAddress> selectedRemotes = new CopyOnWriteArrayList<>();
        final List<String> dtlsStates = new CopyOnWriteArrayList<>();
        final List<String> hangups = new CopyOnWriteArrayList<>();

        @Override public void onWebrtcUp() { }
        @Override public void onRtp(MediaPacket packet) { }
        @Override public void onRtcp(MediaPacket packet) { }
        @Override public void onMediaState(String mid, boolean video, boolean receiving, Integer seconds) { }
        @Override public void onHangup(String reason) { hangups.add(reason); }
        @Override public void onDtlsState(String state, long retransmissions) { dtlsStates.add(state); }
        @Override public void onSelectedPair(IceCandidate local, IceCandidate remote) { selectedRemotes.add(remote.address()); }
    }

    /** A STUN server on 127.0.0.1 that says every request came from 127.0.0.2 (same port), or says nothing. */
    final class TinyStunServer implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final AtomicInteger requests = new AtomicInteger();

        TinyStunServer(boolean answers) throws Exception {
            cleanup.add(this);
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[1500];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        StunPacket request = StunPacket.parse(buf, 0, p.getLength());
                        if (request == null || request.type() != StunPacket.BINDING_REQUEST) {
                            continue;
                        }
                        requests.incrementAndGet();
                        if (answers) {
                            var mapped = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), p.getPort());
                            byte[] r = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, request.transactionId())
                                    .xorMappedAddress(mapped).build(null, true);
                            socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    PeerConnection open(MediaEngine engine, Sdp offer, Recorder recorder) throws Exception {
        PeerConnection pc = PeerConnections.fromOffer(engine, offer, recorder);
        cleanup.add(() -> pc.close("test over"));
        return pc;
    }

    @Test
    void srflxCandidateFromTheStunServerIsInTheAnswerWithItsHostAsBase() throws Exception {
        TinyStunServer stun = new TinyStunServer(true);
        MediaEngine engine = engine("stun_server = \"127.0.0.1\" stun_port = " + stun.socket.getLocalPort());
        Sdp offer = offer("peerA", "peer-password-generation-1");
        PeerConnection pc = open(engine, offer, new Recorder());

        List<IceCandidate> local = pc.localCandidates();
        assertThat(local).extracting(IceCandidate::type).containsExactly("host", "srflx");
        IceCandidate host = local.get(0);
        IceCandidate srflx = local.get(1);
        assertThat(host.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(srflx.address()).isEqualTo(new InetSocketAddress("127.0.0.2", host.address().getPort()));
        assertThat(srflx.related()).isEqualTo(host.address());
        assertThat(stun.requests.get()).isEqualTo(1);

        String answer = EchoAnswer.answer(offer, pc.localMedia(), AnswerOptions.defaults()).write();
        assertThat(answer).contains("a=candidate:" + host.toSdpValue(), "a=candidate:" + srflx.toSdpValue());
        assertThat(srflx.toSdpValue()).endsWith("typ srflx raddr 127.0.0.1 rport " + host.address().getPort());
        // The agent has it too (handle_info's local-candidates), added on the loop.
        waitFor(() -> pc.describe().path("ice").path("local-candidates").toString().contains("typ srflx"), 2000);
    }

    @Test
    void aSilentStunServerCostsABoundedWaitAndLeavesHostCandidatesOnly() throws Exception {
        TinyStunServer stun = new TinyStunServer(false);
        MediaEngine engine = engine("stun_server = \"127.0.0.1\" stun_port = " + stun.socket.getLocalPort());
        engine.reflexiveTiming(new ReflexiveGatherer.Timing(50_000, 3, 400_000));
        long start = System.nanoTime();
        PeerConnection pc = open(engine, offer("peerA", "peer-password-generation-1"), new Recorder());
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).as("gave up after the give-up time, not before, not much later").isBetween(390L, 2000L);
        assertThat(pc.localCandidates()).extracting(IceCandidate::type).containsExactly("host");
        waitFor(() -> stun.requests.get() == 3, 1000);
        Thread.sleep(200);
        assertThat(stun.requests.get()).as("3 requests at 0, 50, 150 ms and no more").isEqualTo(3);
    }

    @Test
    void noStunServerNoSrflx() throws Exception {
        PeerConnection pc = open(engine(""), offer("peerA", "peer-password-generation-1"), new Recorder());
        assertThat(pc.localCandidates()).extracting(IceCandidate::type).containsExactly("host");
    }

    /** The browser side: an ICE agent on its own loopback socket, driven by the test thread. */
    final class Peer implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final InetSocketAddress address = (InetSocketAddress) socket.getLocalSocketAddress();
        final IceCandidate host = IceCandidate.host(address, 65535);
        final IceAgent agent;

        Peer(String ufrag, String pwd, PeerConnection pc) throws Exception {
            cleanup.add(this);
            socket.setSoTimeout(5);
            agent = new IceAgent(IceRole.CONTROLLING, ufrag, pwd, false, 42, IceConfig.defaults());
            agent.addLocalCandidate(host);
            agent.setRemoteCredentials(pc.localUfrag(), pc.localPwd());
            pc.localCandidates().forEach(agent::addRemoteCandidate);
            agent.start(Clock.SYSTEM.monotonicMicros());
        }

        /** Runs the agent until the condition holds; false on timeout. */
        boolean runUntil(BooleanSupplier done, long timeoutMs) throws Exception {
            long end = System.currentTimeMillis() + timeoutMs;
            byte[] buf = new byte[1500];
            while (System.currentTimeMillis() < end) {
                for (var t : agent.pollTransmit(Clock.SYSTEM.monotonicMicros())) {
                    socket.send(new DatagramPacket(t.data(), t.data().length, t.to()));
                }
                if (done.getAsBoolean()) {
                    return true;
                }
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    // DTLS from the PeerConnection is not STUN: the agent hands it back, we drop it.
                    agent.handleStun(buf, 0, p.getLength(), (InetSocketAddress) p.getSocketAddress(), address,
                            Clock.SYSTEM.monotonicMicros());
                } catch (SocketTimeoutException e) {
                    // just the timer
                }
            }
            return false;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void iceRestartKeepsDtlsAndMovesToTheNewGenerationsCandidates() throws Exception {
        Recorder recorder = new Recorder();
        Sdp offer = offer("peerA", "peer-password-generation-1");
        PeerConnection pc = open(engine(""), offer, recorder);
        String firstAnswer = EchoAnswer.answer(offer, pc.localMedia(), AnswerOptions.defaults()).write();
        pc.localDescriptionSent(firstAnswer);
        Peer first = new Peer("peerA", "peer-password-generation-1", pc);
        pc.addRemoteCandidate(first.host, "candidate:" + first.host.toSdpValue());
        assertThat(first.runUntil(() -> recorder.selectedRemotes.contains(first.address)
                && first.agent.selectedPair() != null, 5000)).as("first generation connects").isTrue();
        waitFor(() -> recorder.dtlsStates.contains("trying"), 2000);
        String ufrag1 = pc.localUfrag();
        String pwd1 = pc.localPwd();

        // Same credentials: a renegotiation, nothing about ICE changes.
        assertThat(pc.remoteOffer(offer("peerA", "peer-password-generation-1"))).isFalse();
        assertThat(pc.localUfrag()).isEqualTo(ufrag1);
        assertThat(pc.localPwd()).isEqualTo(pwd1);

        // New credentials: a restart. New local credentials, same certificate and SSRCs.
        Sdp restartOffer = offer("peerB", "peer-password-generation-2");
        assertThat(pc.remoteOffer(restartOffer)).isTrue();
        assertThat(pc.localUfrag()).isNotEqualTo(ufrag1);
        assertThat(pc.localPwd()).isNotEqualTo(pwd1);
        String secondAnswer = EchoAnswer.answer(restartOffer, pc.localMedia(), AnswerOptions.defaults()).write();
        assertThat(secondAnswer).contains("a=ice-ufrag:" + pc.localUfrag()).doesNotContain("a=ice-ufrag:" + ufrag1);
        assertThat(fingerprint(secondAnswer)).isEqualTo(fingerprint(firstAnswer));
        assertThat(ssrcLines(secondAnswer)).isEqualTo(ssrcLines(firstAnswer));
        pc.localDescriptionSent(secondAnswer);

        // The browser's new generation: a new socket, its candidate trickled after the restart.
        first.close();
        Peer second = new Peer("peerB", "peer-password-generation-2", pc);
        pc.addRemoteCandidate(second.host, "candidate:" + second.host.toSdpValue());
        assertThat(second.runUntil(() -> !recorder.selectedRemotes.isEmpty()
                        && recorder.selectedRemotes.get(recorder.selectedRemotes.size() - 1).equals(second.address)
                        && second.agent.selectedPair() != null, 5000))
                .as("the PeerConnection selects the new generation's pair").isTrue();
        assertThat(pc.describe().path("ice").path("selected-pair").asText()).endsWith(
                "127.0.0.1:" + second.address.getPort() + " [host,udp]");
        assertThat(recorder.dtlsStates).as("one DTLS handshake, not a second").containsOnlyOnce("trying");
        assertThat(recorder.hangups).isEmpty();
    }

    @Test
    void aPeerStillUsingTheOldCredentialsGetsNoAnswerAfterARestart() throws Exception {
        Recorder recorder = new Recorder();
        Sdp offer = offer("peerA", "peer-password-generation-1");
        PeerConnection pc = open(engine(""), offer, recorder);
        pc.localDescriptionSent(EchoAnswer.answer(offer, pc.localMedia(), AnswerOptions.defaults()).write());
        Peer stale = new Peer("peerA", "peer-password-generation-1", pc); // knows the old credentials only
        assertThat(pc.remoteOffer(offer("peerB", "peer-password-generation-2"))).isTrue();
        assertThat(stale.runUntil(() -> stale.agent.selectedPair() != null, 1500)).isFalse();
        assertThat(recorder.selectedRemotes).isEmpty();
    }

    static String fingerprint(String sdp) {
        return sdp.lines().filter(l -> l.startsWith("a=fingerprint:")).findFirst().orElseThrow();
    }

    static List<String> ssrcLines(String sdp) {
        return sdp.lines().filter(l -> l.startsWith("a=ssrc:")).map(l -> l.split(" ")[0]).distinct().toList();
    }

    static void waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within " + timeoutMs + " ms");
            }
            Thread.sleep(10);
        }
    }
}
