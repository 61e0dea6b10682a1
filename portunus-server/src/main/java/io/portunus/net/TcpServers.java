package io.portunus.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** Binds a TCP server on the shared event loops; the pipeline is the caller's. */
public final class TcpServers {
    /** -Dportunus.admin.sharedThreads=true serves the Admin API on the shared I/O threads (to compare). */
    private static final boolean SHARED_ADMIN_THREADS = Boolean.getBoolean("portunus.admin.sharedThreads");

    private TcpServers() {
    }

    /**
     * @param admin       an Admin API server: its connections go to the admin I/O thread
     * @param bindAddress null for every address
     */
    public static Channel bind(EventLoops loops, boolean admin, String bindAddress, int port,
                               Consumer<SocketChannel> pipeline) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(loops.boss(), admin && !SHARED_ADMIN_THREADS ? loops.admin() : loops.workers())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.accept(ch);
                    }
                });
        InetSocketAddress address = bindAddress == null
                ? new InetSocketAddress(port)
                : new InetSocketAddress(bindAddress, port);
        return b.bind(address).sync().channel();
    }
}
