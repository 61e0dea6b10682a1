package io.portunus.media.ice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two agents through {@link SimNetwork} on a fake clock: connect, loss, trickle, consent, roles. */
class IceAgentTest {
    static final InetSocketAddress A4 = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress A6 = new InetSocketAddress("fd00::1", 5000);
    static final InetSocketAddress B4 = new InetSocketAddress("10.0.0.2", 6000);
    static final InetSocketAddress B6 = new InetSocketAddress("fd00::2", 6000);
    static final String A_PWD = "a-password-0123456789ab";
    static final String B_PWD = "b-password-0123456789ab";
    static final long SECOND = 1_000_000;

    /** Two agents on the simulated network, each with an IPv6 and an IPv4 host candidate. */
    static final class Peers {
        final SimNetwork net;
        final IceAgent a;
        final IceAgent b;
        final List<IceCandidate> aCandidates;
        final List<IceCandidate> bCandidates;

        Peers(long seed, IceRole aRole, IceRole bRole, long aTieBreaker, long bTieBreaker, boolean bLite) {
            net = new SimNetwork(seed);
            a = new IceAgent(aRole, "aufr", A_PWD, false, aTieBreaker, IceConfig.defaults());
            b = new IceAgent(bRole, "bufr", B_PWD, bLite, bTieBreaker, IceConfig.defaults());
            // RFC 8421 interleaving: IPv6 first, so the IPv6 pair has the highest priority.
            aCandidates = List.of(IceCandidate.host(A6, 65535), IceCandidate.host(A4, 65534));
            bCandidates = List.of(IceCandidate.host(B6, 65535), IceCandidate.host(B4, 65534));
            aCandidates.forEach(a::addLocalCandidate);
            bCandidates.forEach(b::addLocalCandidate);
            net.add(a, A4, A6);
            net.add(b, B4, B6);
        }

        Peers credentials() {
            a.setRemoteCredentials("bufr", B_PWD);
            b.setRemoteCredentials("aufr", A_PWD);
            return this;
        }

        Peers candidates() {
            bCandidates.forEach(a::addRemoteCandidate);
            aCandidates.forEach(b::addRemoteCandidate);
            a.endOfRemoteCandidates();
            b.endOfRemoteCandidates();
            return this;
        }

        Peers start() {
            a.start(net.now);
            b.start(net.now);
            return this;
        }

        boolean bothReady(long until) {
            return net.runUntil(until, () -> a.state() == IceState.READY && b.state() == IceState.READY);
        }
    }

    static Peers connected(long seed) {
        Peers p = new Peers(seed, IceRole.CONTROLLING, IceRole.CONTROLLED, 2, 1, false).credentials().candidates().start();
        assertThat(p.bothReady(5 * SECOND)).isTrue();
        return p;
    }

