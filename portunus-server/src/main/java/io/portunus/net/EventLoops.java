package io.portunus.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The I/O threads every TCP transport shares: one event loop per core, on epoll when the
 * native library loads, else on NIO. Shared so that two transports on a 2-core machine do not
 * start four threads that fight over two cores.
 */
public final class EventLoops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final boolean epoll;
    private final IoHandlerFactory factory;
    private volatile EventLoopGroup admin;

    public EventLoops(int threads) {
        epoll = Epoll.isAvailable();
        factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("portunus-accept", true), factory);
        workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("portunus-io", true), factory);
        LOG.debug("Network I/O on {} with {} threads", epoll ? "epoll" : "NIO", threads);
    }

    public EventLoopGroup boss() {
        return boss;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    /**
     * The Admin API's own I/O thread, made when the first admin server binds. As Janus serves
     * its admin transport apart from the client API: an operator's requests never queue behind
     * client traffic or media on the shared threads, and on a small machine one admin thread
     * does not compete for a core with the client loops (measured: docs/benchmarks.md, issue #3).
     */
    public EventLoopGroup admin() {
        EventLoopGroup a = admin;
        if (a == null) {
            synchronized (this) {
                a = admin;
                if (a == null) {
                    a = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("portunus-admin", true), factory);
                    admin = a;
                }
            }
        }
        return a;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** UDP sockets for media run on the same I/O threads as the TCP transports. */
    public Class<? extends DatagramChannel> datagramChannel() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    @Override
    public void close() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        EventLoopGroup a = admin;
        if (a != null) {
            a.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
