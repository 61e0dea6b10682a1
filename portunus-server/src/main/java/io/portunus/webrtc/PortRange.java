package io.portunus.webrtc;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code rtp_port_range} ("min-max"): where media sockets bind. Ports are handed out round
 * robin so that a port just released is not reused at once (late packets of the old call
 * would land in the new one). Without a range the system picks ephemeral ports (0).
 */
public final class PortRange {
    private final int min;
    private final int max;
    private final AtomicInteger next;

    private PortRange(int min, int max) {
        this.min = min;
        this.max = max;
        this.next = new AtomicInteger(min);
    }

    public static PortRange parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return new PortRange(0, 0);
        }
        String[] parts = spec.trim().split("-");
        try {
            int lo = Integer.parseInt(parts[0].trim());
            int hi = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : lo;
            if (lo < 1 || hi > 65535 || lo > hi) {
                throw new IllegalArgumentException("rtp_port_range must be min-max within 1-65535: " + spec);
            }
            return new PortRange(lo, hi);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rtp_port_range must be min-max: " + spec, e);
        }
    }

    public boolean isAny() {
        return min == 0;
    }

    /** How many ports to try before giving up. */
    public int size() {
        return isAny() ? 1 : max - min + 1;
    }

    /** The next candidate port (0 = let the system choose). */
    public int nextPort() {
        if (isAny()) {
            return 0;
        }
        return min + Math.floorMod(next.getAndIncrement() - min, max - min + 1);
    }
}
