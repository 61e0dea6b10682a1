package io.portunus.transports;

import io.portunus.config.jcfg.ConfigGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.portunus.net.EventLoops;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** Binds a TCP server on the shared event loops; the pipeline is the caller's. */
public final class Servers {
    /** -Dportunus.admin.sharedThreads=true serves the Admin API on the shared I/O threads (to compare). */
    private static final boolean SHARED_ADMIN_THREADS = Boolean.getBoolean("portunus.admin.sharedThreads");

    private Servers() {
    }

    /**
     * Where a server listens, from Janus's pair of options: {@code <x>_ip} wins over
     * {@code <x>_interface}; {@code fallback} (null = every address) when neither is set.
     */
    public static String bindAddress(ConfigGroup group, String ifaceOption, String ipOption,
                                     String fallback) {
        String ip = group.string(ipOption, null);
        if (ip != null) {
            return ip;
        }
        String iface = group.string(ifaceOption, null);
        return iface != null ? iface : fallback;
    }

    public static Channel bind(EventLoops loops, ServerEndpoint endpoint, Consumer<SocketChannel> pipeline)
            throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(loops.boss(), endpoint.admin() && !SHARED_ADMIN_THREADS ? loops.admin() : loops.workers())
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
        InetSocketAddress address = endpoint.bindAddress() == null
                ? new InetSocketAddress(endpoint.port())
                : new InetSocketAddress(endpoint.bindAddress(), endpoint.port());
        return b.bind(address).sync().channel();
    }
}
