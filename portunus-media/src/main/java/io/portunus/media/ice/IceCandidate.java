package io.portunus.media.ice;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * An ICE candidate (RFC 8445 §5.1, SDP syntax RFC 8839 §5.1).
 *
 * @param foundation ice-char string shared by candidates of the same type, base and protocol
 * @param component  1 (RTP, and everything else: Portunus always uses rtcp-mux and BUNDLE)
 * @param protocol   "udp" (other transports are parsed but never paired)
 * @param priority   0..2^32-1 (RFC 8445 §5.1.2.1)
 * @param address    the transport address; unresolved for an mDNS ".local" name
 * @param type       "host", "srflx", "prflx" or "relay"
 * @param related    raddr/rport, or null
 */
public record IceCandidate(String foundation, int component, String protocol, long priority, InetSocketAddress address,
                           String type, InetSocketAddress related) {

    /** RFC 8445 §5.1.2.2 recommended type preferences. */
    public static final int TYPE_PREF_HOST = 126;
    public static final int TYPE_PREF_PRFLX = 110;
    public static final int TYPE_PREF_SRFLX = 100;
    public static final int TYPE_PREF_RELAY = 0;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public IceCandidate {
        protocol = protocol == null ? "udp" : protocol.toLowerCase(Locale.ROOT);
        type = type == null ? "host" : type.toLowerCase(Locale.ROOT);
    }

    /**
     * A host candidate on {@code address} (RFC 8445 §5.1.1.1), component 1, with the given
     * local preference (0..65535; see {@link #localPreferences(List)} for several interfaces).
     */
    public static IceCandidate host(InetSocketAddress address, int localPreference) {
        return new IceCandidate(foundation("host", address.getAddress()), 1, "udp",
                priority("host", localPreference, 1), address, "host", null);
    }

    /** A server-reflexive candidate discovered through STUN for the host candidate {@code base}. */
    public static IceCandidate serverReflexive(InetSocketAddress mapped, InetSocketAddress base, int localPreference) {
        return new IceCandidate(foundation("srflx", base.getAddress()), 1, "udp",
                priority("srflx", localPreference, 1), mapped, "srflx", base);
    }

    /** RFC 8445 §5.1.2.1: (2^24)*type preference + (2^8)*local preference + (256 - component). */
    public static long priority(String type, int localPreference, int component) {
        return ((long) typePreference(type) << 24) + ((long) (localPreference & 0xFFFF) << 8) + (256 - component);
    }

    public static int typePreference(String type) {
        return switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
            case "host" -> TYPE_PREF_HOST;
            case "prflx" -> TYPE_PREF_PRFLX;
            case "srflx" -> TYPE_PREF_SRFLX;
            default -> TYPE_PREF_RELAY;
        };
    }

    /**
     * RFC 8445 §5.1.1.3: candidates of the same type, base IP and protocol share a foundation.
     * We derive it from those, so the same inputs always give the same foundation.
     */
    static String foundation(String type, InetAddress base) {
        CRC32 crc = new CRC32();
        crc.update((type + "|" + (base == null ? "" : base.getHostAddress()) + "|udp").getBytes(StandardCharsets.UTF_8));
        return Long.toString(crc.getValue());
    }

    /**
     * Local preferences for a host with several addresses, following RFC 8421 §4: addresses
     * are given in the host's order of preference; IPv6 and IPv4 are interleaved (IPv6 first)
     * so that a broken family does not delay the other, and earlier entries get higher values.
     */
    public static int[] localPreferences(List<InetAddress> ordered) {
        List<Integer> v6 = new ArrayList<>();
        List<Integer> v4 = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            (ordered.get(i) instanceof Inet6Address ? v6 : v4).add(i);
        }
        int[] prefs = new int[ordered.size()];
        int pref = 65535;
        for (int i = 0; i < Math.max(v6.size(), v4.size()); i++) {
            if (i < v6.size()) {
                prefs[v6.get(i)] = pref--;
            }
            if (i < v4.size()) {
                prefs[v4.get(i)] = pref--;
            }
        }
        return prefs;
    }

    public boolean isUdp() {
        return "udp".equals(protocol);
    }

    /** False for mDNS names (RFC 8839 allows them; a sans-IO agent cannot resolve them). */
    public boolean isResolved() {
        return address != null && !address.isUnresolved();
    }

    /**
     * The value of an {@code a=candidate:} attribute, without the "candidate:" prefix:
     * {@code foundation component udp priority address port typ type [raddr a rport p]}.
     */
    public String toSdpValue() {
        StringBuilder sb = new StringBuilder();
        sb.append(foundation).append(' ').append(component).append(' ').append(protocol).append(' ')
                .append(priority).append(' ').append(host(address)).append(' ').append(address.getPort())
                .append(" typ ").append(type);
        if (related != null) {
            sb.append(" raddr ").append(host(related)).append(" rport ").append(related.getPort());
        }
        return sb.toString();
    }

    /** "address:port [type,udp]" as Janus prints a side of {@code selected-pair}. */
    String janusPairSide() {
        return host(address) + ":" + address.getPort() + " [" + type + "," + protocol + "]";
    }

    /**
     * Parses a candidate line: with or without "a=" and "candidate:" prefixes; extension
     * attributes (generation, ufrag, network-id, tcptype, ...) are ignored. Never resolves
     * names: an mDNS/hostname address stays unresolved. Returns null if malformed.
     */
    public static IceCandidate parse(String sdpValue) {
        if (sdpValue == null) {
            return null;
        }
        String s = sdpValue.trim();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (s.regionMatches(true, 0, "candidate:", 0, 10)) {
            s = s.substring(10);
        }
        String[] f = s.split("\\s+");
        if (f.length < 8 || !"typ".equalsIgnoreCase(f[6])) {
            return null;
        }
        try {
            int component = Integer.parseInt(f[1]);
            long priority = Long.parseLong(f[3]);
            int port = Integer.parseInt(f[5]);
            if (component < 1 || component > 256 || priority < 0 || priority > 0xFFFFFFFFL || port < 0 || port > 65535) {
                return null;
            }
            InetSocketAddress address = socketAddress(f[4], port);
            if (address == null) {
                return null;
            }
            InetSocketAddress related = null;
            String raddr = null;
            int rport = -1;
            for (int i = 8; i + 1 < f.length; i += 2) {
                if ("raddr".equalsIgnoreCase(f[i])) {
                    raddr = f[i + 1];
                } else if ("rport".equalsIgnoreCase(f[i])) {
                    rport = Integer.parseInt(f[i + 1]);
                }
            }
            if (raddr != null && rport >= 0 && rport <= 65535) {
                related = socketAddress(raddr, rport);
            }
            return new IceCandidate(f[0], component, f[2], priority, address, f[7], related);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A literal IPv4/IPv6 address without any DNS lookup; anything else stays unresolved. */
    static InetSocketAddress socketAddress(String host, int port) {
        try {
            if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
                String literal = host;
                int zone = literal.indexOf('%');
                if (zone >= 0) {
                    literal = literal.substring(0, zone); // zone ids name interfaces: not ours to resolve
                }
                if (literal.startsWith("[") && literal.endsWith("]")) {
                    literal = literal.substring(1, literal.length() - 1);
                }
                // A literal never triggers a lookup in getByName.
                return new InetSocketAddress(InetAddress.getByName(literal), port);
            }
            if (host.isEmpty()) {
                return null;
            }
            return InetSocketAddress.createUnresolved(host, port);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The textual address: IPv6 compressed (RFC 5952) the way browsers print it. */
    static String host(InetSocketAddress a) {
        if (a.isUnresolved()) {
            return a.getHostString();
        }
        InetAddress ip = a.getAddress();
        if (!(ip instanceof Inet6Address)) {
            return ip.getHostAddress();
        }
        byte[] b = ip.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
