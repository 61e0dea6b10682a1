package io.portunus.media.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link IceAgent} has for its caller: datagrams to send and events, each in the order
 * they were produced. The agent's parts add to it; the caller drains it through
 * {@link IceAgent#pollTransmit} and {@link IceAgent#pollEvents}.
 */
final class AgentOutbox {
    private final List<Transmit> transmits = new ArrayList<>();
    private final List<IceEvent> events = new ArrayList<>();

    /** Queues {@code data} to go from the local socket bound to {@code from} to {@code to}. */
    void send(byte[] data, InetSocketAddress from, InetSocketAddress to) {
        transmits.add(new Transmit(data, from, to));
    }

    void emit(IceEvent event) {
        events.add(event);
    }

    boolean hasTransmits() {
        return !transmits.isEmpty();
    }

    /** Forgets the datagrams not yet polled (the agent was closed). */
    void dropTransmits() {
        transmits.clear();
    }

    List<Transmit> takeTransmits() {
        return take(transmits);
    }

    List<IceEvent> takeEvents() {
        return take(events);
    }

    private static <T> List<T> take(List<T> queue) {
        if (queue.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }
}
