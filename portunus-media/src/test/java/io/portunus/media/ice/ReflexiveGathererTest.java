package io.portunus.media.ice;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sans-IO srflx gatherer: requests, retransmissions, answers, giving up. Time is made up (µs). */
class ReflexiveGathererTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);
    static final IceCandidate HOST = IceCandidate.host(new InetSocketAddress("127.0.0.1", 20000), 65535);
    static final ReflexiveGatherer.Timing TIMING = new ReflexiveGatherer.Timing(100_000, 3, 1_000_000);

    static byte[] success(Transmit request, InetSocketAddress mapped) {
        StunPacket req = StunPacket.parse(request.data(), 0, request.data().length);
        return new StunPacket.Builder(StunPacket.BINDING_SUCCESS, req.transactionId()).xorMappedAddress(mapped).build(null, false);
    }

    @Test
    void anAnswerBecomesASrflxCandidateWithTheHostAsBase() {
        ReflexiveGatherer g = new ReflexiveGatherer(SERVER, TIMING);
        g.start(List.of(HOST), 0);
        List<Transmit> out = g.pollTransmit(0);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).from()).isEqualTo(HOST.address());
        assertThat(out.get(0).to()).isEqualTo(SERVER);
        StunPacket request = StunPacket.parse(out.get(0).data(), 0, out.get(0).data().length);
        assertThat(request.type()).isEqualTo(StunPacket.BINDING_REQUEST);
        assertThat(g.isDone(10)).isFalse();

        InetSocketAddress mapped = new InetSocketAddress("127.0.0.2", 41000);
        byte[] answer = success(out.get(0), mapped);
        assertThat(g.handleResponse(answer, 0, answer.length, SERVER, 20)).isTrue();
        assertThat(g.isDone(20)).isTrue();
        assertThat(g.nextDeadlineMicros()).isEqualTo(Long.MAX_VALUE);
        IceCandidate srflx = g.candidates().get(0);
        assertThat(srflx.type()).isEqualTo("srflx");
        assertThat(srflx.address()).isEqualTo(mapped);
        assertThat(srflx.related()).isEqualTo(HOST.address());
        assertThat(srflx.priority()).isLessThan(HOST.priority());
        assertThat(srflx.toSdpValue()).endsWith("127.0.0.2 41000 typ srflx raddr 127.0.0.1 rport 20000");
    }

    @Test
    void retransmitsABoundedNumberOfTimesThenGivesUpWithNothing() {
        ReflexiveGatherer g = new ReflexiveGatherer(SERVER, TIMING);
        g.start(List.of(HOST), 0);
        assertThat(g.pollTransmit(0)).hasSize(1);
        assertThat(g.pollTransmit(50_000)).as("not before the RTO").isEmpty();
        assertThat(g.nextDeadlineMicros()).isEqualTo(100_000);
        assertThat(g.pollTransmit(100_000)).hasSize(1);
        assertThat(g.nextDeadlineMicros()).as("RTO doubled").isEqualTo(300_000);
        assertThat(g.pollTransmit(300_000)).hasSize(1);
        assertThat(g.pollTransmit(900_000)).as("at most maxRequests").isEmpty();
        assertThat(g.nextDeadlineMicros()).as("then only the give-up time").isEqualTo(1_000_000);
        assertThat(g.isDone(999_999)).isFalse();
        assertThat(g.isDone(1_000_000)).isTrue();
        assertThat(g.candidates()).isEmpty();
    }

    @Test
    void ignoresStrangersErrorsAndRedundantAnswers() {
        ReflexiveGatherer g = new ReflexiveGatherer(SERVER, TIMING);
        IceCandidate second = IceCandidate.host(new InetSocketAddress("127.0.0.1", 20002), 65000);
        IceCandidate v6 = IceCandidate.host(new InetSocketAddress("::1", 20004), 64000);
        g.start(List.of(HOST, second, v6), 0);
        List<Transmit> out = g.pollTransmit(0);
        assertThat(out).as("none from the IPv6 host to an IPv4 server").hasSize(2);

        byte[] fromElsewhere = success(out.get(0), new InetSocketAddress("127.0.0.2", 1));
        assertThat(g.handleResponse(fromElsewhere, 0, fromElsewhere.length, new InetSocketAddress("127.0.0.1", 9999), 1))
                .as("not from the server").isFalse();
        byte[] unknown = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, StunPacket.newTransactionId())
                .xorMappedAddress(new InetSocketAddress("127.0.0.2", 1)).build(null, false);
        assertThat(g.handleResponse(unknown, 0, unknown.length, SERVER, 1)).as("not our transaction").isFalse();
        byte[] garbage = {0, 1, 0, 0, 1, 2, 3};
        assertThat(g.handleResponse(garbage, 0, garbage.length, SERVER, 1)).isFalse();

        // No NAT: the mapped address is the host itself, so nothing new (RFC 8445 §5.1.3).
        byte[] same = success(out.get(0), HOST.address());
        assertThat(g.handleResponse(same, 0, same.length, SERVER, 2)).isTrue();
        StunPacket req = StunPacket.parse(out.get(1).data(), 0, out.get(1).data().length);
        byte[] error = new StunPacket.Builder(StunPacket.BINDING_ERROR, req.transactionId()).errorCode(400, "Bad Request")
                .build(null, false);
        assertThat(g.handleResponse(error, 0, error.length, SERVER, 3)).isTrue();
        assertThat(g.isDone(3)).isTrue();
        assertThat(g.candidates()).isEmpty();
    }
}