    @Test
    void controllingAndControlledReachReadyOnTheBestPair() {
        Peers p = connected(1);
        assertThat(p.net.now).isLessThan(SECOND);
        // The IPv6 pair has the highest priority and is nominated.
        assertThat(p.a.selectedPair().local().address()).isEqualTo(A6);
        assertThat(p.a.selectedPair().remote().address()).isEqualTo(B6);
        assertThat(p.b.selectedPair().local().address()).isEqualTo(B6);
        assertThat(p.b.selectedPair().remote().address()).isEqualTo(A6);
        assertThat(p.a.selectedPair().isNominated()).isTrue();
        assertThat(p.net.states(p.a)).containsSubsequence(IceState.GATHERING, IceState.CONNECTING, IceState.READY)
                .doesNotContain(IceState.FAILED);
        // Janus's order without gaps: "connected" always comes between "connecting" and "ready".
        assertThat(p.net.states(p.b)).containsSubsequence(IceState.GATHERING, IceState.CONNECTING, IceState.CONNECTED,
                        IceState.READY)
                .doesNotContain(IceState.FAILED);
        assertThat(p.net.events.get(p.b)).anySatisfy(e -> assertThat(e).isInstanceOf(IceEvent.SelectedPair.class));

        ObjectNode d = p.a.describe();
        assertThat(d.get("state").asText()).isEqualTo("ready");
        assertThat(d.get("selected-pair").asText()).isEqualTo("fd00::1:5000 [host,udp] <-> fd00::2:6000 [host,udp]");
        assertThat(d.get("component_id").asInt()).isEqualTo(1);
        assertThat(d.get("ready").asInt()).as("Janus 1.1.2 shows -1 once connected").isEqualTo(-1);
        assertThat(d.has("connected")).isTrue();
        assertThat(d.get("gathered").asLong()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(d.get("connected").asLong());
        assertThat(d.get("local-candidates")).hasSize(2);
        assertThat(d.get("remote-candidates").get(0).asText()).startsWith("candidate:");

        // Consent keeps it up: a minute later still READY, with a consent check every 4-6 s.
        int before = p.net.sent.size();
        assertThat(p.net.runUntil(p.net.now + 60 * SECOND, () -> p.a.state() != IceState.READY)).isFalse();
        long requests = p.net.sent.subList(before, p.net.sent.size()).stream()
                .filter(t -> t.from().equals(A6) && StunPacket.parse(t.data(), 0, t.data().length).isRequest())
                .count();
        assertThat(requests).isBetween(9L, 16L);
        assertThat(p.a.internalErrors + p.b.internalErrors).isZero();
    }

    @Test
    void connectsWithThirtyPercentLoss() {
        for (long seed = 1; seed <= 8; seed++) {
            Peers p = new Peers(seed, IceRole.CONTROLLING, IceRole.CONTROLLED, 2, 1, false).credentials().candidates();
            p.net.loss = 0.3;
            p.start();
            assertThat(p.bothReady(10 * SECOND)).as("seed %d", seed).isTrue();
            assertThat(p.a.selectedPair().remote().address()).isEqualTo(p.b.selectedPair().local().address());
            // ... and consent survives the lossy path.
            assertThat(p.net.runUntil(p.net.now + 45 * SECOND, () -> p.a.state() != IceState.READY)).as("seed %d", seed)
                    .isFalse();
        }
    }

    @Test
    void trickleAfterStart() {
        Peers p = new Peers(3, IceRole.CONTROLLING, IceRole.CONTROLLED, 2, 1, false).credentials().start();
        assertThat(p.net.runUntil(300_000, () -> false)).isFalse();
        assertThat(p.a.state()).isEqualTo(IceState.CONNECTING);
        // Only A learns B's IPv4 candidate; B learns A as peer-reflexive from A's checks.
        p.a.addRemoteCandidate("a=candidate:" + p.bCandidates.get(1).toSdpValue());
        assertThat(p.bothReady(2 * SECOND)).isTrue();
        assertThat(p.b.selectedPair().remote().type()).isEqualTo("prflx");
        assertThat(p.b.selectedPair().remote().address()).isEqualTo(A4);
        // The signalled candidate arriving later replaces the peer-reflexive one in place.
        p.b.addRemoteCandidate(p.aCandidates.get(1));
        assertThat(p.b.selectedPair().remote().type()).isEqualTo("host");
        // More candidates trickle in: the IPv6 pair is checked too, nothing breaks.
        p.a.addRemoteCandidate(p.bCandidates.get(0));
        p.b.addRemoteCandidate(p.aCandidates.get(0));
        assertThat(p.net.runUntil(p.net.now + 3 * SECOND, () -> p.a.state() != IceState.READY)).isFalse();
        assertThat(p.b.describe().get("remote-candidates")).hasSize(2);
    }

    @Test
    void silentPeerLosesConsentAndFailsWithinThirtySeconds() {
        Peers p = connected(4);
        long silentFrom = p.net.now;
        p.net.blackhole = t -> p.net.owners.get(t.from()) == p.b;
        assertThat(p.net.runUntil(silentFrom + 40 * SECOND, () -> p.a.state() == IceState.FAILED)).isTrue();
        assertThat(p.net.now - silentFrom).isBetween(24 * SECOND, 31 * SECOND);
        assertThat(p.net.events.get(p.a)).anySatisfy(e -> assertThat(e).isInstanceOf(IceEvent.ConsentLost.class));
        assertThat(p.a.describe().get("state").asText()).isEqualTo("failed");
        assertThat(p.a.describe().has("failed-detected")).isTrue();
        // RFC 7675: after consent is lost nothing more is sent to that peer.
        int before = p.net.sent.size();
        p.net.runUntil(p.net.now + 20 * SECOND, () -> false);
        assertThat(p.net.sent.subList(before, p.net.sent.size())).noneMatch(t -> t.from().equals(A6) || t.from().equals(A4));
        assertThat(p.a.nextDeadlineMicros()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void roleConflictBothControlling() {
        Peers p = new Peers(5, IceRole.CONTROLLING, IceRole.CONTROLLING, 5, 9, false).credentials().candidates().start();
        assertThat(p.bothReady(5 * SECOND)).isTrue();
        assertThat(p.a.role()).isEqualTo(IceRole.CONTROLLED); // smaller tie-breaker yields
        assertThat(p.b.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(p.net.events.get(p.a)).contains(new IceEvent.RoleChanged(IceRole.CONTROLLED));
        assertThat(p.a.selectedPair().remote().address()).isEqualTo(p.b.selectedPair().local().address());
        assertThat(p.b.selectedPair().remote().address()).isEqualTo(p.a.selectedPair().local().address());
    }

    @Test
    void roleConflictBothControlled() {
        Peers p = new Peers(6, IceRole.CONTROLLED, IceRole.CONTROLLED, 5, 9, false).credentials().candidates().start();
        assertThat(p.bothReady(5 * SECOND)).isTrue();
        assertThat(p.a.role()).isEqualTo(IceRole.CONTROLLED);
        assertThat(p.b.role()).isEqualTo(IceRole.CONTROLLING); // larger tie-breaker takes control
        assertThat(p.a.selectedPair().remote().address()).isEqualTo(p.b.selectedPair().local().address());
    }

    @Test
    void liteAgentOnlyAnswers() {
        Peers p = new Peers(7, IceRole.CONTROLLING, IceRole.CONTROLLED, 2, 1, true).credentials().candidates().start();
        assertThat(p.bothReady(5 * SECOND)).isTrue();
        assertThat(p.b.isLite()).isTrue();
        assertThat(p.net.sent).filteredOn(t -> p.net.owners.get(t.from()) == p.b)
                .allSatisfy(t -> assertThat(StunPacket.parse(t.data(), 0, t.data().length).isRequest()).isFalse());
        // The controlling side's consent checks keep the lite side's consent alive too.
        assertThat(p.net.runUntil(p.net.now + 60 * SECOND, () -> p.b.state() != IceState.READY)).isFalse();
    }

    @Test
    void wrongPasswordsNeverConnectAndFailAfterTenSeconds() {
        Peers p = new Peers(8, IceRole.CONTROLLING, IceRole.CONTROLLED, 2, 1, false).candidates();
        p.a.setRemoteCredentials("bufr", "not-the-password-of-b");
        p.b.setRemoteCredentials("aufr", "not-the-password-of-a");
        p.start();
        assertThat(p.net.runUntil(20 * SECOND, () -> p.a.state() == IceState.FAILED && p.b.state() == IceState.FAILED)).isTrue();
        assertThat(p.a.describe().get("failed-detected").asLong()).isEqualTo(10 * SECOND);
        assertThat(p.net.states(p.a)).doesNotContain(IceState.CONNECTED, IceState.READY);
        assertThat(p.net.states(p.b)).doesNotContain(IceState.CONNECTED, IceState.READY);
        assertThat(p.a.selectedPair()).isNull();
        assertThat(p.b.remoteCandidates()).extracting(IceCandidate::type).containsOnly("host"); // no prflx learnt
    }

    @Test
    void withoutEndOfCandidatesTheHardTimerApplies() {
        Peers p = new Peers(9, IceRole.CONTROLLING, IceRole.CONTROLLED, 2, 1, false).credentials().start();
        assertThat(p.net.runUntil(30 * SECOND, () -> p.a.state() == IceState.FAILED)).isTrue();
        assertThat(p.net.now).isEqualTo(15 * SECOND);
    }

    @Test
    void iceRestartKeepsMediaFlowingAndSelectsANewPair() {
        Peers p = connected(10);
        IcePair old = p.a.selectedPair();
        p.a.restart("aufr2", "a-new-password-0123456789");
        p.b.restart("bufr2", "b-new-password-0123456789");
        assertThat(p.a.selectedPair()).isSameAs(old); // media continues meanwhile
        assertThat(p.a.state()).isEqualTo(IceState.READY);
        p.a.setRemoteCredentials("bufr2", "b-new-password-0123456789");
        p.b.setRemoteCredentials("aufr2", "a-new-password-0123456789");
        p.bCandidates.forEach(p.a::addRemoteCandidate);
        p.aCandidates.forEach(p.b::addRemoteCandidate);
        assertThat(p.net.runUntil(p.net.now + 5 * SECOND,
                () -> p.a.selectedPair() != old && p.a.selectedPair().isNominated() && p.b.selectedPair().isNominated()
                        && p.b.pairs().contains(p.b.selectedPair()))).isTrue();
        assertThat(p.a.localUfrag()).isEqualTo("aufr2");
        assertThat(p.net.runUntil(p.net.now + 40 * SECOND, () -> p.a.state() != IceState.READY)).isFalse();
    }

    @Test
    void deadlinesAreNeverInThePastWhenIdle() {
        Peers p = connected(11);
        p.net.runUntil(p.net.now + 10 * SECOND, () -> false);
        List<Transmit> drained = new ArrayList<>(p.a.pollTransmit(p.net.now));
        drained.addAll(p.b.pollTransmit(p.net.now));
        assertThat(p.a.nextDeadlineMicros()).isGreaterThan(p.net.now);
        assertThat(p.b.nextDeadlineMicros()).isGreaterThan(p.net.now);
        assertThat(p.net.steps).isLessThan(5_000);
    }
}
