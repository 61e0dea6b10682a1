package io.portunus.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sockets of RTP forwarders (the VideoRoom's {@code rtp_forward}): one I/O thread of their
 * own, made on first use, so a forwarder's sends (and its SRTP) never run on a publisher's media
 * thread. The publisher's thread only copies a packet into a bounded queue; when the queue is
 * full the packet is dropped and the caller counts it, never waits. RTP leaves from one socket per
 * address family, as Janus sends a publisher's forwarded RTP from one socket; each forwarder with
 * an RTCP port gets a socket of its own, which receives the receiver's feedback.
 */
public final class RtpForwardIo implements AutoCloseable {
    /** Packets waiting for the forwarding thread, all forwarders together: about a second of HD video. */
    public static final int DEFAULT_QUEUE = 4096;
    private static final int MAX_DATAGRAM = 2048;

    /** The last step before a forwarded packet leaves, on the forwarding thread (SRTP protection). */
    public interface Finisher {
        /** Finishes {@code len} bytes of {@code buf} in place (with room for a tag); the new length, or -1 to drop. */
        int finish(byte[] buf, int len);
    }

    /** Where an RTCP socket's datagrams go, on the forwarding thread. */
    public interface RtcpSink {
        void received(byte[] data, int len);
    }

    /** A forwarder's RTCP socket. */
    public interface RtcpPort extends AutoCloseable {
        int localPort();

        @Override
        void close();
    }

    private record Outgoing(byte[] data, int length, InetSocketAddress to, Finisher finisher) {
    }

    private final int capacity;
    private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainArmed = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private final Object lock = new Object();
    private EventLoopGroup group;
    private Class<? extends DatagramChannel> channelType;
    private volatile Channel v4;
    private volatile Channel v6;

    public RtpForwardIo(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Queues one packet for {@code to} from any thread; {@code data} belongs to this class from now
     * on and has room after {@code length} for what {@code finisher} adds. False when the queue is
     * full or nothing could be bound: the packet is dropped.
     */
    public boolean send(byte[] data, int length, InetSocketAddress to, Finisher finisher) {
        Channel ch = to.getAddress() instanceof Inet6Address ? v6 : v4;
        if (ch == null) {
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return false;
        }
        queue.add(new Outgoing(data, length, to, finisher));
        if (drainArmed.compareAndSet(false, true)) {
            ch.eventLoop().execute(drain);
        }
        return true;
    }

    /** Makes the sending socket of {@code family}'s addresses ready (called when a forwarder is set up). */
    public void prepare(InetAddress family) throws InterruptedException {
        boolean six = family instanceof Inet6Address;
        synchronized (lock) {
            if (six ? v6 != null : v4 != null) {
                return;
            }
            Channel ch = bind(new InetSocketAddress(six ? "::" : "0.0.0.0", 0), new Discard());
            if (six) {
                v6 = ch;
            } else {
                v4 = ch;
            }
        }
    }

    /**
     * Binds an RTCP socket for a forwarder sending to {@code remote} (a port of the same family,
     * chosen by the system) and sends {@code hello} there from it, so the receiver learns where its
     * feedback goes, as Janus does; what arrives goes to {@code sink}.
     */
    public RtcpPort openRtcp(InetSocketAddress remote, byte[] hello, RtcpSink sink) throws InterruptedException {
        boolean six = remote.getAddress() instanceof Inet6Address;
        Channel ch;
        synchronized (lock) {
            ch = bind(new InetSocketAddress(six ? "::" : "0.0.0.0", 0), new RtcpReader(sink));
        }
        if (ch == null) {
            return null;
        }
        ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(hello), remote), ch.voidPromise());
        int port = ((InetSocketAddress) ch.localAddress()).getPort();
        return new RtcpPort() {
            @Override
            public int localPort() {
                return port;
            }

            @Override
            public void close() {
                ch.close();
            }
        };
    }

    /** Packets queued and not yet sent (handle_info). */
    public int queued() {
        return queued.get();
    }

    private Channel bind(InetSocketAddress local, SimpleChannelInboundHandler<DatagramPacket> handler)
            throws InterruptedException {
        if (group == null) {
            boolean epoll = Epoll.isAvailable();
            IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("portunus-rtp-forward", true), factory);
            channelType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        }
        var future = new Bootstrap().group(group).channel(channelType).handler(handler).bind(local).await();
        return future.isSuccess() ? future.channel() : null;
    }

    private void drain() {
        // Disarmed first: a packet queued after this line arms another drain, one before is sent below.
        drainArmed.set(false);
        Channel four = v4;
        Channel six = v6;
        for (Outgoing o; (o = queue.poll()) != null; ) {
            queued.decrementAndGet();
            int len = o.finisher() == null ? o.length() : o.finisher().finish(o.data(), o.length());
            Channel ch = o.to().getAddress() instanceof Inet6Address ? six : four;
            if (len > 0 && ch != null) {
                ch.write(new DatagramPacket(Unpooled.wrappedBuffer(o.data(), 0, len), o.to()), ch.voidPromise());
            }
        }
        if (four != null) {
            four.flush();
        }
        if (six != null) {
            six.flush();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** The RTP sockets read nothing worth keeping. */
    private static final class Discard extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: the receiver may not be there yet; UDP goes on.
        }
    }

    private static final class RtcpReader extends SimpleChannelInboundHandler<DatagramPacket> {
        private final RtcpSink sink;

        RtcpReader(RtcpSink sink) {
            this.sink = sink;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int len = Math.min(content.readableBytes(), MAX_DATAGRAM);
            if (len > 0) {
                byte[] data = new byte[len];
                content.getBytes(content.readerIndex(), data);
                sink.received(data, len);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // As above: nothing listens at the remote RTCP port, which is the receiver's business.
        }
    }
}
