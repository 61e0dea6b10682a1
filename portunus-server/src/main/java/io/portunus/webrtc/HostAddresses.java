package io.portunus.webrtc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The local addresses media may use, chosen as Janus chooses them (media.md, nat section):
 * every up, non-loopback interface, filtered by {@code ice_enforce_list} (only these) and
 * {@code ice_ignore_list} (not these), each a comma-separated list of interface-name or
 * address prefixes. IPv6 only when enabled, link-local only when asked.
 */
public final class HostAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(HostAddresses.class);

    private HostAddresses() {
    }

    public static List<InetAddress> select(String enforceList, String ignoreList, boolean ipv6, boolean ipv6LinkLocal) {
        List<String> enforce = split(enforceList);
        List<String> ignore = split(ignoreList);
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    String ip = a.getHostAddress().replaceAll("%.*$", "");
                    boolean named = matches(enforce, ni.getName(), ip);
                    if (!enforce.isEmpty() && !named) {
                        continue;
                    }
                    if (matches(ignore, ni.getName(), ip)) {
                        continue;
                    }
                    // Loopback only when enforced by name or address: browsers gather none.
                    if (a.isLoopbackAddress() && !named) {
                        continue;
                    }
                    if (a instanceof Inet6Address v6 && (!ipv6 || (v6.isLinkLocalAddress() && !ipv6LinkLocal))) {
                        continue;
                    }
                    if (a instanceof Inet4Address || a instanceof Inet6Address) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("Cannot list network interfaces: {}", e.getMessage());
        }
        return out;
    }

    private static boolean matches(List<String> prefixes, String name, String ip) {
        return prefixes.stream().anyMatch(p -> name.startsWith(p) || ip.startsWith(p));
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
