package io.portunus.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;

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
}
