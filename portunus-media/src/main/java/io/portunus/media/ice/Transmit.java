package io.portunus.media.ice;

import java.net.InetSocketAddress;

/**
 * A datagram the agent wants sent: {@code data} from the local socket bound to {@code from}
 * to {@code to}. The agent never sends anything itself (sans-IO).
 */
public record Transmit(byte[] data, InetSocketAddress from, InetSocketAddress to) {
}
