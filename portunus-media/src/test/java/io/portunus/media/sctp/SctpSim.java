package io.portunus.media.sctp;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Two associations (with their data channels) over a simulated link driven by a fake clock:
 * a one-way delay, loss, reordering (random extra delay) and duplication, all from a seeded
 * random source, so every run is the same.
 */
final class SctpSim {

    static final class Recorder implements DataChannels.Listener {
        boolean connected;
        final List<DataChannel> opened = new ArrayList<>();
        final List<DataChannel> closed = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();
        final List<Boolean> binary = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        String associationClosed;

        @Override
        public void connected() {
            connected = true;
        }

        @Override
        public void opened(DataChannel channel) {
            opened.add(channel);
        }

        @Override
        public void message(DataChannel channel, byte[] data, boolean isBinary) {
            messages.add(data);
            binary.add(isBinary);
            labels.add(channel.label());
        }

        @Override
        public void closed(DataChannel channel) {
            closed.add(channel);
        }

        @Override
        public void associationClosed(String reason) {
            associationClosed = reason;
        }
    }

    private record Packet(long at, long seq, boolean toB, byte[] data) {
    }

    final Random random;
    final SctpAssociation a;
    final SctpAssociation b;
    final Recorder ra = new Recorder();
    final Recorder rb = new Recorder();
    final DataChannels ca;
    final DataChannels cb;
    long now = 1_000_000;
    double loss;
    double duplicate;
    long delay = 10;
    long jitter;
    /** Changes or drops (null) packets from a to b; the identity by default. */
    UnaryOperator<byte[]> toB = UnaryOperator.identity();
    long packetsAtoB;
    long packetsBtoA;
    /** Packets on their way to a that a holds at most (a socket buffer); the rest are dropped. */
    int bufferAtA = Integer.MAX_VALUE;
    long droppedAtA;
    private int onTheWayToA;
    private long seq;
    private final PriorityQueue<Packet> link = new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at)
        : Long.compare(x.seq, y.seq));

    SctpSim(long seed) {
        random = new Random(seed);
        a = new SctpAssociation(SctpAssociation.Config.webrtc(), new Random(seed + 1));
        b = new SctpAssociation(SctpAssociation.Config.webrtc(), new Random(seed + 2));
        ca = new DataChannels(a, true, ra);
        cb = new DataChannels(b, false, rb);
    }

    /** a starts (as a browser does), b answers. */
    SctpSim connect() {
        a.connect(now);
        run(500);
        if (!a.established() || !b.established()) {
            throw new AssertionError("not established: " + a.state() + " " + b.state());
        }
        return this;
    }

    /** Runs the link and both associations' timers until {@code millis} of fake time passed. */
    void run(long millis) {
        long end = now + millis;
        while (true) {
            collect();
            long next = Math.min(link.isEmpty() ? Long.MAX_VALUE : link.peek().at,
                Math.min(a.nextTimeout(), b.nextTimeout()));
            if (next > end) {
                now = end;
                return;
            }
            now = Math.max(now, next);
            while (!link.isEmpty() && link.peek().at <= now) {
                Packet p = link.poll();
                if (!p.toB) {
                    onTheWayToA--;
                }
                (p.toB ? cb : ca).receive(p.data, 0, p.data.length, now);
            }
            if (a.nextTimeout() <= now) {
                ca.handleTimeout(now);
            }
            if (b.nextTimeout() <= now) {
                cb.handleTimeout(now);
            }
        }
    }

    /** Runs until the condition holds (checked after every step) or the time is up. */
    boolean runUntil(BooleanSupplier done, long maxMillis) {
        long end = now + maxMillis;
        while (now < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            run(10);
        }
        return done.getAsBoolean();
    }

    private void collect() {
        for (byte[] p; (p = a.pollTransmit()) != null; ) {
            packetsAtoB++;
            byte[] changed = toB.apply(p);
            if (changed != null) {
                put(true, changed);
            }
        }
        for (byte[] p; (p = b.pollTransmit()) != null; ) {
            packetsBtoA++;
            put(false, p);
        }
    }

    private void put(boolean toBSide, byte[] p) {
        if (random.nextDouble() < loss) {
            return;
        }
        int copies = random.nextDouble() < duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            if (!toBSide && onTheWayToA >= bufferAtA) {
                droppedAtA++;
                continue;
            }
            if (!toBSide) {
                onTheWayToA++;
            }
            long extra = jitter > 0 ? (long) (random.nextDouble() * jitter) : 0;
            link.add(new Packet(now + delay + extra, seq++, toBSide, p));
        }
    }
}
