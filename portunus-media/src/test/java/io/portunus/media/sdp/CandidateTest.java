package io.portunus.media.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandidateTest {

    @Test
    void hostCandidateInEveryAcceptedForm() throws SdpException {
        Candidate expected = Candidate.of("1", 1, "udp", 2015363327L, "10.77.0.1", 20131, "host");
        assertThat(Candidate.parse("1 1 udp 2015363327 10.77.0.1 20131 typ host")).isEqualTo(expected);
        assertThat(Candidate.parse("candidate:1 1 udp 2015363327 10.77.0.1 20131 typ host")).isEqualTo(expected);
        assertThat(Candidate.parse("a=candidate:1 1 udp 2015363327 10.77.0.1 20131 typ host")).isEqualTo(expected);
        assertThat(expected.toSdpValue()).isEqualTo("1 1 udp 2015363327 10.77.0.1 20131 typ host");
    }

    @Test
    void chromiumTrickleWithExtensions() throws SdpException {
        String text = "3931966455 1 udp 2122260223 10.77.0.1 38790 typ host generation 0 ufrag /uNR network-id 1";
        Candidate c = Candidate.parse(text);
        assertThat(c.foundation()).isEqualTo("3931966455");
        assertThat(c.priority()).isEqualTo(2122260223L);
        assertThat(c.extensions()).containsExactly(Map.entry("generation", "0"), Map.entry("ufrag", "/uNR"),
                Map.entry("network-id", "1"));
        assertThat(c.toSdpValue()).isEqualTo(text);
    }

    @Test
    void srflxWithRelatedAddress() throws SdpException {
        String text = "842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 192.168.1.5 rport 61665 generation 0";
        Candidate c = Candidate.parse(text);
        assertThat(c.type()).isEqualTo("srflx");
        assertThat(c.relatedAddress()).isEqualTo("192.168.1.5");
        assertThat(c.relatedPort()).isEqualTo(61665);
        assertThat(c.extensions()).containsOnlyKeys("generation");
        assertThat(c.toSdpValue()).isEqualTo(text);
        // mDNS-era srflx: the related address is hidden as 0.0.0.0 / 0
        Candidate hidden = Candidate.parse("1 1 UDP 1686052863 203.0.113.7 54063 typ srflx raddr 0.0.0.0 rport 0");
        assertThat(hidden.relatedPort()).isZero();
        assertThat(hidden.isUdp()).isTrue();
    }

    @Test
    void tcpCandidatesWithTcptype() throws SdpException {
        for (String type : new String[] {"active", "passive", "so"}) {
            String text = "1 1 tcp 1518280447 192.168.1.5 " + (type.equals("active") ? 9 : 50000)
                    + " typ host tcptype " + type + " generation 0";
            Candidate c = Candidate.parse(text);
            assertThat(c.isTcp()).isTrue();
            assertThat(c.tcpType()).isEqualTo(type);
            assertThat(c.toSdpValue()).isEqualTo(text);
        }
    }

    @Test
    void ipv6AndMdnsAndRelay() throws SdpException {
        Candidate v6 = Candidate.parse("candidate:2 1 udp 2122197247 2001:db8::7 51200 typ host generation 0");
        assertThat(v6.address()).isEqualTo("2001:db8::7");
        assertThat(v6.isMdns()).isFalse();
        Candidate mdns = Candidate.parse(
                "candidate:0 1 UDP 2122252543 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54063 typ host");
        assertThat(mdns.isMdns()).isTrue();
        assertThat(mdns.address()).isEqualTo("1f4712db-ea17-4bcf-a596-105139dfd8bf.local");
        Candidate relay = Candidate.parse(
                "3 1 udp 41885439 198.51.100.9 3478 typ relay raddr 203.0.113.7 rport 61665");
        assertThat(relay.type()).isEqualTo("relay");
        assertThat(relay.toSdpValue()).isEqualTo("3 1 udp 41885439 198.51.100.9 3478 typ relay raddr 203.0.113.7 rport 61665");
    }

    @Test
    void maxPriorityAndComponentTwo() throws SdpException {
        Candidate c = Candidate.parse("f 2 udp 4294967295 10.0.0.1 1 typ host");
        assertThat(c.priority()).isEqualTo(4294967295L);
        assertThat(c.component()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "candidate:", "1 1 udp 2015363327 10.77.0.1 20131", "1 1 udp 2015363327 10.77.0.1 20131 type host",
        "1 x udp 2015363327 10.77.0.1 20131 typ host", "1 1 udp -5 10.77.0.1 20131 typ host",
        "1 1 udp 4294967296 10.77.0.1 20131 typ host", "1 1 udp 1 10.77.0.1 70000 typ host",
        "1 1 udp 1 10.77.0.1 7000 typ host generation", "1 1 udp 1 10.77.0.1 7000 typ srflx raddr 1.2.3.4 rport x",
        "1 0 udp 1 10.77.0.1 7000 typ host", "1 1 udp 99999999999999999999999 10.77.0.1 7000 typ host"})
    void malformed(String text) {
        assertThatThrownBy(() -> Candidate.parse(text)).isInstanceOf(SdpException.class)
                .hasMessage("Invalid candidate: " + text);
    }
}
