package io.portunus.media.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * An in-memory UDP network on a fake clock for driving {@link IceAgent}s the way a socket loop
 * would: poll transmits, deliver datagrams after a latency (maybe dropping some), and sleep
 * until the earliest deadline. Deterministic for a given seed.
 */
final class SimNetwork {
    record Packet(long at, long seq, Transmit t) {
    }

    final Map<InetSocketAddress, IceAgent> owners = new LinkedHashMap<>();
    final List<IceAgent> agents = new ArrayList<>();
    final Map<IceAgent, List<IceEvent>> events = new LinkedHashMap<>();
    final List<Transmit> sent = new ArrayList<>();
    private final PriorityQueue<Packet> inFlight =
            new PriorityQueue<>(Comparator.comparingLong(Packet::at).thenComparingLong(Packet::seq));
    private final Random random;
    double loss;
    long latencyMicros = 10_000;
    /** Datagrams for which this is true are silently dropped (a peer going silent). */
    Predicate<Transmit> blackhole = t -> false;
    long now;
    private long seq;
    int steps;

    SimNetwork(long seed) {
        random = new Random(seed);
    }

    void add(IceAgent agent, InetSocketAddress... addresses) {
        agents.add(agent);
        events.put(agent, new ArrayList<>());
        for (InetSocketAddress a : addresses) {
            owners.put(a, agent);
        }
    }

    /** Runs until {@code done} holds (true) or {@code until} is reached (false). */
    boolean runUntil(long until, BooleanSupplier done) {
        while (true) {
            collect();
            if (done.getAsBoolean()) {
                return true;
            }
            long next = Long.MAX_VALUE;
            for (IceAgent a : agents) {
                next = Math.min(next, a.nextDeadlineMicros());
            }
            if (!inFlight.isEmpty()) {
                next = Math.min(next, inFlight.peek().at());
            }
            if (next > until) {
                now = Math.max(now, until);
                return done.getAsBoolean();
            }
            if (++steps > 2_000_000) {
                throw new AssertionError("busy loop: the agents keep asking for time " + next + " at " + now);
            }
            now = Math.max(now, next);
            while (!inFlight.isEmpty() && inFlight.peek().at() <= now) {
                Transmit t = inFlight.poll().t();
                IceAgent to = owners.get(t.to());
                if (to != null) {
                    to.handleStun(t.data(), 0, t.data().length, t.from(), t.to(), now);
                }
            }
            for (IceAgent a : agents) {
                a.handleTimeout(now);
            }
        }
    }

    private void collect() {
        for (IceAgent a : agents) {
            for (Transmit t : a.pollTransmit(now)) {
                sent.add(t);
                if (!blackhole.test(t) && (loss == 0 || random.nextDouble() >= loss)) {
                    inFlight.add(new Packet(now + latencyMicros, seq++, t));
                }
            }
            events.get(a).addAll(a.pollEvents());
        }
    }

    List<IceState> states(IceAgent a) {
        List<IceState> out = new ArrayList<>();
        for (IceEvent e : events.get(a)) {
            if (e instanceof IceEvent.StateChanged s) {
                out.add(s.state());
            }
        }
        return out;
    }
}
