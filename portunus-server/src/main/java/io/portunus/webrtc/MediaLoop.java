package io.portunus.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.portunus.core.Clock;
import io.portunus.net.UdpSockets;

import io.portunus.core.spi.MediaPacket;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the PeerConnections of one I/O thread share, to keep that thread's wake-ups and system
 * calls few when many sessions each carry little media:
 * <ul>
 * <li>one 20 ms tick for all of them (NACKs; every 50th tick their once-a-second work), instead
 *     of a timer per PeerConnection that wakes the thread on its own;
 * <li>writes are queued on their socket and flushed once at the end of the event-loop
 *     iteration, so the packets an iteration produces (an echoed video frame is several) go out
 *     in one {@code sendmmsg} per socket rather than one {@code sendto} each; a socket's only
 *     datagram of the iteration (most of a VideoRoom leg's, an echoed audio packet) goes out
 *     with one {@code sendto} past Netty's pipeline ({@link UdpSockets#sendNow}).
 * </ul>
 * Measured with the load ladder (docs/benchmarks.md): this is where the cost per packet at a
 * few sessions goes. Used only on its own loop, so it needs no locks.
 */
final class MediaLoop {
    static final long TICK_MILLIS = 20;
    static final int TICKS_PER_SECOND = (int) (1000 / TICK_MILLIS);

    private final EventLoop loop;
    private final List<Entry> ticking = new ArrayList<>();
    private final List<Outgoing> unflushed = new ArrayList<>();
    private final Runnable flushAll = this::flushAll;
    private final boolean afterIteration;
    private boolean flushArmed;
    private boolean tickArmed;
    private int tickCount;

    private record Entry(MediaIo.Ticking target, int phase) {
    }

    /**
     * A media socket of this loop and what the current iteration has written to it: the first
     * datagram is held here, a second sends both into the channel's outbound buffer, where the
     * flush makes one {@code sendmmsg} of them all. On the loop only.
     */
    static final class Outgoing {
        final Channel channel;
        /** In {@link #unflushed} this iteration. */
        private boolean listed;
        /** The iteration's only datagram so far; null once a second one came (or none yet). */
        private ByteBuf alone;
        private InetSocketAddress aloneTo;

        Outgoing(Channel channel) {
            this.channel = channel;
        }
    }

    /** A packet on its way to a PeerConnection of this loop from another loop (VideoRoom forwarding). */
    private record Handover(RtpSender target, MediaPacket packet) {
    }

    /**
     * The hand-over queue: any thread adds (lock-free), this loop drains it all in one task per
     * loop iteration, armed by the first packet after a drain. Packets in it belong to the loop.
     */
    private final Queue<Handover> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainArmed = new AtomicBoolean();
    private final Runnable drain = this::drain;
    /** Packets taken from the hand-over queue, and the drains that took them (read by the metrics). */
    private volatile long handedOver;
    private volatile long drains;

    MediaLoop(EventLoop loop) {
        this.loop = loop;
        this.afterIteration = loop instanceof SingleThreadEventLoop;
    }

    /** Adds a PeerConnection to the tick; call on the loop. */
    void register(MediaIo.Ticking target) {
        ticking.add(new Entry(target, (tickCount + 1 + ticking.size()) % TICKS_PER_SECOND));
        if (!tickArmed) {
            tickArmed = true;
            loop.schedule(this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        long now = Clock.SYSTEM.monotonicMicros();
        int phase = ++tickCount % TICKS_PER_SECOND;
        ticking.removeIf(e -> !e.target.active());
        // Indexed loop: a tick may register another PeerConnection.
        for (int i = 0; i < ticking.size(); i++) {
            Entry e = ticking.get(i);
            try {
                e.target.tick(now);
                if (e.phase == phase) {
                    e.target.secondTick(now);
                }
            } catch (RuntimeException ex) {
                // One PeerConnection's failure must not stop the others' timers.
                LoggerFactory.getLogger(MediaLoop.class).warn("Media tick failed: {}", ex.toString());
            }
        }
        if (ticking.isEmpty()) {
            tickArmed = false;
        } else {
            loop.schedule(this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Hands a forwarded packet (owned by the receiver from now on) to {@code target}, one of this
     * loop's PeerConnections: at once when called on this loop, else through the queue.
     */
    void handOver(RtpSender target, MediaPacket packet) {
        if (loop.inEventLoop()) {
            handedOver++;
            target.sendForwarded(packet);
            return;
        }
        inbox.add(new Handover(target, packet));
        if (drainArmed.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    private void drain() {
        // Disarmed first: a packet added after this line arms another drain, one added before is taken below.
        drainArmed.set(false);
        long n = 0;
        for (Handover h; (h = inbox.poll()) != null; n++) {
            try {
                h.target().sendForwarded(h.packet());
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(MediaLoop.class).warn("Forwarded packet failed: {}", e.toString());
            }
        }
        handedOver += n;
        drains++;
    }

    long handedOver() {
        return handedOver;
    }

    long drains() {
        return drains;
    }

    /**
     * Queues a datagram ({@code data}: a direct buffer, owned from now on); it goes out at the
     * end of this loop iteration.
     */
    void write(Outgoing socket, ByteBuf data, InetSocketAddress to) {
        if (!afterIteration || !loop.inEventLoop()) {
            socket.channel.writeAndFlush(new DatagramPacket(data, to), socket.channel.voidPromise());
            return;
        }
        if (!socket.listed) {
            socket.listed = true;
            socket.alone = data;
            socket.aloneTo = to;
            unflushed.add(socket);
            if (!flushArmed) {
                flushArmed = true;
                ((SingleThreadEventLoop) loop).executeAfterEventLoopIteration(flushAll);
            }
            return;
        }
        if (socket.alone != null) {
            writeThrough(socket.channel, socket.alone, socket.aloneTo);
            socket.alone = null;
            socket.aloneTo = null;
        }
        writeThrough(socket.channel, data, to);
    }

    private static void writeThrough(Channel ch, ByteBuf data, InetSocketAddress to) {
        ch.write(new DatagramPacket(data, to), ch.voidPromise());
    }

    private void flushAll() {
        flushArmed = false;
        // Indexed: a write from inside a flush (an error handler's) adds to the list.
        for (int i = 0; i < unflushed.size(); i++) {
            Outgoing socket = unflushed.get(i);
            socket.listed = false;
            ByteBuf data = socket.alone;
            if (data != null) {
                InetSocketAddress to = socket.aloneTo;
                socket.alone = null;
                socket.aloneTo = null;
                if (UdpSockets.sendNow(socket.channel, data, to)) {
                    continue;
                }
                writeThrough(socket.channel, data, to);
            }
            socket.channel.flush();
        }
        unflushed.clear();
    }
}
