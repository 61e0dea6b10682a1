package io.portunus.media.ice;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent against hand-made STUN: a browser-like controlling peer, wrong credentials, and
 * 10k fuzzed datagrams.
 */
class IceAgentStunTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.2", 6000);
    static final InetSocketAddress P1 = new InetSocketAddress("10.0.0.9", 7000);
    static final InetSocketAddress P2 = new InetSocketAddress("10.0.0.9", 7001);
    static final String OUR_PWD = "our-password-0123456789";
    static final String PEER_PWD = "peer-password-012345678";
    static final long PEER_TIE_BREAKER = 0x7000_0000_0000_0000L;

    private long now = 0;

    static IceAgent controlledAgent() {
        IceAgent agent = new IceAgent(IceRole.CONTROLLED, "ours", OUR_PWD, false, 1, IceConfig.defaults());
        agent.addLocalCandidate(IceCandidate.host(LOCAL, 65535));
        agent.setRemoteCredentials("peer", PEER_PWD);
        agent.start(0);
        agent.pollEvents();
        return agent;
    }

    /** A check as a browser in the controlling role sends it (RFC 8445 §7.2.2). */
    static byte[] browserCheck(long priority, boolean useCandidate, String pwd, String username) {
        StunPacket.Builder b = new StunPacket.Builder(StunPacket.BINDING_REQUEST, StunPacket.newTransactionId())
                .username(username).priority(priority).iceControlling(PEER_TIE_BREAKER);
        if (useCandidate) {
            b.useCandidate();
        }
        return b.build(pwd.getBytes(StandardCharsets.UTF_8), true);
    }

    static StunPacket parse(Transmit t) {
        return StunPacket.parse(t.data(), 0, t.data().length);
    }

    /** Feeds a browser check from {@code from}, answers the agent's triggered check, returns the agent's response. */
    private StunPacket browserRound(IceAgent agent, InetSocketAddress from, long priority, boolean useCandidate) {
        byte[] check = browserCheck(priority, useCandidate, OUR_PWD, "ours:peer");
        assertThat(agent.handleStun(check, 0, check.length, from, LOCAL, now)).isTrue();
        StunPacket response = null;
        for (int round = 0; round < 5; round++) {
            now += 50_000;
            for (Transmit t : agent.pollTransmit(now)) {
                StunPacket s = parse(t);
                if (s.type() == StunPacket.BINDING_SUCCESS) {
                    response = s;
                } else if (s.isRequest() && t.to().equals(from)) {
                    // The agent's triggered check, signed with the browser's password.
                    assertThat(s.username()).isEqualTo("peer:ours");
                    assertThat(s.integrityValid(PEER_PWD.getBytes(StandardCharsets.UTF_8))).isTrue();
                    assertThat(s.iceControlled()).isEqualTo(1L);
                    byte[] ok = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, s.transactionId())
                            .xorMappedAddress(t.from()).build(PEER_PWD.getBytes(StandardCharsets.UTF_8), true);
                    agent.handleStun(ok, 0, ok.length, from, LOCAL, now);
                }
            }
        }
        return response;
    }

    @Test
    void answersBrowserChecksLearnsPrflxAndFollowsRenomination() {
        IceAgent agent = controlledAgent();
        StunPacket response = browserRound(agent, P1, 1_845_501_695L, true);
        // RFC 8445 §7.3.1.2: success with XOR-MAPPED-ADDRESS = the source, integrity with our password.
        assertThat(response).isNotNull();
        assertThat(response.mappedAddress()).isEqualTo(P1);
        assertThat(response.integrityValid(OUR_PWD.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(response.fingerprintValid()).isTrue();
        assertThat(agent.state()).isEqualTo(IceState.READY);
        assertThat(agent.selectedPair().remote().address()).isEqualTo(P1);
        assertThat(agent.selectedPair().remote().type()).isEqualTo("prflx");
        assertThat(agent.selectedPair().remote().priority()).isEqualTo(1_845_501_695L);
        assertThat(agent.pollEvents()).anySatisfy(e -> assertThat(e).isInstanceOf(IceEvent.RemoteCandidate.class));

        // Aggressive nomination: a lower-priority pair flagged right after does not steal it.
        browserRound(agent, P2, 1_000_000_000L, true);
        assertThat(agent.selectedPair().remote().address()).isEqualTo(P1);

        // Later the browser re-nominates P2 (P1 broke): the selection follows.
        now += 5_000_000;
        browserRound(agent, P2, 1_000_000_000L, true);
        assertThat(agent.selectedPair().remote().address()).isEqualTo(P2);
        assertThat(agent.pollEvents()).contains(new IceEvent.SelectedPair(agent.selectedPair().local(), agent.selectedPair().remote()));
        assertThat(agent.describe().get("selected-pair").asText())
                .isEqualTo("10.0.0.2:6000 [host,udp] <-> 10.0.0.9:7001 [prflx,udp]");

        // A higher-priority nomination always wins (RFC 8445 §8.1.1).
        now += 100_000;
        browserRound(agent, P1, 1_845_501_695L, true);
        assertThat(agent.selectedPair().remote().address()).isEqualTo(P1);
        assertThat(agent.internalErrors).isZero();
    }

    @Test
    void checkWithWrongPasswordIsRejectedWith401AndChangesNothing() {
        IceAgent agent = controlledAgent();
        byte[] bad = browserCheck(1_845_501_695L, true, "not-our-password-xxxxx", "ours:peer");
        assertThat(agent.handleStun(bad, 0, bad.length, P1, LOCAL, 10)).isTrue();
        List<Transmit> out = agent.pollTransmit(10);
        assertThat(out).hasSize(1);
        assertThat(parse(out.get(0)).type()).isEqualTo(StunPacket.BINDING_ERROR);
        assertThat(parse(out.get(0)).errorCode()).isEqualTo(401);
        assertThat(agent.remoteCandidates()).isEmpty();
        assertThat(agent.pairs()).isEmpty();
        assertThat(agent.pollEvents()).isEmpty();
        assertThat(agent.state()).isEqualTo(IceState.CONNECTING);

        // Right password, wrong ufrag: 401 too. No USERNAME/MESSAGE-INTEGRITY: 400.
        byte[] wrongUser = browserCheck(1, true, OUR_PWD, "someoneelse:peer");
        agent.handleStun(wrongUser, 0, wrongUser.length, P1, LOCAL, 20);
        assertThat(parse(agent.pollTransmit(20).get(0)).errorCode()).isEqualTo(401);
        byte[] bare = new StunPacket.Builder(StunPacket.BINDING_REQUEST, StunPacket.newTransactionId()).build(null, true);
        agent.handleStun(bare, 0, bare.length, P1, LOCAL, 30);
        assertThat(parse(agent.pollTransmit(30).get(0)).errorCode()).isEqualTo(400);
        assertThat(agent.pairs()).isEmpty();
        assertThat(agent.state()).isEqualTo(IceState.CONNECTING);
    }

    @Test
    void roleConflictAnswered487WhenWeWin() {
        IceAgent agent = new IceAgent(IceRole.CONTROLLING, "ours", OUR_PWD, false, -1L /* max unsigned */, IceConfig.defaults());
        agent.addLocalCandidate(IceCandidate.host(LOCAL, 65535));
        byte[] check = browserCheck(1, false, OUR_PWD, "ours:peer");
        agent.handleStun(check, 0, check.length, P1, LOCAL, 0);
        StunPacket answer = parse(agent.pollTransmit(0).get(0));
        assertThat(answer.errorCode()).isEqualTo(487);
        assertThat(answer.integrityValid(OUR_PWD.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(agent.role()).isEqualTo(IceRole.CONTROLLING);
    }

    @Test
    void tenThousandFuzzedDatagramsNeverThrowNorChangeState() {
        IceAgentTest.Peers p = IceAgentTest.connected(42);
        IceAgent a = p.a;
        // Real traffic to mutate: checks and responses both ways.
        p.net.runUntil(p.net.now + 12 * IceAgentTest.SECOND, () -> false);
        List<byte[]> corpus = new ArrayList<>();
        p.net.sent.forEach(t -> corpus.add(t.data()));
        corpus.add(StunPacketTest.REQUEST);
        corpus.add(StunPacketTest.RESPONSE_V6);
        a.pollEvents();
        IceState state = a.state();
        IcePair selected = a.selectedPair();
        List<IceCandidate> remotes = a.remoteCandidates();
        int pairCount = a.pairs().size();
        IceRole role = a.role();
        long t = p.net.now;
        Random r = new Random(0xF0221);
        InetSocketAddress[] froms = {IceAgentTest.B6, IceAgentTest.B4, new InetSocketAddress("192.0.2.77", 1234),
                new InetSocketAddress("2001:db8::77", 1234)};
        InetSocketAddress[] locals = {IceAgentTest.A6, IceAgentTest.A4};
        for (int i = 0; i < 10_000; i++) {
            byte[] m;
            int kind = r.nextInt(4);
            if (kind == 0) {
                m = new byte[r.nextInt(200)];
                r.nextBytes(m);
                if (m.length > 0) {
                    m[0] &= 0x03; // looks like STUN to RFC 7983 demultiplexing
                }
            } else {
                byte[] seed = corpus.get(r.nextInt(corpus.size()));
                m = seed.clone();
                if (kind == 1) {
                    m = Arrays.copyOf(m, Math.max(0, m.length + (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(12))));
                }
                int flips = 1 + r.nextInt(3);
                for (int k = 0; k < flips && m.length > 0; k++) {
                    m[r.nextInt(m.length)] ^= (byte) (1 + r.nextInt(255)); // always a real change
                }
            }
            t += r.nextInt(3);
            a.handleStun(m, 0, m.length, froms[r.nextInt(froms.length)], locals[r.nextInt(locals.length)], t);
            if (i % 100 == 0) {
                a.pollTransmit(t); // 400/401 answers are fine; state changes are not
            }
        }
        assertThat(a.internalErrors).isZero();
        assertThat(a.state()).isEqualTo(state);
        assertThat(a.selectedPair()).isSameAs(selected);
        assertThat(a.remoteCandidates()).isEqualTo(remotes);
        assertThat(a.pairs()).hasSize(pairCount);
        assertThat(a.role()).isEqualTo(role);
        assertThat(a.pollEvents()).isEmpty();
        // And it still works afterwards.
        p.net.now = t;
        assertThat(p.net.runUntil(t + 40 * IceAgentTest.SECOND, () -> a.state() != IceState.READY)).isFalse();
    }

    @Test
    void nonStunIsNotConsumed() {
        IceAgent agent = controlledAgent();
        byte[] dtls = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] rtp = new byte[40];
        rtp[0] = (byte) 0x80;
        assertThat(agent.handleStun(dtls, 0, dtls.length, P1, LOCAL, 1)).isFalse();
        assertThat(agent.handleStun(rtp, 0, rtp.length, P1, LOCAL, 1)).isFalse();
        assertThat(agent.handleStun(new byte[0], 0, 0, P1, LOCAL, 1)).isFalse();
        assertThat(agent.handleStun(null, 0, 10, P1, LOCAL, 1)).isFalse();
    }
}
