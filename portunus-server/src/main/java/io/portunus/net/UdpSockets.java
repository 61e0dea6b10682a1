package io.portunus.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Media's UDP sockets: bound on the PeerConnection's own loop, reading several datagrams a call. */
public final class UdpSockets {
    /**
     * The receive buffer asked of the kernel (SO_RCVBUF; Linux doubles it and caps it at
     * net.core.rmem_max). The default (208 KiB) held fewer than 200 small datagrams: a browser
     * sending 200 data channel messages at once overflowed it, and on a partially reliable
     * channel the datagrams the kernel dropped were messages the browser gave up.
     */
    public static final int RECEIVE_BUFFER = 1 << 20;

    private UdpSockets() {
    }

    /**
     * Binds one UDP socket on {@code loop}; null when the port is taken (the caller tries the
     * next one of its range). With epoll, recvmmsg reads up to 8 datagrams a system call when
     * several are waiting (a video frame arrives as a burst of packets).
     */
    public static Channel bind(EventLoops loops, EventLoop loop, InetSocketAddress address, ChannelHandler receiver,
                               int maxDatagram) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(loops.datagramChannel()).handler(receiver)
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER);
        if (loops.datagramChannel() == EpollDatagramChannel.class) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagram)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagram * 8));
        }
        var future = bootstrap.bind(address).await();
        return future.isSuccess() ? future.channel() : null;
    }

    /**
     * Sends one datagram at once with one {@code sendto}, past the channel's pipeline and
     * outbound buffer: the datagram object, the buffer's entry, the flush and its bookkeeping
     * were a few microseconds of every packet a VideoRoom leg sends alone (docs/benchmarks.md).
     * True when the datagram was dealt with (sent, or its error fired into the pipeline, as
     * Netty does for a write without a promise) and {@code data} released; false, {@code data}
     * untouched, when it cannot go this way now: not a native socket, closed, earlier writes
     * still queued (this one must not pass them), or the socket's send buffer full. The caller
     * then writes it through the channel, which waits for the socket.
     */
    public static boolean sendNow(Channel channel, ByteBuf data, InetSocketAddress to) {
        if (!(channel instanceof UnixChannel unix) || !(unix.fd() instanceof Socket socket)
                || !data.hasMemoryAddress()) {
            return false;
        }
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer(); // null once closed
        if (queued == null || queued.totalPendingWriteBytes() > 0) {
            return false;
        }
        try {
            int sent = socket.sendToAddress(data.memoryAddress(), data.readerIndex(), data.writerIndex(),
                    to.getAddress(), to.getPort());
            if (sent == 0 && data.isReadable()) {
                return false; // EAGAIN
            }
        } catch (IOException e) {
            channel.pipeline().fireExceptionCaught(e);
        }
        data.release();
        return true;
    }
}
