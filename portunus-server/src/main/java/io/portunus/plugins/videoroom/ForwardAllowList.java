package io.portunus.plugins.videoroom;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where RTP forwarders may send: the VideoRoom's {@code rtp_forward_allow} option, a comma list of
 * address ranges ({@code 10.0.0.0/8}, {@code ::1/128}, a bare address for one host). Janus sends to
 * any host a client names; Portunus, by default, only to loopback and private ranges, so that a
 * room's secret is not enough to aim a server's media at any address on the internet.
 */
final class ForwardAllowList {
    /** Loopback and the private ranges (RFC 1918, IPv6 unique local addresses RFC 4193). */
    static final String DEFAULT = "127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,::1/128,fc00::/7";

    private record Range(byte[] network, int prefix, String text) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;
    private final String text;

    private ForwardAllowList(List<Range> ranges, String text) {
        this.ranges = List.copyOf(ranges);
        this.text = text;
    }

    /** Parses the option's value; an error names the entry that is not an address range. */
    static ForwardAllowList parse(String value) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : value.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            ranges.add(range(entry));
        }
        return new ForwardAllowList(ranges, String.join(",", ranges.stream().map(Range::text).toList()));
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        if (!address.contains(":") && !address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            // A host name would need a lookup now and another at each request; ranges only.
            throw new IllegalArgumentException("not an IP address range: " + entry);
        }
        byte[] network;
        try {
            network = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address range: " + entry);
        }
        int prefix = network.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IP address range: " + entry);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("prefix out of range: " + entry);
            }
        }
        return new Range(network, prefix, entry.toLowerCase(Locale.ROOT));
    }

    /** Whether a forwarder may send to {@code address} (an IPv4-mapped IPv6 address counts as IPv4). */
    boolean allows(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && isV4Mapped(a)) {
            byte[] v4 = new byte[4];
            System.arraycopy(a, 12, v4, 0, 4);
            a = v4;
        }
        for (Range r : ranges) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** The ranges, as configured (for the refusal's reason and the log). */
    @Override
    public String toString() {
        return text;
    }
}
