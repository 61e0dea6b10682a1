package io.portunus.plugins.videoroom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code rtp_forward_allow}: which destinations an RTP forwarder may send to. */
class ForwardAllowListTest {
    private static final ForwardAllowList DEFAULT = ForwardAllowList.parse(ForwardAllowList.DEFAULT);

    private static boolean allows(ForwardAllowList list, String address) throws Exception {
        return list.allows(InetAddress.getByName(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
            "192.168.0.1", "192.168.255.254", "::1", "fd00::1", "fc12:3456::9", "::ffff:10.77.0.2"})
    void theDefaultAllowsLoopbackAndPrivateRanges(String address) throws Exception {
        assertThat(allows(DEFAULT, address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "11.0.0.1", "172.15.255.255", "172.32.0.1", "192.169.0.1",
            "169.254.1.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "2001:db8::1", "fe80::1", "::", "::ffff:8.8.8.8"})
    void theDefaultRefusesTheRest(String address) throws Exception {
        assertThat(allows(DEFAULT, address)).isFalse();
    }

    @Test
    void rangesAndSingleHostsAsConfigured() throws Exception {
        ForwardAllowList list = ForwardAllowList.parse(" 203.0.113.0/25 , 198.51.100.7, 2001:db8:1::/48 ");
        assertThat(allows(list, "203.0.113.127")).isTrue();
        assertThat(allows(list, "203.0.113.128")).isFalse();
        assertThat(allows(list, "198.51.100.7")).isTrue();
        assertThat(allows(list, "198.51.100.8")).isFalse();
        assertThat(allows(list, "2001:db8:1:ffff::1")).isTrue();
        assertThat(allows(list, "2001:db8:2::1")).isFalse();
        assertThat(allows(list, "127.0.0.1")).isFalse();
        assertThat(list.toString()).isEqualTo("203.0.113.0/25,198.51.100.7,2001:db8:1::/48");
    }

    @Test
    void everythingWhenAskedFor() throws Exception {
        ForwardAllowList any = ForwardAllowList.parse("0.0.0.0/0,::/0");
        assertThat(allows(any, "8.8.8.8")).isTrue();
        assertThat(allows(any, "2001:db8::1")).isTrue();
        assertThat(allows(ForwardAllowList.parse(""), "127.0.0.1")).as("an empty list allows nothing").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "10.0.0.0/-1", "1.2.3"})
    void whatIsNotARangeIsRefused(String entry) {
        assertThatThrownBy(() -> ForwardAllowList.parse("127.0.0.0/8," + entry))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(entry);
    }
}
