package io.portunus.media.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An ICE candidate (RFC 8839 §5.1):
 * {@code <foundation> <component> <transport> <priority> <address> <port> typ <type>
 * [raddr <address>] [rport <port>] *(<name> <value>)}.
 *
 * <p>The address may be IPv4, IPv6 or a hostname: browsers hide host addresses behind mDNS
 * names ({@code 1f2e....local}, draft-ietf-mmusic-mdns-ice-candidates), so it is not checked
 * for being an IP. Every other {@code name value} pair goes, in order, to {@code extensions}:
 * {@code tcptype} (RFC 6544 §4.5), {@code generation}, {@code ufrag}, {@code network-id} ...
 * {@code relatedAddress} is null and {@code relatedPort} -1 when absent.
 */
public record Candidate(String foundation, int component, String transport, long priority, String address, int port,
                        String type, String relatedAddress, int relatedPort, Map<String, String> extensions) {

    public Candidate {
        extensions = extensions == null || extensions.isEmpty()
                ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** A candidate without related address or extensions. */
    public static Candidate of(String foundation, int component, String transport, long priority, String address,
                               int port, String type) {
        return new Candidate(foundation, component, transport, priority, address, port, type, null, -1, Map.of());
    }

    /**
     * Parses {@code candidate:1 1 udp ...}, {@code a=candidate:1 1 udp ...} (how the SDP carries
     * it) or {@code 1 1 udp ...} (how Janus shows it in {@code handle_info}).
     */
    public static Candidate parse(String line) throws SdpException {
        if (line == null) {
            throw new SdpException("Invalid candidate: null");
        }
        String text = line.strip();
        if (text.startsWith("a=")) {
            text = text.substring(2);
        }
        if (text.startsWith("candidate:")) {
            text = text.substring("candidate:".length());
        }
        String error = "Invalid candidate: " + line;
        String[] t = Attributes.WHITESPACE.split(text.strip());
        if (t.length < 8 || t.length % 2 != 0 || !t[6].equals("typ") || t[0].isEmpty()) {
            throw new SdpException(error);
        }
        int component = Attributes.parseInt(t[1], 1, 256, error);
        long priority = Attributes.parseLong(t[3], 0, 0xFFFF_FFFFL, error);
        int port = Attributes.parseInt(t[5], 0, 65535, error);
        String relatedAddress = null;
        int relatedPort = -1;
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = 8; i < t.length; i += 2) {
            switch (t[i]) {
                case "raddr" -> relatedAddress = t[i + 1];
                case "rport" -> relatedPort = Attributes.parseInt(t[i + 1], 0, 65535, error);
                default -> extensions.put(t[i], t[i + 1]);
            }
        }
        return new Candidate(t[0], component, t[2], priority, t[4], port, t[7], relatedAddress, relatedPort,
                extensions);
    }

    /** {@code 1 1 udp 2015363327 10.77.0.1 20131 typ host}: foundation first, no {@code candidate:}. */
    public String toSdpValue() {
        StringBuilder sb = new StringBuilder()
                .append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port).append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            sb.append(" rport ").append(relatedPort);
        }
        extensions.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
        return sb.toString();
    }

    /** Whether the transport is UDP (browsers write {@code udp}, Firefox {@code UDP}). */
    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    /** Whether the transport is TCP (RFC 6544). */
    public boolean isTcp() {
        return transport.equalsIgnoreCase("tcp");
    }

    /** The RFC 6544 {@code tcptype} ({@code active}, {@code passive}, {@code so}), or null. */
    public String tcpType() {
        return extensions.get("tcptype");
    }

    /** Whether the address is an mDNS name rather than an IP (RFC 8839 allows FQDNs; browsers use {@code .local}). */
    public boolean isMdns() {
        return address.toLowerCase(Locale.ROOT).endsWith(".local");
    }
}
