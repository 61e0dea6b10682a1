package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;

import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtp.RtpHeader;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A fake clock, one loop and an in-memory UDP network for whole PeerConnections, in the style
 * of the ICE agent's {@code SimNetwork}: the test thread is the loop; timers fire and datagrams
 * arrive when the fake clock reaches them, after a latency (plus a per-datagram extra delay, or
 * not at all when the drop rule says so). Nothing sleeps.
 *
 * <p>The one real thread is DTLS's (Bouncy Castle's handshake blocks). Before moving the clock
 * the driver waits until every handshake thread has read what it was given and is waiting for
 * more, so the fake-time schedule is the protocols' alone, not the machine's.
 */
final class SimMedia {
    /** A datagram on the wire, sent at {@code at} (fake µs). */
    record Datagram(long at, InetSocketAddress from, InetSocketAddress to, byte[] data) {
        boolean isRtp() {
            int first = data[0] & 0xFF;
            int type = data.length > 1 ? data[1] & 0x7F : 0;
            return first >= 128 && first <= 191 && !(type >= 64 && type <= 95);
        }

        /** The SSRC of RTP (or of the first RTCP packet's sender): SRTP leaves headers in the clear. */
        long ssrc() {
            return isRtp() ? RtpHeader.ssrc(data, 0) : Rtcp.read32(data, 4);
        }

        int sequence() {
            return RtpHeader.sequence(data, 0);
        }

        /** The first RTCP packet's type (200 SR, 201 RR, 205 RTPFB...), or -1 for RTP and the rest. */
        int rtcpType() {
            return isRtp() || (data[0] & 0xFF) < 128 || (data[0] & 0xFF) > 191 ? -1 : data[1] & 0xFF;
        }
    }

    private record Pending(long at, long seq, Runnable task, boolean[] cancelled) {
    }

    private record InFlight(long at, long seq, Datagram datagram) {
    }

    private final Thread driver = Thread.currentThread();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Pending> timers =
            new PriorityQueue<>(Comparator.comparingLong(Pending::at).thenComparingLong(Pending::seq));
    private final PriorityQueue<InFlight> wire =
            new PriorityQueue<>(Comparator.comparingLong(InFlight::at).thenComparingLong(InFlight::seq));
    private final Map<InetSocketAddress, MediaIo.DatagramSink> sockets = new LinkedHashMap<>();
    /** The array every datagram is lent in ({@link #lend}). */
    private byte[] lent = new byte[2048];
    private final List<Thread> handshakeThreads = new CopyOnWriteArrayList<>();
    private final List<BooleanSupplier> handshakeInboxesEmpty = new CopyOnWriteArrayList<>();
    /** Every datagram sent, dropped or not, in order. */
    final List<Datagram> sent = new ArrayList<>();
    final List<Datagram> dropped = new ArrayList<>();
    long latencyMicros = 10_000;
    /** Sends are only counted, not kept or delivered (a benchmark's steady state). */
    boolean discard;
    long discarded;
    /** Sends discarded per destination, for the destinations put here before (one counter each). */
    final Map<InetSocketAddress, long[]> discardedTo = new HashMap<>();
    /** Datagrams for which this is true are lost on the wire. */
    Predicate<Datagram> drop = d -> false;
    /** Extra one-way delay per datagram (µs), for jitter. */
    ToLongFunction<Datagram> extraDelay = d -> 0;
    /** Fake monotonic µs. */
    long now = 1_000_000_000L;
    /** Fake wall clock: a fixed epoch plus the monotonic time. */
    static final long WALL_OFFSET_MICROS = 1_764_000_000_000_000L;
    private long seq;
    private int nextPort = 40_000;

    /** One PeerConnection's view: the shared loop and clock, its own sockets. */
    MediaIo io() {
        return new Io();
    }

    /** A handshake thread factory whose threads the driver waits for before moving time. */
    ThreadFactory handshakeThreads() {
        return r -> {
            Thread t = Thread.ofPlatform().daemon().name("sim-dtls").unstarted(r);
            handshakeThreads.add(t);
            return t;
        };
    }

    /** A DTLS session's inbox: time moves only once it is empty (its thread has read it all). */
    void handshakeInbox(BooleanSupplier empty) {
        handshakeInboxesEmpty.add(empty);
    }

    void bind(InetSocketAddress address, MediaIo.DatagramSink sink) {
        sockets.put(address, sink);
    }

    void execute(Runnable task) {
        tasks.add(task);
    }

