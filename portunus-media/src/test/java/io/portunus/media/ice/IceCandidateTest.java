package io.portunus.media.ice;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IceCandidateTest {

    @Test
    void parsesBrowserCandidates() throws Exception {
        IceCandidate c = IceCandidate.parse(
                "candidate:842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 192.168.1.2 rport 50001 generation 0 ufrag abcd network-cost 999");
        assertThat(c.foundation()).isEqualTo("842163049");
        assertThat(c.component()).isEqualTo(1);
        assertThat(c.protocol()).isEqualTo("udp");
        assertThat(c.priority()).isEqualTo(1677729535L);
        assertThat(c.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 50000));
        assertThat(c.type()).isEqualTo("srflx");
        assertThat(c.related()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.168.1.2"), 50001));
        assertThat(c.toSdpValue()).isEqualTo("842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 192.168.1.2 rport 50001");
        assertThat(IceCandidate.parse(c.toSdpValue())).isEqualTo(c);
        assertThat(IceCandidate.parse("a=candidate:" + c.toSdpValue())).isEqualTo(c);
    }

    @Test
    void ipv6AndMdnsAndTcp() {
        IceCandidate v6 = IceCandidate.parse("candidate:1 1 UDP 2122262783 2001:db8:0:0:0:0:0:1 9 typ host");
        assertThat(v6.protocol()).isEqualTo("udp");
        assertThat(v6.toSdpValue()).isEqualTo("1 1 udp 2122262783 2001:db8::1 9 typ host");
        IceCandidate mdns = IceCandidate.parse("candidate:2 1 udp 2122262783 4f2a6b8c-1111-2222-3333-444455556666.local 5000 typ host");
        assertThat(mdns.isResolved()).isFalse();
        assertThat(mdns.toSdpValue()).contains(".local 5000");
        IceCandidate tcp = IceCandidate.parse("candidate:3 1 tcp 1518280447 10.0.0.1 9 typ host tcptype active");
        assertThat(tcp.isUdp()).isFalse();
    }

    @Test
    void rejectsGarbage() {
        assertThat(IceCandidate.parse(null)).isNull();
        assertThat(IceCandidate.parse("")).isNull();
        assertThat(IceCandidate.parse("candidate:1 1 udp x 1.2.3.4 5 typ host")).isNull();
        assertThat(IceCandidate.parse("candidate:1 1 udp 1 1.2.3.4 70000 typ host")).isNull();
        assertThat(IceCandidate.parse("candidate:1 1 udp 1 1.2.3.4 5 type host")).isNull();
        assertThat(IceCandidate.parse("candidate:1 1 udp 99999999999 1.2.3.4 5 typ host")).isNull();
    }

    @Test
    void prioritiesFollowRfc8445AndRfc8421() throws Exception {
        // RFC 8445 §5.1.2.1 with the recommended type preference 126 and local preference 65535.
        assertThat(IceCandidate.priority("host", 65535, 1)).isEqualTo(2130706431L);
        assertThat(IceCandidate.priority("srflx", 65535, 1)).isEqualTo(1694498815L);
        // RFC 8421: IPv6 and IPv4 interleaved, IPv6 first, then host order.
        List<InetAddress> addrs = List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                InetAddress.getByName("fd00::1"));
        int[] prefs = IceCandidate.localPreferences(addrs);
        assertThat(prefs[2]).isGreaterThan(prefs[0]);
        assertThat(prefs[0]).isGreaterThan(prefs[1]);
        IceCandidate h = IceCandidate.host(new InetSocketAddress(addrs.get(0), 5000), prefs[0]);
        assertThat(h.type()).isEqualTo("host");
        assertThat(h.foundation()).isEqualTo(IceCandidate.host(new InetSocketAddress(addrs.get(0), 6000), 1).foundation());
        assertThat(h.foundation()).isNotEqualTo(IceCandidate.host(new InetSocketAddress(addrs.get(1), 5000), 1).foundation());
    }
}
