package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.portunus.core.Clock;
import io.portunus.net.EventLoops;
import io.portunus.net.UdpSockets;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The server's {@link MediaIo}: one Netty event loop per PeerConnection (shared with the other
 * PeerConnections of that I/O thread, with their {@link MediaLoop} tick and write batching),
 * {@link Clock#SYSTEM} time, and real UDP sockets.
 */
final class NettyMediaIo implements MediaIo {
    /** The largest datagram read whole: above any media MTU, and DTLS records are sized to dtls_mtu. */
    private static final int MAX_DATAGRAM = 2048;

    private final EventLoops loops;
    private final EventLoop loop;
    private final MediaLoop mediaLoop;
    private final ThreadFactory handshakeThreads;
    /** Bound off the loop (the request thread), read on it. */
    private final List<MediaLoop.Outgoing> sockets = new CopyOnWriteArrayList<>();
    /** The socket {@link #send} last used and its address (on the loop only): most sends repeat it. */
    private InetSocketAddress lastFrom;
    private MediaLoop.Outgoing lastSocket;

    NettyMediaIo(EventLoops loops, EventLoop loop, MediaLoop mediaLoop, ThreadFactory handshakeThreads) {
        this.loops = loops;
        this.handshakeThreads = handshakeThreads;
        this.loop = loop;
        this.mediaLoop = mediaLoop;
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public void runAndWait(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.submit(task).syncUninterruptibly();
        }
    }

    @Override
    public void handOver(RtpSender target, MediaPacket packet) {
        mediaLoop.handOver(target, packet);
    }

    @Override
    public Timer schedule(Runnable task, long delayMicros) {
        var future = loop.schedule(task, delayMicros, TimeUnit.MICROSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public long nowMicros() {
        return Clock.SYSTEM.monotonicMicros();
    }

    @Override
    public long wallMicros() {
        return Clock.SYSTEM.wallMicros();
    }

    @Override
    public ThreadFactory handshakeThreads() {
        return handshakeThreads;
    }

    @Override
    public void tick(Ticking target) {
        mediaLoop.register(target);
    }

    @Override
    public InetSocketAddress bind(InetSocketAddress address, DatagramSink sink) throws InterruptedException {
        Channel channel = UdpSockets.bind(loops, loop, address, new Receiver(sink), MAX_DATAGRAM);
        if (channel == null) {
            return null;
        }
        sockets.add(new MediaLoop.Outgoing(channel));
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void send(InetSocketAddress from, InetSocketAddress to, byte[] buf, int off, int len) {
        if (!from.equals(lastFrom)) {
            lastSocket = socketFor(from);
            lastFrom = from;
        }
        if (lastSocket != null) {
            // The socket writes from native memory: copied once into the channel's pooled direct
            // buffer here (Netty would have made the same copy of a heap buffer at the write),
            // released after the write, so the caller's array is free again when this returns.
            ByteBuf copy = lastSocket.channel.alloc().directBuffer(len, len).writeBytes(buf, off, len);
            mediaLoop.write(lastSocket, copy, to);
        }
    }

    private MediaLoop.Outgoing socketFor(InetSocketAddress local) {
        for (MediaLoop.Outgoing socket : sockets) {
            InetSocketAddress a = (InetSocketAddress) socket.channel.localAddress();
            if (a.getPort() == local.getPort() && a.getAddress().equals(local.getAddress())) {
                return socket;
            }
        }
        return sockets.isEmpty() ? null : sockets.get(0);
    }

    @Override
    public void closeSockets() {
        sockets.forEach(socket -> socket.channel.close());
    }

    /** Reads datagrams from a media socket, on the loop. */
    private static final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final DatagramSink sink;
        /**
         * Every datagram of this socket is copied out of Netty's native buffer into this one
         * array and lent to the sink ({@link DatagramSink#received}): a new array per datagram
         * was a quarter of what the server allocated at 100 echo sessions.
         */
        private final byte[] lent = new byte[MAX_DATAGRAM];

        Receiver(DatagramSink sink) {
            this.sink = sink;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int len = content.readableBytes();
            if (len == 0) {
                return;
            }
            // The read allocator's slots are MAX_DATAGRAM bytes: a longer datagram cannot arrive.
            byte[] data = len <= lent.length ? lent : new byte[len];
            content.getBytes(content.readerIndex(), data, 0, len);
            sink.received(data, len, packet.sender(), (InetSocketAddress) ctx.channel().localAddress());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            sink.socketError(cause);
        }
    }
}
