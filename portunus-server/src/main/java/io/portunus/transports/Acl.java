package io.portunus.transports;

import java.util.ArrayList;
import java.util.List;

/**
 * Janus's transport ACLs: a comma-separated list of address prefixes; a client is let in
 * when its address string starts with one of them. An IPv4 entry also matches the
 * IPv4-mapped IPv6 form ({@code ::ffff:1.2.3.4}). Empty means everyone.
 */
public final class Acl {
    private final List<String> prefixes = new ArrayList<>();

    public Acl(String spec) {
        if (spec == null) {
            return;
        }
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            if (!e.isEmpty()) {
                prefixes.add(e);
                if (e.indexOf(':') < 0) {
                    prefixes.add("::ffff:" + e);
                }
            }
        }
    }

    public boolean allows(String address) {
        if (prefixes.isEmpty()) {
            return true;
        }
        return address != null && prefixes.stream().anyMatch(address::startsWith);
    }
}