    MediaIo.Timer schedule(Runnable task, long delayMicros) {
        boolean[] cancelled = new boolean[1];
        timers.add(new Pending(now + Math.max(0, delayMicros), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    void send(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        send(from, to, data, 0, data.length);
    }

    /** The datagram is copied here, as {@link MediaIo#send} promises: the caller may reuse {@code buf}. */
    void send(InetSocketAddress from, InetSocketAddress to, byte[] buf, int off, int len) {
        if (discard) {
            discarded++;
            long[] count = discardedTo.get(to);
            if (count != null) {
                count[0]++;
            }
            return;
        }
        Datagram d = new Datagram(now, from, to, Arrays.copyOfRange(buf, off, off + len));
        sent.add(d);
        if (drop.test(d)) {
            dropped.add(d);
            return;
        }
        wire.add(new InFlight(now + latencyMicros + extraDelay.applyAsLong(d), seq++, d));
    }

    /** Runs until {@code done} holds (true) or the fake clock reaches {@code until} (false). */
    boolean runUntil(long until, BooleanSupplier done) {
        while (true) {
            settle();
            if (done.getAsBoolean()) {
                return true;
            }
            while (!timers.isEmpty() && timers.peek().cancelled()[0]) {
                timers.poll();
            }
            long next = Math.min(timers.isEmpty() ? Long.MAX_VALUE : timers.peek().at(),
                    wire.isEmpty() ? Long.MAX_VALUE : wire.peek().at());
            if (next > until) {
                now = Math.max(now, until);
                settle();
                return done.getAsBoolean();
            }
            now = Math.max(now, next);
            while (!wire.isEmpty() && wire.peek().at() <= now) {
                Datagram d = wire.poll().datagram();
                MediaIo.DatagramSink to = sockets.get(d.to());
                if (to != null) {
                    lend(to, d);
                }
            }
            while (!timers.isEmpty() && timers.peek().at() <= now) {
                Pending p = timers.poll();
                if (!p.cancelled()[0]) {
                    p.task().run();
                }
            }
        }
    }

    /**
     * Delivers every datagram on the wire, the clock moved to each one's arrival, and runs no
     * timer: after a benchmark's long stretch of fake time without them, they would only find
     * ICE consent long expired.
     */
    void deliverInFlight() {
        while (!wire.isEmpty()) {
            InFlight f = wire.poll();
            now = Math.max(now, f.at());
            MediaIo.DatagramSink to = sockets.get(f.datagram().to());
            if (to != null) {
                lend(to, f.datagram());
            }
        }
    }

    /**
     * Delivers as the server's sockets do ({@link MediaIo.DatagramSink#received}): every datagram
     * in one array lent for the call, then overwritten, so that anything keeping it past the
     * call (instead of copying) reads garbage and the scenario tests see it.
     */
    private void lend(MediaIo.DatagramSink to, Datagram d) {
        lend(to, d.data(), d.from(), d.to());
    }

    private void lend(MediaIo.DatagramSink to, byte[] datagram, InetSocketAddress from, InetSocketAddress local) {
        int len = datagram.length;
        if (lent.length < len) {
            lent = new byte[len];
        }
        System.arraycopy(datagram, 0, lent, 0, len);
        to.received(lent, len, from, local);
        Arrays.fill(lent, 0, len, (byte) 0xEE);
    }

    /**
     * Hands {@code datagram} to a server socket's sink at once, off the wire (lent, as {@link
     * #lend} does), then runs the loop tasks it queued: the hand-overs to other legs, which
     * so run after the array was overwritten, as they would on another I/O thread.
     */
    void deliverNow(MediaIo.DatagramSink to, byte[] datagram, InetSocketAddress from, InetSocketAddress local) {
        lend(to, datagram, from, local);
        runTasks();
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /** Moves the fake clock by {@code micros}, running everything due on the way. */
    void advance(long micros) {
        runUntil(now + micros, () -> false);
    }

    /** Runs the loop's tasks until none is left and no handshake thread has anything to do. */
    private void settle() {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (true) {
            runTasks();
            if (handshakesIdle() && tasks.isEmpty()) {
                return;
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("a DTLS handshake thread stayed busy for 30 s");
            }
            LockSupport.parkNanos(50_000); // a real wait for a real thread, not for fake time
        }
    }

    private boolean handshakesIdle() {
        for (BooleanSupplier empty : handshakeInboxesEmpty) {
            if (!empty.getAsBoolean()) {
                return false;
            }
        }
        for (Thread t : handshakeThreads) {
            Thread.State s = t.getState();
            if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING && s != Thread.State.TERMINATED) {
                return false;
            }
        }
        return true;
    }

    private final class Io implements MediaIo {
        private final List<InetSocketAddress> mine = new ArrayList<>();

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == driver;
        }

        @Override
        public void execute(Runnable task) {
            SimMedia.this.execute(task);
        }

        @Override
        public void runAndWait(Runnable task) {
            if (!inLoop()) {
                throw new IllegalStateException("the simulated loop is the test thread");
            }
            task.run();
        }

        @Override
        public void handOver(RtpSender target, MediaPacket packet) {
            // Always through the queue, as between two I/O threads of the server: the packet is
            // sent after the datagram it came from was lent and overwritten (lend), so a leg
            // that kept the publisher's array instead of its own copy would send garbage.
            execute(() -> target.sendForwarded(packet));
        }

        @Override
        public Timer schedule(Runnable task, long delayMicros) {
            return SimMedia.this.schedule(task, delayMicros);
        }

        @Override
        public long nowMicros() {
            return now;
        }

        @Override
        public long wallMicros() {
            return WALL_OFFSET_MICROS + now;
        }

        @Override
        public ThreadFactory handshakeThreads() {
            return SimMedia.this.handshakeThreads();
        }

        /** The shared tick, as {@link MediaLoop} runs it: every 20 ms, the second's work on the 50th. */
        @Override
        public void tick(Ticking target) {
            int[] count = new int[1];
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (!target.active()) {
                    return;
                }
                target.tick(now);
                if (++count[0] % MediaLoop.TICKS_PER_SECOND == 0) {
                    target.secondTick(now);
                }
                schedule(next[0], MediaLoop.TICK_MILLIS * 1000);
            };
            schedule(next[0], MediaLoop.TICK_MILLIS * 1000);
        }

        @Override
        public InetSocketAddress bind(InetSocketAddress address, DatagramSink sink) {
            InetAddress host = address.getAddress();
            InetSocketAddress bound = new InetSocketAddress(host, address.getPort() == 0 ? nextPort++ : address.getPort());
            if (sockets.containsKey(bound)) {
                return null;
            }
            sockets.put(bound, sink);
            mine.add(bound);
            return bound;
        }

        @Override
        public void send(InetSocketAddress from, InetSocketAddress to, byte[] buf, int off, int len) {
            SimMedia.this.send(from, to, buf, off, len);
        }

        @Override
        public void closeSockets() {
            mine.forEach(sockets::remove);
        }
    }
}
